// Three-way merge of two notes commits by annotated commit, written as a notes tree. The
// remote's notes are untrusted: what is not a note is skipped and reported, a note the remote
// alone changed is validated before it is taken, and the ref update holds the notes flock
// that attach and rewrites hold.
#include "git/note_store.h"
#include "git/raii.h"
#include "git/sync.h"
#include "protocol/note.h"
#include "support/terminal_text.h"

#include <algorithm>
#include <map>
#include <optional>
#include <spdlog/spdlog.h>

namespace provenant::git {
namespace {

using NoteMap = std::map<std::string, git_oid>; // annotated commit (hex) -> note blob

bool same(const std::optional<git_oid>& a, const std::optional<git_oid>& b) {
    if (a.has_value() != b.has_value()) return false;
    return !a || git_oid_equal(&*a, &*b) != 0;
}

std::optional<git_oid> find(const NoteMap& m, const std::string& key) {
    auto it = m.find(key);
    if (it == m.end()) return std::nullopt;
    return it->second;
}

bool is_lower_hex(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

/// The notes of a notes tree, and how many of its entries were not notes.
struct NoteTree {
    NoteMap notes;
    size_t skipped = 0;
};

constexpr size_t kMaxSkipMessages = 10; ///< skipped entries named on stderr, then counted

/// Walks `tree` (names so far: `prefix`) as git lays out notes: a blob named by the rest of
/// the annotated commit's hex id, in fanout subtrees named by two hex digits. Anything else
/// (a gitlink, a symlink, a tree that is no fanout level, a name that is not hex, a note that
/// is a tree) is skipped and reported: one odd entry must not make every sync fail
/// (issue 12 §12). Depth is bounded by the id length.
Status walk_notes_tree(git_repository* repo, const git_tree* tree, const std::string& prefix,
                       const std::string& what, NoteTree& out) {
    const size_t n = git_tree_entrycount(tree);
    for (size_t i = 0; i < n; ++i) {
        const git_tree_entry* e = git_tree_entry_byindex(tree, i);
        const std::string name = git_tree_entry_name(e);
        const std::string key = prefix + name;
        const git_filemode_t mode = git_tree_entry_filemode(e);
        std::string why;
        if (!is_lower_hex(name) || key.size() > 64) {
            why = "not named by a commit id";
        } else if (mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE) {
            if (key.size() == 40 || key.size() == 64)
                out.notes[key] = *git_tree_entry_id(e);
            else
                why = "not named by a whole commit id";
        } else if (mode == GIT_FILEMODE_TREE && name.size() == 2 && key.size() < 64) {
            Tree sub;
            if (int rc = git_tree_lookup(Setter(sub), repo, git_tree_entry_id(e)); rc != 0)
                return git_error(rc, "reading notes tree " + key + " of " + what);
            if (Status st = walk_notes_tree(repo, sub.get(), key, what, out); !st) return st;
        } else {
            why = mode == GIT_FILEMODE_COMMIT ? "a gitlink"
                  : mode == GIT_FILEMODE_LINK ? "a symlink"
                  : mode == GIT_FILEMODE_TREE ? "a tree"
                                              : "not a blob";
        }
        if (!why.empty()) {
            if (out.skipped++ < kMaxSkipMessages)
                spdlog::warn("sync: skipped \"{}\" in the notes of {}: {}, not a note",
                             terminal_safe(key), what, why);
        }
    }
    return {};
}

/// Every note in the notes commit `commit_id` (any fanout); what is not a note is skipped.
Result<NoteTree> read_note_map(git_repository* repo, const git_oid& commit_id,
                               const std::string& what) {
    Commit commit;
    if (int rc = git_commit_lookup(Setter(commit), repo, &commit_id); rc != 0)
        return git_error(rc, "reading notes commit " + to_hex(commit_id));
    Tree tree;
    if (int rc = git_commit_tree(Setter(tree), commit.get()); rc != 0)
        return git_error(rc, "reading the tree of notes commit " + to_hex(commit_id));
    NoteTree out;
    if (Status st = walk_notes_tree(repo, tree.get(), "", what, out); !st) return st.error();
    if (out.skipped > kMaxSkipMessages)
        spdlog::warn("sync: skipped {} entries in all in the notes of {}", out.skipped, what);
    return out;
}

using Entries = std::vector<std::pair<std::string, git_oid>>; // remaining name -> blob

/// Writes `entries` as a notes tree, fanned out like git's own notes code does for large
/// sets (ab/cdef...), so that trees stay small; readers accept any fanout.
Result<git_oid> write_tree(git_repository* repo, const Entries& entries, int fanout) {
    git_treebuilder* raw = nullptr;
    if (int rc = git_treebuilder_new(&raw, repo, nullptr); rc != 0)
        return git_error(rc, "building notes tree");
    std::unique_ptr<git_treebuilder, Deleter<git_treebuilder_free>> builder(raw);
    if (fanout == 0) {
        for (auto& [name, blob] : entries)
            if (int rc = git_treebuilder_insert(nullptr, builder.get(), name.c_str(), &blob,
                                                GIT_FILEMODE_BLOB);
                rc != 0)
                return git_error(rc, "building notes tree");
    } else {
        std::map<std::string, Entries> groups;
        for (auto& [name, blob] : entries)
            groups[name.substr(0, 2)].emplace_back(name.substr(2), blob);
        for (auto& [prefix, group] : groups) {
            auto sub = write_tree(repo, group, fanout - 1);
            if (!sub) return sub.error();
            if (int rc = git_treebuilder_insert(nullptr, builder.get(), prefix.c_str(), &*sub,
                                                GIT_FILEMODE_TREE);
                rc != 0)
                return git_error(rc, "building notes tree");
        }
    }
    git_oid out;
    if (int rc = git_treebuilder_write(&out, builder.get()); rc != 0)
        return git_error(rc, "writing notes tree");
    return out;
}

Result<std::string> read_blob(git_repository* repo, const git_oid& id) {
    Blob blob;
    if (int rc = git_blob_lookup(Setter(blob), repo, &id); rc != 0)
        return git_error(rc, "reading note " + to_hex(id));
    const char* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
    return std::string(data, static_cast<size_t>(git_blob_rawsize(blob.get())));
}

/// Resolves both sides of a note changed on both: through the merger, or (if a note is not
/// ours to parse) by keeping the greater blob id, so both clones still agree.
Result<git_oid> combine(git_repository* repo, const std::string& key, const git_oid& ours,
                        const git_oid& theirs, const NoteTextMerger& merger) {
    auto a = read_blob(repo, ours);
    if (!a) return a.error();
    auto b = read_blob(repo, theirs);
    if (!b) return b.error();
    auto merged = merger(*a, *b);
    if (!merged) {
        spdlog::warn("sync: notes for {} cannot be merged ({}); keeping one of them", key,
                     merged.error().message);
        return git_oid_cmp(&ours, &theirs) > 0 ? ours : theirs;
    }
    git_oid out;
    if (int rc = git_blob_create_from_buffer(&out, repo, merged->data(), merged->size()); rc != 0)
        return git_error(rc, "writing merged note for " + key);
    return out;
}

/// Why the note blob `id` the remote holds for commit `key` cannot be taken, empty when it
/// can: it must be a provenant note we can read, written for that commit. A note changed
/// only on the remote side is checked before it is taken (issue 12 §12), so an invalid note
/// never replaces a valid local one (nor arrives where we had none).
std::string remote_note_problem(git_repository* repo, const std::string& key, const git_oid& id) {
    Odb odb;
    if (git_repository_odb(Setter(odb), repo) != 0) return "the object database cannot be read";
    size_t size = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    if (git_odb_read_header(&size, &type, odb.get(), &id) != 0) return "its blob is missing";
    if (type != GIT_OBJECT_BLOB) return "not a blob";
    if (size > kMaxNoteBytes) return "larger than " + std::to_string(kMaxNoteBytes) + " bytes";
    auto text = read_blob(repo, id);
    if (!text) return text.error().message;
    auto note = parse_note(*text);
    if (!note) return note.error().message;
    if (note->commit != key) return "it is the note of commit " + note->commit;
    return {};
}

std::optional<git_oid> resolve(git_repository* repo, const std::string& ref) {
    git_oid id;
    if (git_reference_name_to_id(&id, repo, ref.c_str()) != 0) return std::nullopt;
    return id;
}

} // namespace

std::string tracking_notes_ref(const std::string& remote) {
    return "refs/provenant-remote/" + remote + "/notes/provenant";
}

Result<NotesMergeResult> merge_notes_refs(git_repository* repo, const std::string& notes_ref,
                                          const std::string& theirs_ref,
                                          const NoteTextMerger& merger) {
    // Every writer of the notes ref holds this flock around its update (note_store.cpp): a
    // ref lock seen by attach while sync updates the ref would otherwise look stale and be
    // removed. Held for the whole merge, so the compare-and-swap below rarely has to retry.
    auto held = lock_notes_writers(repo);
    if (!held) return held.error().context("merging notes from " + theirs_ref);
    const std::string what = theirs_ref;
    for (int attempt = 0; attempt < 16; ++attempt) {
        NotesMergeResult result;
        auto theirs = resolve(repo, theirs_ref);
        auto ours = resolve(repo, notes_ref);
        result.result = ours;
        if (!theirs) return result;
        if (ours && git_oid_equal(&*ours, &*theirs)) return result;
        if (ours && git_graph_descendant_of(repo, &*ours, &*theirs) == 1) return result;
        const bool ahead = !ours || git_graph_descendant_of(repo, &*theirs, &*ours) == 1;

        NoteMap base_map;
        if (ours && !ahead) {
            git_oid base;
            int rc = git_merge_base(&base, repo, &*ours, &*theirs);
            if (rc == 0) {
                auto m = read_note_map(repo, base, "the merge base");
                if (!m) return m.error();
                base_map = std::move(m->notes);
            } else if (rc != GIT_ENOTFOUND) {
                return git_error(rc, "finding the merge base of the notes");
            }
        } else if (ours) {
            // Theirs descends from ours: ours is the base.
            auto m = read_note_map(repo, *ours, notes_ref);
            if (!m) return m.error();
            base_map = std::move(m->notes);
        }
        NoteMap ours_map;
        if (ours) {
            if (ahead) {
                ours_map = base_map;
            } else {
                auto m = read_note_map(repo, *ours, notes_ref);
                if (!m) return m.error();
                ours_map = std::move(m->notes);
            }
        }
        auto theirs_tree = read_note_map(repo, *theirs, what);
        if (!theirs_tree) return theirs_tree.error();
        const NoteMap& theirs_map = theirs_tree->notes;
        result.skipped = theirs_tree->skipped;

        /// Takes their note for `key` only if it is valid; else keeps `keep` (ours).
        auto take_theirs = [&](const std::string& key, const git_oid& t,
                               const std::optional<git_oid>& keep) -> std::optional<git_oid> {
            std::string why = remote_note_problem(repo, key, t);
            if (why.empty()) return t;
            ++result.rejected;
            spdlog::warn("sync: the note of {} from {} is not taken: {}; {}", key, what,
                         terminal_safe(why), keep ? "kept ours" : "it stays without one");
            return keep;
        };

        std::map<std::string, bool> keys;
        for (const NoteMap* m : {&base_map, &ours_map, &theirs_tree->notes})
            for (auto& kv : *m)
                keys[kv.first] = true;
        Entries merged;
        for (auto& [key, unused] : keys) {
            (void)unused;
            auto b = find(base_map, key), o = find(ours_map, key), t = find(theirs_map, key);
            std::optional<git_oid> pick;
            if (same(o, t)) {
                pick = o;
            } else if (same(o, b)) {
                // Changed, added or removed by them only: taken once validated.
                pick = t ? take_theirs(key, *t, o) : std::nullopt;
                if (t && !o && pick) ++result.added;
                if (!t) ++result.removed;
            } else if (same(t, b)) {
                pick = o;
                if (!o) ++result.removed;
            } else if (!o || !t) {
                // Removed on one side, changed on the other: keep it (theirs once validated).
                pick = o ? o : take_theirs(key, *t, std::nullopt);
            } else {
                auto c = combine(repo, key, *o, *t, merger);
                if (!c) return c.error();
                pick = *c;
                ++result.combined;
            }
            if (pick) merged.emplace_back(key, *pick);
            if (!same(pick, o)) result.changed.push_back(key);
        }

        git_oid new_id;
        if (ahead && result.rejected == 0 && result.skipped == 0) {
            // Every note of theirs checked, nothing odd in their tree: their commit as is.
            result.kind = NotesMergeResult::Kind::FastForward;
            new_id = *theirs;
        } else {
            // A merge commit with theirs as a parent: the next sync finds ours up to date
            // with theirs, so what was refused here is not offered again.
            result.kind = NotesMergeResult::Kind::Merged;
            int fanout = merged.size() <= 256 ? 0 : merged.size() <= 65536 ? 1 : 2;
            auto tree_id = write_tree(repo, merged, fanout);
            if (!tree_id) return tree_id.error();
            Tree tree;
            if (int rc = git_tree_lookup(Setter(tree), repo, &*tree_id); rc != 0)
                return git_error(rc, "reading notes tree");
            Commit c_ours, c_theirs;
            if ((ours && git_commit_lookup(Setter(c_ours), repo, &*ours) != 0) ||
                git_commit_lookup(Setter(c_theirs), repo, &*theirs) != 0)
                return git_error("reading notes commits");
            auto sig = note_signature(repo);
            if (!sig) return sig.error();
            // When theirs already descends from ours, theirs alone is the parent.
            std::vector<const git_commit*> parents;
            if (ours && !ahead) parents.push_back(c_ours.get());
            parents.push_back(c_theirs.get());
            std::string message = "Notes merged by 'provenant sync' from " + theirs_ref + "\n";
            if (int rc =
                    git_commit_create(&new_id, repo, nullptr, sig->get(), sig->get(), nullptr,
                                      message.c_str(), tree.get(), parents.size(), parents.data());
                rc != 0)
                return git_error(rc, "committing merged notes");
        }

        Reference updated;
        std::string log = "provenant sync: merge " + theirs_ref;
        int rc = ours ? git_reference_create_matching(Setter(updated), repo, notes_ref.c_str(),
                                                      &new_id, 1, &*ours, log.c_str())
                      : git_reference_create(Setter(updated), repo, notes_ref.c_str(), &new_id, 0,
                                             log.c_str());
        if (rc == 0) {
            result.result = new_id;
            return result;
        }
        if (rc != GIT_EMODIFIED && rc != GIT_EEXISTS && rc != GIT_ELOCKED)
            return git_error(rc, "updating " + notes_ref);
        spdlog::debug("sync: {} moved while merging; merging again", notes_ref);
    }
    return Error(ErrorKind::conflict, "updating " + notes_ref + ": it kept changing while merging");
}

} // namespace provenant::git
