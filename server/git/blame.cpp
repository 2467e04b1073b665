// Blame: names backwards, owners forwards, through git's line diff.
#include "git/blame.h"

#include "git/line_map.h"
#include "git/note_reader.h"
#include "support/text_lines.h"

#include <map>
#include <memory>
#include <optional>
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

/// Who last changed a line: a commit index and the line's number there.
struct Owner {
    uint32_t commit = 0;
    uint32_t line = 0;
};

/// One version of the file: its blob, text and each line's owner.
struct Version {
    git_oid blob{};
    std::shared_ptr<const std::string> text;
    std::shared_ptr<const std::vector<Owner>> owners; // [0] unused
};

/// The blob of `path` in `tree`, nullopt when not a blob there.
Result<std::optional<git_oid>> blob_in(git_tree* tree, const std::string& path) {
    git::TreeEntry entry;
    int rc = git_tree_entry_bypath(Setter(entry), tree, path.c_str());
    if (rc == GIT_ENOTFOUND) return std::optional<git_oid>();
    if (rc != 0) return git::git_error("looking up " + path);
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) return std::optional<git_oid>();
    return std::optional<git_oid>(*git_tree_entry_id(entry.get()));
}

/// The path `path` of `new_tree` was renamed from in `old_tree` (git's rename detection), or
/// "" when it was added.
Result<std::string> renamed_from(git_repository* repo, git_tree* old_tree, git_tree* new_tree,
                                 const std::string& path) {
    git_diff_options opts;
    git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
    opts.flags |= GIT_DIFF_IGNORE_SUBMODULES;
    git::Diff diff;
    if (git_diff_tree_to_tree(Setter(diff), repo, old_tree, new_tree, &opts) != 0)
        return git::git_error("diffing trees");
    git_diff_find_options find;
    git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
    find.flags = GIT_DIFF_FIND_RENAMES;
    if (git_diff_find_similar(diff.get(), &find) != 0) return git::git_error("finding renames");
    for (size_t d = 0; d < git_diff_num_deltas(diff.get()); ++d) {
        const git_diff_delta* delta = git_diff_get_delta(diff.get(), d);
        if (delta->status == GIT_DELTA_RENAMED && path == delta->new_file.path)
            return std::string(delta->old_file.path);
    }
    return std::string();
}

} // namespace

Result<std::vector<BlameLine>> blame_file(const Repo& repo, const std::string& path,
                                          const std::string& rev) {
    // Trees and blobs stay in libgit2's (bounded) object cache: each is read several times.
    git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, size_t{4} << 20);
    git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_BLOB, size_t{1} << 20);
    git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, ssize_t{256} << 20);
    // libgit2 hashes every object it reads again to check its id; git does not on reads (a
    // damaged object still fails: zlib checks every object's stream).
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    auto tip = repo.resolve(rev);
    if (!tip) return tip.error();

    git::Revwalk walk;
    if (git_revwalk_new(Setter(walk), repo.get()) != 0)
        return git::git_error("starting a history walk");
    git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
    if (git_revwalk_push(walk.get(), &*tip) != 0)
        return git::git_error("walking history from " + rev);
    std::vector<git_oid> commits;
    std::unordered_map<std::string, uint32_t> index;
    git_oid id;
    int rc;
    while ((rc = git_revwalk_next(&id, walk.get())) == 0) {
        index.emplace(oid_key(id), static_cast<uint32_t>(commits.size()));
        commits.push_back(id);
    }
    if (rc != GIT_ITEROVER) return git::git_error("walking history from " + rev);
    const auto n = static_cast<uint32_t>(commits.size());
    std::vector<std::vector<uint32_t>> parents(n);
    std::vector<git_oid> trees(n);
    for (uint32_t i = 0; i < n; ++i) {
        auto c = repo.lookup_commit(commits[i]);
        if (!c) return c.error();
        trees[i] = *git_commit_tree_id(c->get());
        for (unsigned p = 0; p < git_commit_parentcount(c->get()); ++p) {
            auto it = index.find(oid_key(*git_commit_parent_id(c->get(), p)));
            if (it != index.end()) parents[i].push_back(it->second); // shallow: missing
        }
    }

    // Pass 1, newest first: the file's name and blob in each commit that leads to `rev`'s.
    std::vector<std::optional<std::string>> name(n);
    std::vector<git_oid> blob(n);
    name[n - 1] = path;
    auto lookup_tree = [&](uint32_t i) -> Result<git::Tree> {
        git::Tree t;
        if (git_tree_lookup(Setter(t), repo.get(), &trees[i]) != 0)
            return git::git_error("reading a tree");
        return t;
    };
    for (uint32_t k = n; k-- > 0;) {
        if (!name[k]) continue;
        {
            auto t = lookup_tree(k);
            if (!t) return t.error();
            auto b = blob_in(t->get(), *name[k]);
            if (!b) return b.error();
            if (!*b) {
                if (k == n - 1) return Error("no file '" + path + "' at " + rev);
                name[k].reset(); // (cannot happen: a child saw it here)
                continue;
            }
            blob[k] = **b;
            for (uint32_t p : parents[k]) {
                if (name[p]) continue;
                if (git_oid_equal(&trees[p], &trees[k])) {
                    name[p] = name[k];
                    continue;
                }
                auto pt = lookup_tree(p);
                if (!pt) return pt.error();
                auto pb = blob_in(pt->get(), *name[k]);
                if (!pb) return pb.error();
                if (*pb) {
                    name[p] = name[k];
                    continue;
                }
                auto from = renamed_from(repo.get(), pt->get(), t->get(), *name[k]);
                if (!from) return from.error();
                if (!from->empty()) name[p] = *from;
            }
        }
    }

    // Pass 2, oldest first: owners.
    std::vector<uint32_t> children(n, 0);
    for (uint32_t i = 0; i < n; ++i)
        if (name[i])
            for (uint32_t p : parents[i])
                if (name[p]) ++children[p];
    std::vector<Version> state(n);
    for (uint32_t i = 0; i < n; ++i) {
        if (!name[i]) continue;
        Version& cur = state[i];
        cur.blob = blob[i];
        bool same = false;
        for (uint32_t p : parents[i])
            if (name[p] && git_oid_equal(&blob[p], &blob[i])) {
                cur = state[p];
                same = true;
                break;
            }
        if (!same) {
            auto text = repo.blob_text(blob[i]);
            if (!text) return text.error();
            cur.text = std::make_shared<const std::string>(std::move(*text));
            const uint32_t lines = git::count_lines(*cur.text);
            auto owners = std::make_shared<std::vector<Owner>>(lines + 1);
            std::vector<uint8_t> owned(lines + 1, 0);
            for (uint32_t p : parents[i]) {
                if (!name[p] || !state[p].text) continue;
                auto map = unchanged_lines(*state[p].text, *cur.text);
                if (!map) return map.error();
                const auto& po = *state[p].owners;
                for (size_t ol = 1; ol < map->size() && ol < po.size(); ++ol) {
                    const uint32_t nl = (*map)[ol];
                    if (nl != 0 && nl <= lines && !owned[nl]) {
                        (*owners)[nl] = po[ol];
                        owned[nl] = 1;
                    }
                }
            }
            for (uint32_t l = 1; l <= lines; ++l)
                if (!owned[l]) (*owners)[l] = Owner{i, l};
            cur.owners = std::move(owners);
        }
        for (uint32_t p : parents[i])
            if (name[p] && --children[p] == 0) state[p] = Version{};
    }

    const Version& last = state[n - 1];
    NoteReader notes(repo);
    struct Attribution {
        std::optional<NoteFile> file;
        std::map<std::string, NoteOrigin> origins;
    };
    std::unordered_map<uint32_t, Attribution> cache;
    auto note_of = [&](uint32_t c) -> const Attribution& {
        auto it = cache.find(c);
        if (it != cache.end()) return it->second;
        Attribution a;
        CommitNote cn = notes.read(commits[c]);
        if (cn.note && name[c]) {
            auto fit = cn.note->files.find(*name[c]);
            // A note whose blob is not the commit's says nothing about these lines.
            if (fit != cn.note->files.end() &&
                (fit->second.blob.empty() || fit->second.blob == git::to_hex(blob[c]))) {
                a.file = std::move(fit->second);
                a.origins = std::move(cn.note->origins);
            }
        }
        return cache.emplace(c, std::move(a)).first->second;
    };
    std::vector<BlameLine> out;
    const auto lines = split_lines(*last.text);
    const auto& owners = *last.owners;
    out.reserve(lines.size());
    for (uint32_t l = 1; l <= lines.size() && l < owners.size(); ++l) {
        BlameLine b;
        b.line = l;
        b.text = std::string(lines[l - 1]);
        const Owner o = owners[l];
        b.commit = git::to_hex(commits[o.commit]);
        b.origin_line = o.line;
        if (is_blank(b.text)) {
            b.cls = LineClass::Blank;
        } else if (const Attribution& a = note_of(o.commit); a.file) {
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
