// Path lookup over raw tree objects: "<octal mode> <name>\0<20-byte id>" entries, scanned.
#include "git/tree_path.h"

#include "git/raii.h"

#include <cstring>
#include <memory>

namespace provenant::git {

namespace {

using OdbObject = std::unique_ptr<git_odb_object, Deleter<git_odb_object_free>>;

constexpr uint32_t kTypeMask = 0170000, kDirectory = 0040000, kGitlink = 0160000;

struct RawEntry {
    uint32_t mode = 0;
    git_oid id{};
};

/// The entry `name` of the raw tree `data`, nullopt when absent; an Error when the tree is
/// malformed before the entry is found.
Result<std::optional<RawEntry>> find_entry(std::string_view data, std::string_view name,
                                           const git_oid& tree) {
    std::optional<RawEntry> found;
    const bool whole =
        scan_raw_tree(data, [&](uint32_t mode, std::string_view n, const unsigned char* id) {
            if (n != name) return true;
            found = RawEntry{mode, {}};
            std::memcpy(found->id.id, id, GIT_OID_RAWSZ);
            return false;
        });
    if (!whole && !found)
        return Error(ErrorKind::invalid_input, "malformed tree " + git::to_hex(tree));
    return found;
}

} // namespace

Result<std::optional<git_oid>> blob_at_path(git_odb* odb, const git_oid& tree,
                                            std::string_view path) {
    git_oid current = tree;
    while (true) {
        const size_t slash = path.find('/');
        const std::string_view name = path.substr(0, slash);
        if (name.empty()) return std::optional<git_oid>(); // "", "/x", "x//y", "x/"
        OdbObject raw;
        if (git_odb_read(Setter(raw), odb, &current) != 0)
            return git::git_error("reading the tree " + git::to_hex(current));
        if (git_odb_object_type(raw.get()) != GIT_OBJECT_TREE)
            return Error(ErrorKind::invalid_input, git::to_hex(current) + " is not a tree");
        const std::string_view data(static_cast<const char*>(git_odb_object_data(raw.get())),
                                    git_odb_object_size(raw.get()));
        auto entry = find_entry(data, name, current);
        if (!entry) return entry.error();
        if (!*entry) return std::optional<git_oid>();
        const uint32_t type = (*entry)->mode & kTypeMask;
        if (slash == std::string_view::npos) { // the last name: a blob, or nothing
            if (type == kDirectory || type == kGitlink) return std::optional<git_oid>();
            return std::optional<git_oid>((*entry)->id);
        }
        if (type != kDirectory) return std::optional<git_oid>();
        current = (*entry)->id;
        path.remove_prefix(slash + 1);
    }
}

Result<std::optional<RawTreeEntry>> raw_tree_entry(std::string_view data, std::string_view name,
                                                   const git_oid& tree) {
    auto entry = find_entry(data, name, tree);
    if (!entry) return entry.error();
    if (!*entry) return std::optional<RawTreeEntry>();
    return std::optional<RawTreeEntry>(RawTreeEntry{(*entry)->mode, (*entry)->id});
}

} // namespace provenant::git
