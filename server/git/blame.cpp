// Blame as git blame does it: backwards from the revision, passing lines to parents through
// git's line diff until every line has its commit.
#include "git/blame.h"

#include "git/blame_notes.h"
#include "git/line_map.h"
#include "git/object_cache.h"
#include "git/pack_reader.h"
#include "git/path_diff.h"
#include "git/tree_path.h"
#include "support/text_lines.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>

namespace provenant::git {

namespace {

using git::Setter;

std::string oid_key(const git_oid& id) {
    return std::string(reinterpret_cast<const char*>(id.id), GIT_OID_RAWSZ);
}

bool is_blank(std::string_view line) {
    for (char c : line)
        if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v') return false;
    return true;
}

/// A line still looking for its owner: its number in the blamed file and in the suspect's
/// version.
struct Pending {
    uint32_t final_line = 0;
    uint32_t line = 0;
};

/// A version that may own lines (git blame's "origin"): a commit and the file's name there.
/// Ordered newest first by committer time, as git blame takes them.
struct SuspectKey {
    int64_t time = 0;
    std::string commit; // raw id
    std::string path;
    bool operator<(const SuspectKey& o) const {
        if (time != o.time) return time > o.time;
        if (commit != o.commit) return commit < o.commit;
        return path < o.path;
    }
};

struct Suspect {
    git_oid commit{};
    git_oid blob{};
    std::vector<Pending> lines;
};

/// A version's text: the blob's raw object (its bytes are not copied) and its line count,
/// counted once for every diff the version takes part in.
struct BlobText {
    RawObject blob;
    std::string_view text;
    uint32_t lines = 0;
};

/// What blame needs of a commit, read from its raw object as git's parse_commit reads it
/// (libgit2's git_commit_lookup parses and copies the signatures and the message too).
struct CommitInfo {
    git_oid tree{};
    std::vector<git_oid> parents;
    int64_t time = 0; ///< the committer's time, as git_commit_time gives it
};

/// The 20-byte id spelled by the 40 lowercase or uppercase hex digits at the start of `hex`.
bool parse_id(std::string_view hex, git_oid& out) {
    return hex.size() >= GIT_OID_HEXSZ && git_oid_fromstrn(&out, hex.data(), GIT_OID_HEXSZ) == 0;
}

/// Parses the raw commit `data` as libgit2's commit parser does for what blame reads: `tree`
/// first, then the `parent` lines, then the headers up to the blank line, of which the
/// `committer` one gives the time (the number after its last '>', 0 when there is none). A
/// commit without a tree, or with a malformed id, is an Error.
Result<CommitInfo> parse_commit(std::string_view data, const git_oid& id) {
    auto malformed = [&] {
        return Error(ErrorKind::invalid_input, "malformed commit " + git::to_hex(id));
    };
    CommitInfo info;
    auto line_after = [&](std::string_view prefix, git_oid& out) {
        if (data.substr(0, prefix.size()) != prefix) return false;
        const std::string_view rest = data.substr(prefix.size());
        if (!parse_id(rest, out) || rest.size() <= GIT_OID_HEXSZ || rest[GIT_OID_HEXSZ] != '\n')
            return false;
        data.remove_prefix(prefix.size() + GIT_OID_HEXSZ + 1);
        return true;
    };
    if (!line_after("tree ", info.tree)) return malformed();
    git_oid parent;
    while (line_after("parent ", parent))
        info.parents.push_back(parent);
    while (!data.empty() && data.front() != '\n') {
        const size_t end = std::min(data.find('\n'), data.size());
        const std::string_view line = data.substr(0, end);
        data.remove_prefix(std::min(end + 1, data.size()));
        if (line.substr(0, 10) != "committer ") continue;
        const size_t gt = line.rfind('>');
        if (gt == std::string_view::npos || gt < line.find('<') || line.find('<') == line.npos)
            return malformed();
        // libgit2 reads the time from two bytes after the '>' (past "> "), strtol-like.
        size_t at = gt + 2;
        int64_t time = 0;
        bool negative = false;
        if (at < line.size() && (line[at] == '-' || line[at] == '+')) negative = line[at++] == '-';
        const size_t digits_at = at;
        while (at < line.size() && line[at] >= '0' && line[at] <= '9' &&
               time < (INT64_MAX - 9) / 10)
            time = time * 10 + (line[at++] - '0');
        if (gt + 2 < line.size() && at == digits_at) return malformed();
        info.time = negative ? -time : time;
        break;
    }
    return info;
}

/// Who last changed a line: the commit, the file's name and blob there, the line's number.
struct Owner {
    git_oid commit{};
    const std::string* path = nullptr; // interned (Blamer::paths_)
    git_oid blob{};
    uint32_t line = 0;
};

/// A file a rename can come from: its path, blob and mode in the parent's tree.
struct Source {
    std::string path;
    git_oid blob{};
    uint32_t mode = 0;
};

/// Appends every blob of `tree` (under `prefix`) to `out`, in tree order.
Status all_blobs(git_repository* repo, const git_tree* tree, const std::string& prefix,
                 std::vector<Source>& out) {
    for (size_t k = 0; k < git_tree_entrycount(tree); ++k) {
        const git_tree_entry* e = git_tree_entry_byindex(tree, k);
        const std::string name = prefix + git_tree_entry_name(e);
        if (git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
            out.push_back(Source{name, *git_tree_entry_id(e), git_tree_entry_filemode(e)});
        } else if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
            git::Tree sub;
            if (int rc = git_tree_lookup(Setter(sub), repo, git_tree_entry_id(e)); rc != 0)
                return git::git_error(rc, "reading the tree " + name);
            if (auto st = all_blobs(repo, sub.get(), name + "/", out); !st) return st;
        }
    }
    return {};
}

/// Appends the blobs of `old_tree` that `new_tree` has no blob at (under `prefix`) to `out`,
/// in tree order (git's diff order), skipping identical subtrees: the candidates a rename can
/// come from, found without a whole tree diff.
Status deleted_blobs(git_repository* repo, const git_tree* old_tree, const git_tree* new_tree,
                     const std::string& prefix, std::vector<Source>& out) {
    for (size_t k = 0; k < git_tree_entrycount(old_tree); ++k) {
        const git_tree_entry* e = git_tree_entry_byindex(old_tree, k);
        const git_tree_entry* n = git_tree_entry_byname(new_tree, git_tree_entry_name(e));
        const std::string name = prefix + git_tree_entry_name(e);
        const git_object_t type = git_tree_entry_type(e);
        if (n != nullptr && git_oid_equal(git_tree_entry_id(e), git_tree_entry_id(n))) continue;
        const bool same_type = n != nullptr && git_tree_entry_type(n) == type;
        if (type == GIT_OBJECT_BLOB) {
            if (!same_type)
                out.push_back(Source{name, *git_tree_entry_id(e), git_tree_entry_filemode(e)});
            continue;
        }
        if (type != GIT_OBJECT_TREE) continue;
        git::Tree sub;
        if (int rc = git_tree_lookup(Setter(sub), repo, git_tree_entry_id(e)); rc != 0)
            return git::git_error(rc, "reading the tree " + name);
        if (!same_type) {
            if (auto st = all_blobs(repo, sub.get(), name + "/", out); !st) return st;
            continue;
        }
        git::Tree new_sub;
        if (int rc = git_tree_lookup(Setter(new_sub), repo, git_tree_entry_id(n)); rc != 0)
            return git::git_error(rc, "reading the tree " + name);
        if (auto st = deleted_blobs(repo, sub.get(), new_sub.get(), name + "/", out); !st)
            return st;
    }
    return {};
}

/// Whether the last components of two paths are the same (diffcore-rename's basename_same).
bool same_basename(std::string_view a, std::string_view b) {
    const size_t sa = a.rfind('/'), sb = b.rfind('/');
    return a.substr(sa == std::string_view::npos ? 0 : sa + 1) ==
           b.substr(sb == std::string_view::npos ? 0 : sb + 1);
}

bool is_regular(uint32_t mode) {
    return (mode & 0170000) == 0100000;
}

/// The source `dest` (blob `blob`, mode `mode`) is an exact rename of, as diffcore's
/// find_exact_renames picks it: a deleted file with the same blob (and the same mode unless
/// both are regular files), one with the same basename first, else the first in tree order,
/// looking at no more than 100 of them; nullptr when no deleted file has the blob.
const Source* exact_rename(const std::vector<Source>& sources, std::string_view dest,
                           const git_oid& blob, uint32_t mode) {
    const Source* best = nullptr;
    int best_score = -1, looked = 0;
    for (const Source& s : sources) {
        if (!git_oid_equal(&s.blob, &blob)) continue;
        if ((!is_regular(s.mode) || !is_regular(mode)) && s.mode != mode) continue;
        const int score = 1 + (same_basename(s.path, dest) ? 1 : 0);
        if (score > best_score) {
            best = &s;
            best_score = score;
            if (score == 2) break;
        }
        if (++looked == 100) break;
    }
    return best;
}

/// The path `path` of `new_tree` was renamed from in `old_tree` (git's rename detection), or
/// "" when it was added. Like git blame (diffcore's single_follow), only the files deleted
/// between the trees compete as sources, and only `path` as destination: a full detection
/// over every added file costs minutes where two unrelated trees meet (tmux's merges of the
/// OpenBSD tree, which has no `CHANGES`). As in git, a deleted file with the same blob is the
/// source before any similarity is measured.
Result<std::string> renamed_from(git_repository* repo, git_tree* old_tree, git_tree* new_tree,
                                 const std::string& path) {
    std::vector<Source> sources;
    if (auto st = deleted_blobs(repo, old_tree, new_tree, "", sources); !st) return st.error();
    if (sources.empty()) return std::string(); // nothing deleted: nothing renamed
    git::TreeEntry dest;
    if (int rc = git_tree_entry_bypath(Setter(dest), new_tree, path.c_str()); rc != 0)
        return git::git_error(rc, "finding " + path + " in a tree");
    if (const Source* s = exact_rename(sources, path, *git_tree_entry_id(dest.get()),
                                       git_tree_entry_filemode(dest.get())))
        return s->path;
    std::vector<std::string> paths{path};
    paths.reserve(sources.size() + 1);
    for (const Source& s : sources)
        paths.push_back(s.path);
    git_diff_options opts;
    git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
    opts.flags |= GIT_DIFF_IGNORE_SUBMODULES;
    auto diffed = git::diff_paths_with_renames(repo, old_tree, new_tree, paths, opts, "trees");
    if (!diffed) return diffed.error();
    const git::Diff& diff = *diffed;
    for (size_t d = 0; d < git_diff_num_deltas(diff.get()); ++d) {
        const git_diff_delta* delta = git_diff_get_delta(diff.get(), d);
        if (delta->status == GIT_DELTA_RENAMED && path == delta->new_file.path)
            return std::string(delta->old_file.path);
    }
    return std::string();
}

/// One blame: the suspects still holding lines, and the owners found. One thread.
class Blamer {
public:
    /// `packs` (not owned) reads the objects; `notes` (not owned; may be null) is told of
    /// every owner as it is found, so its worker reads the note while the walk goes on.
    Blamer(const Repo& repo, PackReader* packs, BlameNotes* notes)
        : repo_(repo), packs_(packs), notes_(notes) {}

    /// Finds the owner of every line of `path` at `tip`: takes the newest suspect, passes its
    /// lines to its parents (all of them to the first parent with the same blob; else, parent by
    /// parent, the lines that parent's version keeps unchanged), keeps the rest. Stops when no
    /// suspect holds a line, as git blame does: history older than the file's oldest surviving
    /// line is never read.
    Status run(const git_oid& tip, const std::string& path, const std::string& rev);

    std::string_view text() const { return final_text_->text; }
    const std::vector<Owner>& owners() const { return owners_; }

private:
    struct Parent {
        git_oid commit{};
        const std::string* path = nullptr;
        git_oid blob{};
    };
    /// Where the suspect's version `blob` of `path` is in the parents: `whole` when a parent has
    /// the same blob (it takes every line), else the parents' versions to diff, in parent order.
    struct Parents {
        std::optional<Parent> whole;
        std::vector<Parent> diffed;
    };
    Status process(const SuspectKey& key, Suspect s);
    /// Where the suspect's file is in each parent (renames followed), as git blame finds it.
    Result<Parents> parents_of(const CommitInfo& commit, const std::string& path,
                               const git_oid& blob);
    /// The commit `id`, read once; a not_found Error when the object is not there.
    Result<const CommitInfo*> commit(const git_oid& id);
    Result<std::shared_ptr<const BlobText>> text(const git_oid& blob);
    Status add(const git_oid& commit, const std::string* path, const git_oid& blob,
               std::vector<Pending> lines);
    const std::string* intern(const std::string& path) { return &*paths_.insert(path).first; }

    const Repo& repo_;
    git::Odb odb_; // what the packs do not hold (loose objects, alternates)
    /// Commits, trees and blobs read raw from the packs (each delta chain resolved once: a
    /// version's base is mostly the newer version read just before), trees scanned up to the
    /// entry (git/tree_path.h).
    PackReader* packs_;
    BlameNotes* notes_;
    ObjectCache objects_{size_t{8} << 20};
    std::unordered_map<git_oid, CommitInfo, OidHash, OidEq> commits_;
    std::map<SuspectKey, Suspect> queue_;
    std::set<std::string> paths_;
    std::shared_ptr<const BlobText> final_text_;
    std::vector<Owner> owners_; // [final line]; [0] unused
    std::vector<bool> blank_;   // [final line]: whether it is blank; [0] unused
    /// Recent texts by blob: a version is read as a child and again as its parent's child.
    std::unordered_map<std::string, std::shared_ptr<const BlobText>> texts_;
};

Result<const CommitInfo*> Blamer::commit(const git_oid& id) {
    if (auto it = commits_.find(id); it != commits_.end()) return &it->second;
    auto raw = objects_.get(odb_.get(), id, GIT_OBJECT_COMMIT);
    if (!raw) return raw.error();
    auto info = parse_commit(data_of(*raw), id);
    if (!info) return info.error();
    return &commits_.emplace(id, std::move(*info)).first->second;
}

Result<std::shared_ptr<const BlobText>> Blamer::text(const git_oid& blob) {
    const std::string key = oid_key(blob);
    if (auto it = texts_.find(key); it != texts_.end()) return it->second;
    auto t = std::make_shared<BlobText>();
    auto raw = objects_.get(odb_.get(), blob, GIT_OBJECT_BLOB);
    if (!raw) return raw.error().context("reading blob " + git::to_hex(blob));
    t->blob = std::move(*raw);
    t->text = data_of(t->blob);
    t->lines = git::count_lines(t->text);
    if (texts_.size() >= 64) texts_.clear(); // bounded; the next few are read again at most
    texts_.emplace(key, t);
    return std::shared_ptr<const BlobText>(std::move(t));
}

Status Blamer::add(const git_oid& commit, const std::string* path, const git_oid& blob,
                   std::vector<Pending> lines) {
    if (lines.empty()) return {};
    auto c = this->commit(commit);
    if (!c) return c.error();
    SuspectKey key{(*c)->time, oid_key(commit), *path};
    auto [it, fresh] = queue_.try_emplace(std::move(key));
    if (fresh) {
        it->second.commit = commit;
        it->second.blob = blob;
    }
    auto& held = it->second.lines;
    if (held.empty())
        held = std::move(lines); // the common case: one child passes all it holds
    else
        held.insert(held.end(), lines.begin(), lines.end());
    return {};
}

Result<Blamer::Parents> Blamer::parents_of(const CommitInfo& commit, const std::string& path,
                                           const git_oid& blob) {
    // git blame's pass_blame: pass 0 looks the path itself up in every parent, pass 1 searches
    // for a rename only in the parents still without a version. A parent with the same blob ends
    // the search either way, so a merge that kept the file from one side never searches the
    // other side for renames (tmux's merges of the OpenBSD tree, which has no CHANGES).
    const auto count = static_cast<unsigned>(commit.parents.size());
    struct Slot {
        bool present = false, has_path = false;
        git_oid tree{};
        std::optional<Parent> found;
    };
    std::vector<Slot> slots(count);
    Parents out;
    // git diffs each version once: a parent whose version an earlier parent has is left out.
    auto keep = [&](unsigned i, const Parent& p) {
        for (unsigned j = 0; j < i; ++j)
            if (slots[j].found && git_oid_equal(&slots[j].found->blob, &p.blob)) return;
        slots[i].found = p;
    };
    for (unsigned i = 0; i < count; ++i) {
        const git_oid* pid = &commit.parents[i];
        auto parent = this->commit(*pid);
        if (!parent && parent.error().kind == ErrorKind::not_found)
            continue; // shallow history: the parent is not there
        if (!parent) return parent.error().context("reading a parent");
        Slot& slot = slots[i];
        slot.present = true;
        slot.tree = (*parent)->tree;
        auto b = blob_at_path(objects_, odb_.get(), slot.tree, path);
        if (!b) return b.error();
        if (!*b) continue;
        slot.has_path = true;
        const Parent p{*pid, intern(path), **b};
        if (git_oid_equal(&p.blob, &blob)) {
            out.whole = p;
            return out;
        }
        keep(i, p);
    }
    git::Tree tree;
    for (unsigned i = 0; i < count; ++i) {
        Slot& slot = slots[i];
        if (!slot.present || slot.has_path) continue;
        // Renamed in this commit, or added: only now are whole trees parsed.
        git::Tree ptree;
        if (git_tree_lookup(Setter(ptree), repo_.get(), &slot.tree) != 0)
            return git::git_error("reading the tree of " + git::to_hex(commit.parents[i]));
        if (!tree && git_tree_lookup(Setter(tree), repo_.get(), &commit.tree) != 0)
            return git::git_error("reading a tree");
        auto from = renamed_from(repo_.get(), ptree.get(), tree.get(), path);
        if (!from) return from.error();
        if (from->empty()) continue;
        auto fb = blob_at_path(objects_, odb_.get(), slot.tree, *from);
        if (!fb) return fb.error();
        if (!*fb) continue;
        const Parent p{commit.parents[i], intern(*from), **fb};
        if (git_oid_equal(&p.blob, &blob)) {
            out.whole = p;
            return out;
        }
        keep(i, p);
    }
    for (Slot& slot : slots)
        if (slot.found) out.diffed.push_back(*slot.found);
    return out;
}

Status Blamer::process(const SuspectKey& key, Suspect s) {
    auto info = commit(s.commit);
    if (!info) return info.error();
    auto parents = parents_of(**info, key.path, s.blob);
    if (!parents) return parents.error();
    if (const auto& w = parents->whole) // unchanged here: every line is the parent's
        return add(w->commit, w->path, w->blob, std::move(s.lines));
    const std::string* path = intern(key.path);
    std::vector<Pending> left = std::move(s.lines);
    if (!parents->diffed.empty()) {
        auto mine = text(s.blob);
        if (!mine) return mine.error();
        const auto mine_text = *mine; // kept alive while the parents' texts are read
        const uint32_t mine_lines = mine_text->lines;
        for (const Parent& p : parents->diffed) {
            if (left.empty()) break;
            auto theirs = text(p.blob);
            if (!theirs) return theirs.error();
            auto map = unchanged_lines(CountedText{(*theirs)->text, (*theirs)->lines},
                                       CountedText{mine_text->text, mine_text->lines});
            if (!map) return map.error();
            std::vector<uint32_t> back(size_t(mine_lines) + 1, 0); // mine -> theirs
            for (uint32_t ol = 1; ol < map->size(); ++ol)
                if (const uint32_t nl = (*map)[ol]; nl != 0 && nl < back.size()) back[nl] = ol;
            std::vector<Pending> passed, kept;
            for (const Pending& l : left) {
                const uint32_t ol = l.line < back.size() ? back[l.line] : 0;
                if (ol != 0)
                    passed.push_back(Pending{l.final_line, ol});
                else
                    kept.push_back(l);
            }
            if (auto st = add(p.commit, p.path, p.blob, std::move(passed)); !st) return st;
            left = std::move(kept);
        }
    }
    for (const Pending& l : left)
        owners_[l.final_line] = Owner{s.commit, path, s.blob, l.line};
    // Only lines with text take a class from the note (a blank line is `blank`).
    if (notes_ != nullptr)
        for (const Pending& l : left)
            if (!blank_[l.final_line]) {
                notes_->want(s.commit, path, s.blob);
                break;
            }
    return {};
}

Status Blamer::run(const git_oid& tip, const std::string& path, const std::string& rev) {
    if (git_repository_odb(Setter(odb_), repo_.get()) != 0)
        return git::git_error("opening the object database");
    objects_.use_packs(packs_);
    auto c = commit(tip);
    if (!c) return c.error();
    auto b = blob_at_path(objects_, odb_.get(), (*c)->tree, path);
    if (!b) return b.error();
    if (!*b) return Error(ErrorKind::not_found, "no file '" + path + "' at " + rev);
    auto t = text(**b);
    if (!t) return t.error();
    final_text_ = *t;
    const uint32_t lines = final_text_->lines;
    owners_.assign(size_t(lines) + 1, Owner{});
    blank_.assign(size_t(lines) + 1, false);
    uint32_t at = 1;
    for (std::string_view line : split_lines(final_text_->text))
        if (at <= lines) blank_[at++] = is_blank(line);
    std::vector<Pending> all(lines);
    for (uint32_t l = 1; l <= lines; ++l)
        all[l - 1] = Pending{l, l};
    if (auto st = add(tip, intern(path), **b, std::move(all)); !st) return st;
    while (!queue_.empty()) {
        auto node = queue_.extract(queue_.begin());
        if (auto st = process(node.key(), std::move(node.mapped())); !st) return st;
    }
    return {};
}

} // namespace

Result<std::vector<BlameLine>> blame_file(const Repo& repo, const std::string& path,
                                          const std::string& rev) {
    // libgit2's object cache is left at its defaults (no blobs, trees under 4 KiB): each version
    // is read once or twice, and the text cache above holds the recent ones. Caching every tree
    // and blob read (up to 256 MiB) cost time, fresh pages for every object, and 2-5x the
    // memory (tmux.h: 322 MB against 69 MB; docs/benchmarks.md).
    // libgit2 hashes every object it reads again to check its id; git does not on reads (a
    // damaged object still fails: zlib checks every object's stream).
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    auto tip = repo.resolve(rev);
    if (!tip) return tip.error();
    auto packs = PackReader::open(git_repository_commondir(repo.get()), size_t{32} << 20);
    // The owners' notes are read on a second thread while the walk runs (they are work git
    // blame does not do); what they say is the same whoever reads them.
    BlameNotes notes(repo, packs.get());
    Blamer blamer(repo, packs.get(), &notes);
    if (auto st = blamer.run(*tip, path, rev); !st) return st.error();
    notes.finish();
    std::vector<BlameLine> out;
    const auto lines = split_lines(blamer.text());
    const auto& owners = blamer.owners();
    out.reserve(lines.size());
    for (uint32_t l = 1; l <= lines.size() && l < owners.size(); ++l) {
        BlameLine b;
        b.line = l;
        b.text = std::string(lines[l - 1]);
        const Owner& o = owners[l];
        b.commit = git::to_hex(o.commit);
        b.origin_line = o.line;
        if (is_blank(b.text)) {
            b.cls = LineClass::Blank;
        } else if (const FileAttribution& a = notes.get(o.commit, o.path); a.file) {
            if (auto hit = a.file->lookup(o.line)) {
                b.cls = hit->first;
                if (auto oit = a.origins.find(hit->second); oit != a.origins.end()) {
                    b.tool = oit->second.record.tool;
                    b.model = oit->second.record.model;
                    b.session = oit->second.record.session;
                }
            }
        }
        out.push_back(std::move(b));
    }
    return out;
}

} // namespace provenant::git
