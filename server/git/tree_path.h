// The blob at a path of a tree, found by scanning the raw tree objects up to the entry, as
// git's own tree walk does, rather than parsing each tree read in full (blame looks up one
// path in every parent of every commit it visits).
#pragma once

#include "support/result.h"

#include <cstring>
#include <git2.h>
#include <optional>
#include <string_view>

namespace provenant::git {

/// The id of the blob at `path` ('/'-separated, relative, its bytes as they are: a path need
/// not be UTF-8) under the tree `tree`, read through `odb` (and its object cache); nullopt when
/// there is no such entry, or it is not a blob (a tree, a submodule), as with
/// git_tree_entry_bypath. A malformed tree object is an Error, never read past its end. Any
/// thread, one at a time per repository (libgit2's rule for an odb).
Result<std::optional<git_oid>> blob_at_path(git_odb* odb, const git_oid& tree,
                                            std::string_view path);

/// An entry of a raw tree object: its octal mode and its object's id.
struct RawTreeEntry {
    uint32_t mode = 0;
    git_oid id{};
};

/// Calls `visit(mode, name, id)` (`id`: the entry's 20 raw bytes) for each entry of the raw tree
/// object `data`, in order, until it returns false; false when it stopped there or the tree is
/// malformed (never read past its end), true when every entry was visited. Any thread.
template <typename Visit> bool scan_raw_tree(std::string_view data, Visit&& visit) {
    size_t at = 0;
    while (at < data.size()) {
        uint32_t mode = 0;
        size_t digits = 0;
        for (; at < data.size() && data[at] >= '0' && data[at] <= '7'; ++at, ++digits)
            mode = mode * 8 + uint32_t(data[at] - '0');
        if (digits == 0 || digits > 7 || at >= data.size() || data[at] != ' ') return false;
        const size_t name_start = ++at;
        const void* nul = std::memchr(data.data() + at, '\0', data.size() - at);
        if (nul == nullptr) return false;
        const size_t name_end = size_t(static_cast<const char*>(nul) - data.data());
        if (name_end == name_start || data.size() - name_end - 1 < GIT_OID_RAWSZ) return false;
        at = name_end + 1 + GIT_OID_RAWSZ;
        const auto* id = reinterpret_cast<const unsigned char*>(data.data() + name_end + 1);
        if (!visit(mode, data.substr(name_start, name_end - name_start), id)) return false;
    }
    return true;
}

/// The entry named exactly `name` in `data`, the raw object of the tree `tree` (named in
/// errors); nullopt when absent. A tree malformed before the entry is an Error, never read past
/// its end. Any thread.
Result<std::optional<RawTreeEntry>> raw_tree_entry(std::string_view data, std::string_view name,
                                                   const git_oid& tree);

} // namespace provenant::git
