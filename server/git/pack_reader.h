// Objects read straight from a repository's pack files, with a delta-base cache that suits a
// walk oldest first. git's packs store the newest version of a tree or blob whole and older
// ones as deltas against newer ones, up to 50 deep, which suits `git log` (newest first).
// Read oldest first, every version resolves its chain from the newest; libgit2 1.5 keeps the
// bases it resolved in a 16 MiB cache that it empties whole when full (a 200-entry tree chain
// alone is 400 KiB), so at 100,000 commits most tree reads resolved their chain again: half of
// a cold report. Here every version resolved on the way stays cached (bounded, least recently
// used dropped), so the next version of the same directory is found whole.
#pragma once

#include "git/object_cache.h"
#include "support/result.h"

#include <cstdint>
#include <git2.h>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace provenant::git {

/// A repository's packs (the *.idx/*.pack pairs of objects/pack, index version 2), mapped
/// read-only. read() answers only for objects it finds in a pack; anything else (loose objects,
/// alternates, a pack it cannot read) is the caller's to read through libgit2, so the reader
/// can only make a read faster, never change its result. Malformed pack data is an Error,
/// never read past the mappings. One thread.
class PackReader {
public:
    /// The bases and versions resolved on the way, kept up to this many bytes.
    static constexpr size_t kDefaultBudget = size_t{96} << 20;

    /// Maps the packs of the repository whose git directory is `git_dir`. None found (or
    /// none readable) is not an error: every read then answers nullopt.
    static std::unique_ptr<PackReader> open(const std::string& git_dir,
                                            size_t budget = kDefaultBudget);
    ~PackReader();
    PackReader(const PackReader&) = delete;
    PackReader& operator=(const PackReader&) = delete;

    /// The object `id` from a pack: its type and bytes; nullopt when no pack has it.
    Result<std::optional<RawObject>> read(const git_oid& id);
    /// How many packs are mapped, and how many delta applications reads have made.
    size_t packs() const { return packs_.size(); }
    size_t deltas_applied() const { return deltas_; }

private:
    struct Pack {
        const unsigned char* idx = nullptr;
        size_t idx_size = 0;
        const unsigned char* pack = nullptr;
        size_t pack_size = 0;
        uint32_t objects = 0;
    };
    struct Key {
        uint32_t pack;
        uint64_t offset;
        bool operator==(const Key&) const = default;
    };
    struct KeyHash {
        size_t operator()(const Key& k) const noexcept { return k.offset * 31 + k.pack; }
    };
    struct Entry {
        Key key;
        std::shared_ptr<const std::string> data;
        git_object_t type;
    };
    PackReader(size_t budget) : budget_(budget) {}
    std::optional<uint64_t> find(const Pack& p, const git_oid& id) const;
    Result<RawObject> resolve(uint32_t pack, uint64_t offset);
    Status inflate_at(const Pack& p, uint64_t at, size_t size, std::string& out);
    void remember(const Key& key, const RawObject& object);

    std::vector<Pack> packs_;
    std::list<Entry> lru_; // most recently used first
    std::unordered_map<Key, std::list<Entry>::iterator, KeyHash> index_;
    size_t budget_, bytes_ = 0, deltas_ = 0;
    void* zstream_ = nullptr; // a z_stream, reset per object (no allocation per inflation)
};

} // namespace provenant::git
