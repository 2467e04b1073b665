// Tree objects in their raw form ("<octal mode> <name>\0<20-byte id>" entries), read as
// libgit2's tree parser reads them but without building a git_tree: blame's path look-ups and
// the walk's tree comparisons read many trees and need only a few of their entries.
#pragma once

#include "support/result.h"

#include <cstdint>
#include <cstring>
#include <git2.h>
#include <string_view>

namespace provenant::git {

/// One entry of a raw tree: its mode as stored (not normalized), its name (no NUL inside,
/// followed by one in the object) and its id (20 bytes inside the object).
struct RawTreeEntry {
    uint16_t mode = 0;
    std::string_view name;
    const unsigned char* id = nullptr;

    /// Mode types, as libgit2 tells them apart (git_tree_entry_type).
    bool is_tree() const { return (mode & 0170000) == 0040000; }
    bool is_gitlink() const { return (mode & 0170000) == 0160000; }
    /// git_tree_entry_filemode: the mode normalized to one of git's five.
    uint32_t filemode() const;
    git_oid oid() const {
        git_oid o;
        std::memcpy(o.id, id, GIT_OID_RAWSZ);
        return o;
    }
};

/// Reads the entries of a raw tree one by one. A malformed entry (no mode, a mode over 16
/// bits as libgit2 refuses it, no space, no NUL, an empty name, a short id) is an Error,
/// never read past the end.
class RawTreeReader {
public:
    RawTreeReader(std::string_view data, const git_oid& tree) : data_(data), tree_(tree) {}
    /// The next entry into `out`: true, false at the end, or the Error of a malformed tree.
    Result<bool> next(RawTreeEntry& out);

private:
    std::string_view data_;
    size_t at_ = 0;
    git_oid tree_;
};

/// git's order of tree entries (git_tree_entry_cmp): by name's bytes, a tree's name as if
/// followed by '/'. 0: the same name and both trees or both not.
int compare_entries(const RawTreeEntry& a, const RawTreeEntry& b);

} // namespace provenant::git
