// Three-way merge of two notes commits by annotated commit, written as a notes tree.
#include "git/note_store.h"
#include "git/raii.h"
#include "git/sync.h"

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

/// Every note in the notes commit `commit_id` (any fanout).
Result<NoteMap> read_note_map(git_repository* repo, const git_oid& commit_id) {
    Commit commit;
    if (git_commit_lookup(Setter(commit), repo, &commit_id) != 0)
        return git_error("reading notes commit " + to_hex(commit_id));
    NoteIterator it;
    NoteMap out;
    int rc = git_note_commit_iterator_new(Setter(it), commit.get());
    if (rc == GIT_ENOTFOUND) return out;
    if (rc != 0) return git_error("listing notes of " + to_hex(commit_id));
    git_oid blob, annotated;
    while ((rc = git_note_next(&blob, &annotated, it.get())) == 0)
        out[to_hex(annotated)] = blob;
    if (rc != GIT_ITEROVER) return git_error("listing notes of " + to_hex(commit_id));
    return out;
}

using Entries = std::vector<std::pair<std::string, git_oid>>; // remaining name -> blob

/// Writes `entries` as a notes tree, fanned out like git's own notes code does for large
/// sets (ab/cdef...), so that trees stay small; readers accept any fanout.
Result<git_oid> write_tree(git_repository* repo, const Entries& entries, int fanout) {
    git_treebuilder* raw = nullptr;
    if (git_treebuilder_new(&raw, repo, nullptr) != 0) return git_error("building notes tree");
    std::unique_ptr<git_treebuilder, Deleter<git_treebuilder_free>> builder(raw);
    if (fanout == 0) {
        for (auto& [name, blob] : entries)
            if (git_treebuilder_insert(nullptr, builder.get(), name.c_str(), &blob,
                                       GIT_FILEMODE_BLOB) != 0)
                return git_error("building notes tree");
    } else {
        std::map<std::string, Entries> groups;
        for (auto& [name, blob] : entries)
            groups[name.substr(0, 2)].emplace_back(name.substr(2), blob);
        for (auto& [prefix, group] : groups) {
            auto sub = write_tree(repo, group, fanout - 1);
            if (!sub) return sub.error();
            if (git_treebuilder_insert(nullptr, builder.get(), prefix.c_str(), &*sub,
                                       GIT_FILEMODE_TREE) != 0)
                return git_error("building notes tree");
        }
    }
    git_oid out;
    if (git_treebuilder_write(&out, builder.get()) != 0) return git_error("writing notes tree");
    return out;
}

Result<std::string> read_blob(git_repository* repo, const git_oid& id) {
    Blob blob;
    if (git_blob_lookup(Setter(blob), repo, &id) != 0)
        return git_error("reading note " + to_hex(id));
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
    if (git_blob_create_from_buffer(&out, repo, merged->data(), merged->size()) != 0)
        return git_error("writing merged note for " + key);
    return out;
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
    for (int attempt = 0; attempt < 16; ++attempt) {
        NotesMergeResult result;
        auto theirs = resolve(repo, theirs_ref);
        auto ours = resolve(repo, notes_ref);
        result.result = ours;
        if (!theirs) return result;
        if (ours && git_oid_equal(&*ours, &*theirs)) return result;
        if (ours && git_graph_descendant_of(repo, &*ours, &*theirs) == 1) return result;

        git_oid new_id;
        if (!ours || git_graph_descendant_of(repo, &*theirs, &*ours) == 1) {
            result.kind = NotesMergeResult::Kind::FastForward;
            new_id = *theirs;
        } else {
            result.kind = NotesMergeResult::Kind::Merged;
            NoteMap base_map;
            git_oid base;
            int rc = git_merge_base(&base, repo, &*ours, &*theirs);
            if (rc == 0) {
                auto m = read_note_map(repo, base);
                if (!m) return m.error();
                base_map = std::move(*m);
            } else if (rc != GIT_ENOTFOUND) {
                return git_error("finding the merge base of the notes");
            }
            auto ours_map = read_note_map(repo, *ours);
            if (!ours_map) return ours_map.error();
            auto theirs_map = read_note_map(repo, *theirs);
            if (!theirs_map) return theirs_map.error();

            std::map<std::string, bool> keys;
            for (auto* m : {&base_map, &*ours_map, &*theirs_map})
                for (auto& kv : *m)
                    keys[kv.first] = true;
            Entries merged;
            for (auto& [key, unused] : keys) {
                (void)unused;
                auto b = find(base_map, key), o = find(*ours_map, key), t = find(*theirs_map, key);
                std::optional<git_oid> pick;
                if (same(o, t)) {
                    pick = o;
                } else if (same(o, b)) {
                    pick = t; // changed, added or removed by them only
                    if (t && !o) ++result.added;
                    if (!t) ++result.removed;
                } else if (same(t, b)) {
                    pick = o;
                    if (!o) ++result.removed;
                } else if (!o || !t) {
                    pick = o ? o : t; // removed on one side, changed on the other: keep it
                } else {
                    auto c = combine(repo, key, *o, *t, merger);
                    if (!c) return c.error();
                    pick = *c;
                    ++result.combined;
                }
                if (pick) merged.emplace_back(key, *pick);
            }
            int fanout = merged.size() <= 256 ? 0 : merged.size() <= 65536 ? 1 : 2;
            auto tree_id = write_tree(repo, merged, fanout);
            if (!tree_id) return tree_id.error();
            Tree tree;
            if (git_tree_lookup(Setter(tree), repo, &*tree_id) != 0)
                return git_error("reading notes tree");
            Commit c_ours, c_theirs;
            if (git_commit_lookup(Setter(c_ours), repo, &*ours) != 0 ||
                git_commit_lookup(Setter(c_theirs), repo, &*theirs) != 0)
                return git_error("reading notes commits");
            auto sig = note_signature(repo);
            if (!sig) return sig.error();
            const git_commit* parents[2] = {c_ours.get(), c_theirs.get()};
            std::string message = "Notes merged by 'provenant sync' from " + theirs_ref + "\n";
            if (git_commit_create(&new_id, repo, nullptr, sig->get(), sig->get(), nullptr,
                                  message.c_str(), tree.get(), 2, parents) != 0)
                return git_error("committing merged notes");
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
            return git_error("updating " + notes_ref);
        spdlog::debug("sync: {} moved while merging; merging again", notes_ref);
    }
    return Error("updating " + notes_ref + ": it kept changing while merging");
}

} // namespace provenant::git
