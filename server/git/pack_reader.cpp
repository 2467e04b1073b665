// Pack index version 2 look-ups, pack entry headers, zlib streams and git's delta format, each
// bounds-checked against the mapped files.
#include "git/pack_reader.h"

#include "git/repository.h"

#include <algorithm>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

namespace provenant::git {

namespace {

constexpr size_t kIdxHeader = 8 + 256 * 4;
constexpr size_t kMaxChain = 10000; // git caps depth at 4095; a cycle of REF_DELTAs ends here

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

std::unique_ptr<PackReader> PackReader::open(const std::string& git_dir, size_t budget) {
    std::unique_ptr<PackReader> r(new PackReader(budget));
    auto* zs = new z_stream{};
    if (inflateInit(zs) != Z_OK) {
        delete zs;
        return r; // no stream: no packs, every read answers nullopt
    }
    r->zstream_ = zs;
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
    for (const std::string& n : names) {
        Pack p;
        p.idx = map_file(dir + n, p.idx_size);
        p.pack = map_file(dir + n.substr(0, n.size() - 4) + ".pack", p.pack_size);
        bool ok = p.idx != nullptr && p.pack != nullptr && p.idx_size >= kIdxHeader + 40 &&
                  std::memcmp(p.idx, "\377tOc", 4) == 0 && be32(p.idx + 4) == 2 &&
                  p.pack_size >= 32 && std::memcmp(p.pack, "PACK", 4) == 0;
        if (ok) {
            p.objects = be32(p.idx + 8 + 255 * 4);
            // ids, CRCs, 32-bit offsets and two checksums at least.
            ok = p.objects == be32(p.pack + 8) &&
                 uint64_t(p.objects) * 28 + kIdxHeader + 40 <= p.idx_size;
        }
        if (ok && r->packs_.size() < 0xFFFF) {
            r->packs_.push_back(p);
            continue;
        }
        if (p.idx != nullptr) ::munmap(const_cast<unsigned char*>(p.idx), p.idx_size);
        if (p.pack != nullptr) ::munmap(const_cast<unsigned char*>(p.pack), p.pack_size);
    }
    return r;
}

PackReader::~PackReader() {
    for (const Pack& p : packs_) {
        ::munmap(const_cast<unsigned char*>(p.idx), p.idx_size);
        ::munmap(const_cast<unsigned char*>(p.pack), p.pack_size);
    }
    if (zstream_ != nullptr) {
        inflateEnd(static_cast<z_stream*>(zstream_));
        delete static_cast<z_stream*>(zstream_);
    }
}

std::optional<uint64_t> PackReader::find(const Pack& p, const git_oid& id) const {
    const unsigned char* fan = p.idx + 8;
    const uint32_t lo0 = id.id[0] == 0 ? 0 : be32(fan + 4 * (id.id[0] - 1));
    const uint32_t hi0 = be32(fan + 4 * id.id[0]);
    if (hi0 > p.objects || lo0 > hi0) return std::nullopt;
    const unsigned char* ids = p.idx + kIdxHeader;
    uint32_t lo = lo0, hi = hi0;
    while (lo < hi) {
        const uint32_t mid = lo + (hi - lo) / 2;
        const int c = std::memcmp(ids + size_t(mid) * 20, id.id, 20);
        if (c == 0) {
            const unsigned char* offs = ids + size_t(p.objects) * 24;
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
    auto* zs = static_cast<z_stream*>(zstream_);
    const size_t end = p.pack_size - 20; // the trailer's checksum
    if (at >= end) return malformed("an entry past the end");
    // deflate compresses at most about 1032:1: a header claiming more is damage (and would
    // have the buffer below allocate whatever it says).
    if (size / 1032 > end - at + 1) return malformed("an entry larger than its stream allows");
    if (inflateReset(zs) != Z_OK) return malformed("zlib");
    out.resize(size + 1); // one more: a stream longer than its header says is an error
    zs->next_in = const_cast<unsigned char*>(p.pack + at);
    zs->avail_in = static_cast<uInt>(std::min<uint64_t>(end - at, 0xFFFFFFFFU));
    zs->next_out = reinterpret_cast<unsigned char*>(out.data());
    zs->avail_out = static_cast<uInt>(std::min<size_t>(size + 1, 0xFFFFFFFFU));
    const int rc = inflate(zs, Z_FINISH);
    if (rc != Z_STREAM_END || zs->total_out != size) return malformed("a zlib stream");
    out.resize(size);
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
        return std::optional<RawObject>(std::move(*object));
    }
    return std::optional<RawObject>();
}

} // namespace provenant::git
