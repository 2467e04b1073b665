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
#include <string_view>
#include <unordered_map>
#include <vector>

namespace provenant::git {

/// A repository's packs (the *.idx/*.pack pairs of objects/pack, index version 1 or 2), mapped
/// read-only. read() answers only for objects it finds in a pack; anything else (loose objects,
/// alternates, a pack it cannot read) is the caller's to read through libgit2, so the reader
/// can only make a read faster, never change its result. Malformed pack data is an Error,
/// never read past the mappings. One thread; share() gives another thread a reader of the
/// same mappings (mapped once, counted once in the process's memory).
class PackReader {
public:
    /// The bases and versions resolved on the way, kept up to this many bytes.
    static constexpr size_t kDefaultBudget = size_t{96} << 20;

    /// Maps the packs of the repository whose git directory is `git_dir`. None found (or
    /// none readable) is not an error: every read then answers nullopt.
    static std::unique_ptr<PackReader> open(const std::string& git_dir,
                                            size_t budget = kDefaultBudget);
    /// A reader of one pack held in memory: its index's bytes and the pack's, which must
    /// outlive the reader (for the fuzzer: the same checks as mapped files). An index or pack
    /// it cannot read gives a reader of no packs.
    static std::unique_ptr<PackReader> in_memory(std::string_view idx, std::string_view pack,
                                                 size_t budget = kDefaultBudget);
    /// A reader of the same packs with a cache of its own, for another thread.
    std::unique_ptr<PackReader> share(size_t budget = kDefaultBudget) const;
    ~PackReader();
    PackReader(const PackReader&) = delete;
    PackReader& operator=(const PackReader&) = delete;

    /// The object `id` from a pack: its type and bytes; nullopt when no pack has it.
    Result<std::optional<RawObject>> read(const git_oid& id);
    /// Every object id the packs' indexes list, in their order (for tests and the fuzzer).
    std::vector<git_oid> ids() const;
    /// How many packs are mapped, how many objects reads found, and how many delta
    /// applications they made.
    size_t packs() const { return packs_.size(); }
    size_t found() const { return found_; }
    size_t deltas_applied() const { return deltas_; }

private:
    /// A file mapped read-only (or bytes someone else owns: not unmapped).
    struct Mapping {
        const unsigned char* data = nullptr;
        size_t size = 0;
        bool mapped = false;
        Mapping() = default;
        Mapping(const Mapping&) = delete;
        Mapping& operator=(const Mapping&) = delete;
        ~Mapping();
    };
    struct Pack {
        std::shared_ptr<const Mapping> idx_file, pack_file; // shared by share()'s readers
        const unsigned char* idx = nullptr;
        size_t idx_size = 0;
        const unsigned char* pack = nullptr;
        size_t pack_size = 0;
        uint32_t objects = 0;
        uint32_t version = 2; // the index's: 1 (entries of offset and id) or 2
    };
    /// `p` with its index and pack checked (sizes, magic, counts), or nullopt.
    static std::optional<Pack> checked(Pack p);
    /// The id of the index's entry `k` (< objects).
    const unsigned char* id_at(const Pack& p, uint32_t k) const;
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
    explicit PackReader(size_t budget);
    std::optional<uint64_t> find(const Pack& p, const git_oid& id) const;
    Result<RawObject> resolve(uint32_t pack, uint64_t offset);
    Status inflate_at(const Pack& p, uint64_t at, size_t size, std::string& out);
    void remember(const Key& key, const RawObject& object);

    std::vector<Pack> packs_;
    std::list<Entry> lru_; // most recently used first
    std::unordered_map<Key, std::list<Entry>::iterator, KeyHash> index_;
    size_t budget_, bytes_ = 0, found_ = 0, deltas_ = 0;
    /// The decoder, kept for every object (no allocation per inflation): a
    /// libdeflate_decompressor with PROVENANT_LIBDEFLATE, else a z_stream reset per object.
    void* zstream_ = nullptr;
};

} // namespace provenant::git
