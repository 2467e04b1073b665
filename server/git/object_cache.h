// Raw objects kept by id for a walk that reads each of them again one or more commits later: a
// commit's new trees and blobs are, in its children, the old side of the next diff of that
// path. libgit2 caches no blob and no tree over 4 KiB, and reading an old version again from
// the pack resolves its whole delta chain (its bases long gone from libgit2's 16 MiB delta-base
// cache): at 100,000 commits that was most of the cold walk's time.
#pragma once

#include "git/raii.h"
#include "support/result.h"

#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace provenant::git {

/// Hashing and equality of object ids, for maps keyed by them (no string per key).
struct OidHash {
    size_t operator()(const git_oid& id) const noexcept;
};
struct OidEq {
    bool operator()(const git_oid& a, const git_oid& b) const noexcept {
        return git_oid_equal(&a, &b) != 0;
    }
};

/// An object's type and bytes, shared: valid as long as anyone holds it.
struct RawObject {
    git_object_t type = GIT_OBJECT_INVALID;
    std::shared_ptr<const std::string> data;
    explicit operator bool() const { return data != nullptr; }
};

/// The bytes of a raw object.
inline std::string_view data_of(const RawObject& o) {
    return o.data ? std::string_view(*o.data) : std::string_view();
}

class PackReader;

/// Raw objects (a PackReader's, else git_odb_read) by id, the least recently used dropped once
/// their sizes pass a budget: memory is bounded whatever the history's length. An object is dropped
/// too when its caller says it is superseded (drop): with the budget spent only on live objects,
/// the old side of a file changed 10,000 commits after its last change is still there. An object
/// handed out stays valid while its holder keeps it, dropped from the cache or not. One thread.
class ObjectCache {
public:
    using Object = RawObject;
    /// The budget of the default walk: a tree of 20,000 files and its directories with room
    /// for the versions a few hundred commits read.
    static constexpr size_t kDefaultBudget = size_t{64} << 20;

    explicit ObjectCache(size_t budget = kDefaultBudget) : budget_(budget) {}
    /// Reads through `packs` first (not owned; null: libgit2 only).
    void use_packs(PackReader* packs) { packs_ = packs; }
    /// The object `id` read through `odb` (from the cache when it holds it), which must be
    /// of type `type`: a mismatch is an Error, as git_object_lookup makes it.
    Result<Object> get(git_odb* odb, const git_oid& id, git_object_t type);
    /// Drops `id` (if held): a walk parents first calls it for the old side of a change,
    /// superseded by the new one, so the cache holds about one tree's live objects, not every
    /// version read lately. (A sibling branch that needs it again reads it again.)
    void drop(const git_oid& id);
    /// The sum of the sizes of the objects held (for tests and the budget).
    size_t bytes() const { return bytes_; }
    /// How many look-ups were answered from the cache, and how many read.
    size_t hits() const { return hits_; }
    size_t reads() const { return reads_; }

private:
    struct Entry {
        git_oid id;
        Object object;
        size_t size;
    };
    std::list<Entry> lru_; // most recently used first
    std::unordered_map<git_oid, std::list<Entry>::iterator, OidHash, OidEq> index_;
    PackReader* packs_ = nullptr;
    size_t budget_, bytes_ = 0, hits_ = 0, reads_ = 0;
};

} // namespace provenant::git
