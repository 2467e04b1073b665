// Note look-up over the raw notes tree: at each level, the fan-out directory named by the next
// two hex digits (searched first, as git loads it first), then the blob named by the rest.
#include "git/notes_tree.h"

#include <cstring>

namespace provenant::git {

namespace {

using OdbObject = std::unique_ptr<git_odb_object, Deleter<git_odb_object_free>>;

constexpr uint32_t kTypeMask = 0170000, kDirectory = 0040000, kRegular = 0100000;

} // namespace

NotesTree::NotesTree(const Repo& repo, std::string_view ref) {
    const std::string name(ref);
    git_oid tip;
    int rc = git_reference_name_to_id(&tip, repo.get(), name.c_str());
    if (rc == GIT_ENOTFOUND) return; // no notes yet
    if (rc != 0) {
        error_ = git_error(rc, "resolving " + name);
        return;
    }
    Commit commit;
    if (rc = git_commit_lookup(Setter(commit), repo.get(), &tip); rc != 0) {
        error_ = git_error(rc, "reading the commit of " + name);
        return;
    }
    if (rc = git_repository_odb(Setter(odb_), repo.get()); rc != 0) {
        error_ = git_error(rc, "opening the object database");
        return;
    }
    const git_oid tree = *git_commit_tree_id(commit.get());
    OdbObject raw;
    if (rc = git_odb_read(Setter(raw), odb_.get(), &tree); rc != 0) {
        error_ = git_error(rc, "reading the notes tree " + to_hex(tree));
        return;
    }
    if (git_odb_object_type(raw.get()) != GIT_OBJECT_TREE) {
        error_ = Error(ErrorKind::invalid_input, to_hex(tree) + " in the notes is not a tree");
        return;
    }
    root_.assign(static_cast<const char*>(git_odb_object_data(raw.get())),
                 git_odb_object_size(raw.get()));
    RawTreeReader reader(root_, tree);
    RawTreeEntry e;
    while (true) {
        auto more = reader.next(e);
        if (!more) {
            error_ = Error(ErrorKind::invalid_input, "malformed notes tree " + to_hex(tree));
            return;
        }
        if (!*more) break;
        root_index_.emplace(e.name, e); // a repeated name: the first, as a scan finds it
    }
    tree_ = tree;
}

Status NotesTree::collect(const git_oid& tree, std::string_view rest,
                          std::vector<git_oid>& out) const {
    OdbObject raw;
    if (int rc = git_odb_read(Setter(raw), odb_.get(), &tree); rc != 0)
        return git_error(rc, "reading the notes tree " + to_hex(tree));
    if (git_odb_object_type(raw.get()) != GIT_OBJECT_TREE)
        return Error(ErrorKind::invalid_input, to_hex(tree) + " in the notes is not a tree");
    const std::string_view data(static_cast<const char*>(git_odb_object_data(raw.get())),
                                git_odb_object_size(raw.get()));
    std::optional<RawTreeEntry> dir;
    if (rest.size() > 2) {
        auto found = raw_tree_entry(data, rest.substr(0, 2), tree);
        if (!found) return found.error();
        dir = *found;
    }
    auto flat = raw_tree_entry(data, rest, tree);
    if (!flat) return flat.error();
    return collect_found(dir, *flat, rest, out);
}

Status NotesTree::collect_found(const std::optional<RawTreeEntry>& dir,
                                const std::optional<RawTreeEntry>& flat, std::string_view rest,
                                std::vector<git_oid>& out) const {
    // git's notes.c takes a two-digit directory for a fan-out level and a regular file named by
    // the rest of the id for a note; anything else is not a note. A subtree sorts before a flat
    // name that shares its digits, and git loads it first: its notes come first.
    if (dir && (dir->mode & kTypeMask) == kDirectory)
        if (auto st = collect(dir->oid(), rest.substr(2), out); !st) return st;
    if (flat && (flat->mode & kTypeMask) == kRegular) out.push_back(flat->oid());
    return {};
}

Result<std::optional<std::string>> NotesTree::read(const git_oid& commit) const {
    if (error_) return *error_;
    if (!tree_) return std::optional<std::string>();
    std::vector<git_oid> blobs;
    const std::string hex = to_hex(commit);
    auto at_root = [&](std::string_view name) -> std::optional<RawTreeEntry> {
        auto it = root_index_.find(name);
        return it == root_index_.end() ? std::nullopt : std::optional<RawTreeEntry>(it->second);
    };
    if (auto st =
            collect_found(at_root(std::string_view(hex).substr(0, 2)), at_root(hex), hex, blobs);
        !st)
        return st.error().context("reading the note of " + to_hex(commit));
    if (blobs.empty()) return std::optional<std::string>();
    std::string text;
    for (const git_oid& blob : blobs) {
        OdbObject raw;
        if (int rc = git_odb_read(Setter(raw), odb_.get(), &blob); rc != 0)
            return git_error(rc, "reading the note of " + to_hex(commit));
        if (git_odb_object_type(raw.get()) != GIT_OBJECT_BLOB)
            return Error(ErrorKind::invalid_input,
                         "the note of " + to_hex(commit) + " is not a blob");
        const std::string_view more(static_cast<const char*>(git_odb_object_data(raw.get())),
                                    git_odb_object_size(raw.get()));
        // git's combine_notes_concatenate: an empty note adds nothing; otherwise one blank line
        // between the texts (the first one's final newline counted in it).
        if (more.empty()) continue;
        if (!text.empty()) {
            if (text.back() == '\n') text.pop_back();
            text += "\n\n";
        }
        text += more;
    }
    // git_note_message's text ends at the first NUL: the same text either way.
    text.resize(::strnlen(text.data(), text.size()));
    return std::optional<std::string>(std::move(text));
}

} // namespace provenant::git
