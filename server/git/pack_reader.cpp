// Pack index look-ups (versions 1 and 2), pack entry headers, zlib streams (libdeflate's decoder
// where the build has it, else zlib's) and git's delta format, each bounds-checked against the
// mapped files.
#include "git/pack_reader.h"

#include "git/repository.h"

#include <algorithm>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#if PROVENANT_LIBDEFLATE
#include <libdeflate.h>
#else
#include <zlib.h>
#endif

namespace provenant::git {

namespace {

constexpr size_t kIdxHeader = 8 + 256 * 4;
constexpr size_t kMaxChain = 10000; // git caps depth at 4095; a cycle of REF_DELTAs ends here
#if !PROVENANT_LIBDEFLATE
constexpr size_t kInflateSlack = 258; // zlib's inflate_fast needs this much output room
#endif

uint32_t be32(const unsigned char* p) {
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

/// Maps `path` read-only; null when it cannot be.
const unsigned char* map_file(const std::string& path, size_t& size) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return nullptr;
    struct stat st {};
    void* p = MAP_FAILED;
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
        size = size_t(st.st_size);
        p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    }
    ::close(fd);
    return p == MAP_FAILED ? nullptr : static_cast<const unsigned char*>(p);
}

Error malformed(const std::string& what) {
    return Error(ErrorKind::invalid_input, "malformed pack: " + what);
}

/// Applies git's delta `delta` to `base` into `out`.
Status apply_delta(std::string_view base, std::string_view delta, std::string& out) {
    size_t at = 0;
    auto varint = [&](size_t& v) {
        v = 0;
        for (unsigned shift = 0; at < delta.size() && shift < 64; shift += 7) {
            const auto c = static_cast<unsigned char>(delta[at++]);
            v |= size_t(c & 0x7f) << shift;
            if ((c & 0x80) == 0) return true;
        }
        return false;
    };
    size_t src = 0, dst = 0;
    if (!varint(src) || !varint(dst) || src != base.size()) return malformed("delta header");
    out.clear();
    // Not reserved from the header alone (damage could claim any size): the copies and inserts
    // below check every byte against it.
    out.reserve(std::min(dst, base.size() + delta.size()));
    while (at < delta.size()) {
        const auto cmd = static_cast<unsigned char>(delta[at++]);
        if ((cmd & 0x80) != 0) {
            size_t off = 0, len = 0;
            for (int k = 0; k < 4; ++k)
                if ((cmd & (1 << k)) != 0) {
                    if (at >= delta.size()) return malformed("delta copy");
                    off |= size_t(static_cast<unsigned char>(delta[at++])) << (8 * k);
                }
            for (int k = 0; k < 3; ++k)
                if ((cmd & (0x10 << k)) != 0) {
                    if (at >= delta.size()) return malformed("delta copy");
                    len |= size_t(static_cast<unsigned char>(delta[at++])) << (8 * k);
                }
            if (len == 0) len = 0x10000;
            if (off > base.size() || len > base.size() - off || len > dst - out.size())
                return malformed("delta copy out of range");
            out.append(base.substr(off, len));
        } else if (cmd != 0) {
            if (cmd > delta.size() - at || cmd > dst - out.size())
                return malformed("delta insert out of range");
            out.append(delta.substr(at, cmd));
            at += cmd;
        } else {
            return malformed("delta opcode 0");
        }
    }
    if (out.size() != dst) return malformed("delta size");
    return {};
}

git_object_t object_type(unsigned t) {
    switch (t) {
    case 1:
        return GIT_OBJECT_COMMIT;
    case 2:
        return GIT_OBJECT_TREE;
    case 3:
        return GIT_OBJECT_BLOB;
    case 4:
        return GIT_OBJECT_TAG;
    case 6:
        return GIT_OBJECT_OFS_DELTA;
    case 7:
        return GIT_OBJECT_REF_DELTA;
    default:
        return GIT_OBJECT_INVALID;
    }
}

} // namespace

PackReader::Mapping::~Mapping() {
    if (mapped) ::munmap(const_cast<unsigned char*>(data), size);
}

PackReader::PackReader(size_t budget) : budget_(budget) {
#if PROVENANT_LIBDEFLATE
    zstream_ = libdeflate_alloc_decompressor(); // null: every read answers nullopt
#else
    auto* zs = new z_stream{};
    if (inflateInit(zs) != Z_OK) {
        delete zs;
        return; // no stream: every read answers nullopt
    }
    zstream_ = zs;
#endif
}

PackReader::~PackReader() {
    if (zstream_ == nullptr) return;
#if PROVENANT_LIBDEFLATE
    libdeflate_free_decompressor(static_cast<libdeflate_decompressor*>(zstream_));
#else
    inflateEnd(static_cast<z_stream*>(zstream_));
    delete static_cast<z_stream*>(zstream_);
#endif
}

std::optional<PackReader::Pack> PackReader::checked(Pack p) {
    if (p.idx_file == nullptr || p.pack_file == nullptr || p.idx_file->data == nullptr ||
        p.pack_file->data == nullptr)
        return std::nullopt;
    p.idx = p.idx_file->data;
    p.idx_size = p.idx_file->size;
    p.pack = p.pack_file->data;
    p.pack_size = p.pack_file->size;
    // A pack: "PACK", a version, the object count, the entries and a 20-byte checksum.
    if (p.pack_size < 32 || std::memcmp(p.pack, "PACK", 4) != 0) return std::nullopt;
    // Index version 2 starts with a magic number and its version; version 1 (git before 1.5.2,
    // or pack-objects --index-version=1) with the fan-out table (git's test for which it is).
    size_t fan = 0;
    if (p.idx_size >= 8 && std::memcmp(p.idx, "\377tOc", 4) == 0) {
        if (be32(p.idx + 4) != 2) return std::nullopt;
        p.version = 2;
        fan = 8;
    } else {
        p.version = 1;
    }
    if (p.idx_size < fan + 256 * 4 + 40) return std::nullopt;
    // Every fan-out count at most the next (git's "non-monotonic index"): look-ups below stay
    // within the entries.
    for (size_t k = 0; k + 1 < 256; ++k)
        if (be32(p.idx + fan + 4 * k) > be32(p.idx + fan + 4 * (k + 1))) return std::nullopt;
    p.objects = be32(p.idx + fan + 255 * 4);
    if (p.objects != be32(p.pack + 8)) return std::nullopt;
    if (p.version == 1) {
        // Entries of a 32-bit offset and an id, then two checksums: exactly that size.
        if (uint64_t(p.objects) * 24 + 256 * 4 + 40 != p.idx_size) return std::nullopt;
    } else if (uint64_t(p.objects) * 28 + kIdxHeader + 40 > p.idx_size) {
        return std::nullopt; // ids, CRCs, 32-bit offsets and two checksums at least
    }
    return p;
}

std::unique_ptr<PackReader> PackReader::open(const std::string& git_dir, size_t budget) {
    std::unique_ptr<PackReader> r(new PackReader(budget));
    if (r->zstream_ == nullptr) return r;
    std::string dir = git_dir;
    if (!dir.empty() && dir.back() != '/') dir += '/';
    dir += "objects/pack/";
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return r;
    std::vector<std::string> names;
    while (const dirent* e = ::readdir(d)) {
        const std::string n = e->d_name;
        if (n.size() > 4 && n.compare(n.size() - 4, 4, ".idx") == 0) names.push_back(n);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    auto map = [](const std::string& path) {
        auto m = std::make_shared<Mapping>();
        m->data = map_file(path, m->size);
        m->mapped = m->data != nullptr;
        return m;
    };
    for (const std::string& n : names) {
        Pack p;
        p.idx_file = map(dir + n);
        p.pack_file = map(dir + n.substr(0, n.size() - 4) + ".pack");
        if (auto ok = checked(std::move(p)); ok && r->packs_.size() < 0xFFFF)
            r->packs_.push_back(std::move(*ok));
        // else unmapped here; libgit2 reads its objects
    }
    return r;
}

std::unique_ptr<PackReader> PackReader::in_memory(std::string_view idx, std::string_view pack,
                                                  size_t budget) {
    std::unique_ptr<PackReader> r(new PackReader(budget));
    if (r->zstream_ == nullptr) return r;
    auto borrow = [](std::string_view bytes) {
        auto m = std::make_shared<Mapping>();
        m->data = reinterpret_cast<const unsigned char*>(bytes.data());
        m->size = bytes.size();
        return m;
    };
    Pack p;
    p.idx_file = borrow(idx);
    p.pack_file = borrow(pack);
    if (auto ok = checked(std::move(p))) r->packs_.push_back(std::move(*ok));
    return r;
}

std::unique_ptr<PackReader> PackReader::share(size_t budget) const {
    std::unique_ptr<PackReader> r(new PackReader(budget));
    if (r->zstream_ != nullptr) r->packs_ = packs_;
    return r;
}

const unsigned char* PackReader::id_at(const Pack& p, uint32_t k) const {
    return p.version == 1 ? p.idx + 256 * 4 + size_t(k) * 24 + 4
                          : p.idx + kIdxHeader + size_t(k) * 20;
}

std::vector<git_oid> PackReader::ids() const {
    std::vector<git_oid> out;
    for (const Pack& p : packs_)
        for (uint32_t k = 0; k < p.objects; ++k) {
            git_oid id;
            std::memcpy(id.id, id_at(p, k), 20);
            out.push_back(id);
        }
    return out;
}

std::optional<uint64_t> PackReader::find(const Pack& p, const git_oid& id) const {
    const unsigned char* fan = p.idx + (p.version == 1 ? 0 : 8);
    const uint32_t lo0 = id.id[0] == 0 ? 0 : be32(fan + 4 * (id.id[0] - 1));
    const uint32_t hi0 = be32(fan + 4 * id.id[0]);
    if (hi0 > p.objects || lo0 > hi0) return std::nullopt;
    uint32_t lo = lo0, hi = hi0;
    while (lo < hi) {
        const uint32_t mid = lo + (hi - lo) / 2;
        const int c = std::memcmp(id_at(p, mid), id.id, 20);
        if (c == 0) {
            if (p.version == 1) return be32(p.idx + 256 * 4 + size_t(mid) * 24);
            const unsigned char* offs = p.idx + kIdxHeader + size_t(p.objects) * 24;
            const uint32_t o = be32(offs + size_t(mid) * 4);
            if ((o & 0x80000000U) == 0) return o;
            const size_t big = size_t(p.objects) * 28 + kIdxHeader + size_t(o & 0x7fffffffU) * 8;
            if (big + 8 + 40 > p.idx_size) return std::nullopt;
            return uint64_t(be32(p.idx + big)) << 32 | be32(p.idx + big + 4);
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return std::nullopt;
}

Status PackReader::inflate_at(const Pack& p, uint64_t at, size_t size, std::string& out) {
    const size_t end = p.pack_size - 20; // the trailer's checksum
    if (at >= end) return malformed("an entry past the end");
    // deflate compresses at most about 1032:1: a header claiming more is damage (and would
    // have the buffer below allocate whatever it says).
    if (size / 1032 > end - at + 1) return malformed("an entry larger than its stream allows");
#if PROVENANT_LIBDEFLATE
    // libdeflate decodes a whole stream into a buffer of known size, with the zlib header and
    // Adler-32 checked as zlib checks them, in about half zlib's instructions (most of the
    // streams here are deltas of a few hundred bytes, where zlib's cost is building its
    // Huffman tables: docs/benchmarks.md). The stream ends where deflate says, anywhere before
    // the trailer; one decoding to more than `size` bytes (no room) or fewer is an error.
    auto* d = static_cast<libdeflate_decompressor*>(zstream_);
    out.resize(size);
    size_t used = 0, got = 0;
    const libdeflate_result rc = libdeflate_zlib_decompress_ex(d, p.pack + at, size_t(end - at),
                                                               out.data(), size, &used, &got);
    if (rc != LIBDEFLATE_SUCCESS || got != size) return malformed("a zlib stream");
#else
    auto* zs = static_cast<z_stream*>(zstream_);
    if (inflateReset(zs) != Z_OK) return malformed("zlib");
    // Room past the end: zlib decodes with its fast loop only while 258 bytes of output space
    // are left (a match's longest copy), and byte by byte (~4x the instructions) below that, so
    // with exactly size + 1 bytes the last 258 of every object were decoded slowly: most of a
    // commit (~250 bytes) or a note. Any room past `size` also makes a stream longer than its
    // header says an error. (git gives zlib size + 1 and pays that.)
    out.resize(size + kInflateSlack);
    zs->next_in = const_cast<unsigned char*>(p.pack + at);
    zs->avail_in = static_cast<uInt>(std::min<uint64_t>(end - at, 0xFFFFFFFFU));
    zs->next_out = reinterpret_cast<unsigned char*>(out.data());
    zs->avail_out = static_cast<uInt>(std::min<size_t>(size + kInflateSlack, 0xFFFFFFFFU));
    const int rc = inflate(zs, Z_FINISH);
    if (rc != Z_STREAM_END || zs->total_out != size) return malformed("a zlib stream");
    out.resize(size);
#endif
    return {};
}

void PackReader::remember(const Key& key, const RawObject& object) {
    const size_t size = object.data->size();
    if (size > budget_ || index_.count(key) != 0) return;
    lru_.push_front(Entry{key, object.data, object.type});
    index_.emplace(key, lru_.begin());
    bytes_ += size;
    while (bytes_ > budget_) {
        bytes_ -= lru_.back().data->size();
        index_.erase(lru_.back().key);
        lru_.pop_back();
    }
}

Result<RawObject> PackReader::resolve(uint32_t pack, uint64_t offset) {
    const Pack& p = packs_[pack];
    struct Step {
        uint64_t offset, data;
        size_t size;
    };
    std::vector<Step> chain; // the deltas, the object's own first
    RawObject base;
    uint64_t at = offset;
    while (true) {
        if (auto hit = index_.find(Key{pack, at}); hit != index_.end()) {
            lru_.splice(lru_.begin(), lru_, hit->second);
            base.type = hit->second->type;
            base.data = hit->second->data;
            break;
        }
        if (chain.size() > kMaxChain) return malformed("a delta chain too long");
        const size_t end = p.pack_size - 20;
        if (at < 12 || at >= end) return malformed("an offset out of range");
        uint64_t pos = at;
        unsigned char c = p.pack[pos++];
        const unsigned t = (c >> 4) & 7;
        size_t size = c & 15;
        for (unsigned shift = 4; (c & 0x80) != 0; shift += 7) {
            if (pos >= end || shift > 57) return malformed("an entry header");
            c = p.pack[pos++];
            size |= size_t(c & 0x7f) << shift;
        }
        const git_object_t type = object_type(t);
        if (type == GIT_OBJECT_OFS_DELTA) {
            if (pos >= end) return malformed("a delta's base");
            c = p.pack[pos++];
            uint64_t back = c & 127;
            while ((c & 0x80) != 0) {
                if (pos >= end || back > (uint64_t(1) << 56)) return malformed("a delta's base");
                c = p.pack[pos++];
                back = ((back + 1) << 7) | (c & 127);
            }
            if (back == 0 || back >= at) return malformed("a delta's base offset");
            chain.push_back(Step{at, pos, size});
            at -= back;
            continue;
        }
        if (type == GIT_OBJECT_REF_DELTA) {
            if (end - pos < 20) return malformed("a delta's base");
            git_oid base_id;
            std::memcpy(base_id.id, p.pack + pos, 20);
            auto base_at = find(p, base_id);
            if (!base_at) return malformed("a delta's base not in its pack");
            chain.push_back(Step{at, pos + 20, size});
            at = *base_at;
            continue;
        }
        if (type == GIT_OBJECT_INVALID) return malformed("an object type");
        auto data = std::make_shared<std::string>();
        if (Status st = inflate_at(p, pos, size, *data); !st) return st.error();
        // inflate_at's room past the end would stay allocated in the cache, uncounted by its
        // budget (a commit is ~250 bytes): given back (a small copy, against an inflation).
        data->shrink_to_fit();
        base.type = type;
        base.data = std::move(data);
        remember(Key{pack, at}, base);
        break;
    }
    std::string delta;
    while (!chain.empty()) {
        const Step s = chain.back();
        chain.pop_back();
        if (Status st = inflate_at(p, s.data, s.size, delta); !st) return st.error();
        auto data = std::make_shared<std::string>();
        if (Status st = apply_delta(*base.data, delta, *data); !st) return st.error();
        ++deltas_;
        base.data = std::move(data);
        remember(Key{pack, s.offset}, base);
    }
    return base;
}

Result<std::optional<RawObject>> PackReader::read(const git_oid& id) {
    if (zstream_ == nullptr) return std::optional<RawObject>();
    for (uint32_t k = 0; k < packs_.size(); ++k) {
        auto at = find(packs_[k], id);
        if (!at) continue;
        auto object = resolve(k, *at);
        if (!object) return object.error().context("reading " + to_hex(id) + " from its pack");
        ++found_;
        return std::optional<RawObject>(std::move(*object));
    }
    return std::optional<RawObject>();
}

} // namespace provenant::git
