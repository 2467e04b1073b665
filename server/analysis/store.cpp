// The analysis store in SQLite: write the fates in one transaction to a temporary file and
// rename it over the old one; read them back only after the version, the key and every
// index have been checked.
#include "analysis/store.h"

#include "git/path_diff.h"
#include "support/fs.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_set>

namespace provenant::analysis {

namespace fs = std::filesystem;

namespace {

using Db = std::unique_ptr<sqlite3, decltype(&sqlite3_close)>;
using Stmt = std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)>;

// Portable DDL: the same statements create the tables on PostgreSQL.
constexpr const char* kSchema = R"sql(
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE commit_chunks (seq INTEGER PRIMARY KEY, commits BIGINT NOT NULL,
  data BLOB NOT NULL);
CREATE TABLE origins (idx INTEGER PRIMARY KEY, tool TEXT NOT NULL, kind TEXT NOT NULL,
  model TEXT NOT NULL, session TEXT NOT NULL);
CREATE TABLE paths (idx INTEGER PRIMARY KEY, path TEXT NOT NULL);
CREATE TABLE line_chunks (seq INTEGER PRIMARY KEY, runs BIGINT NOT NULL, data BLOB NOT NULL);
CREATE TABLE end_chunks (seq INTEGER PRIMARY KEY, runs BIGINT NOT NULL, data BLOB NOT NULL);
CREATE TABLE warnings (seq INTEGER PRIMARY KEY, message TEXT NOT NULL);
CREATE TABLE frontier_states (slot INTEGER PRIMARY KEY, commit_idx INTEGER NOT NULL);
CREATE TABLE frontier (slot INTEGER NOT NULL, path TEXT NOT NULL, blob TEXT NOT NULL,
  ids BLOB NOT NULL, PRIMARY KEY (slot, path));
CREATE TABLE checkpoints (commit_idx INTEGER NOT NULL, path TEXT NOT NULL, blob TEXT NOT NULL,
  ids BLOB NOT NULL);
)sql";

Error db_error(sqlite3* db, const std::string& what) {
    return Error(ErrorKind::io,
                 what + ": " + (db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
}

/// The store file opened with `flags` (SQLITE_OPEN_READONLY or _READWRITE), or why not.
Result<Db> open_db(const fs::path& file, int flags) {
    sqlite3* raw = nullptr;
    // NOMUTEX: a connection is used by the thread that opened it only; SQLite's own locking
    // of every call was a tenth of reading a store.
    int rc = sqlite3_open_v2(file.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    Db db(raw, sqlite3_close);
    if (rc != SQLITE_OK) return db_error(raw, "opening " + file.string());
    return db;
}

Status exec(sqlite3* db, const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string m = err != nullptr ? err : "error";
        sqlite3_free(err);
        return Error(ErrorKind::io, m);
    }
    return {};
}

Result<Stmt> prepare(sqlite3* db, const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) {
        sqlite3_finalize(s);
        return db_error(db, "preparing a statement");
    }
    return Stmt(s, sqlite3_finalize);
}

std::string text_col(sqlite3_stmt* s, int c) {
    const unsigned char* t = sqlite3_column_text(s, c);
    return t != nullptr ? reinterpret_cast<const char*>(t) : "";
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) {
        if (!out.empty()) out += ' ';
        out += s;
    }
    return out;
}

// Line runs and end runs are stored packed, many to a row (a chunk): a row per run made
// SQLite's interpreter most of reading a store (280,000 rows at 100,000 commits). A chunk's
// `seq` is the index of its first line (first end); every field is a little-endian uint32
// but the class byte. Checked field by field when read, like the rows before them.
constexpr size_t kLineRunBytes = 17; // count, birth, path, origin, cls
constexpr size_t kEndRunBytes = 13;  // first line, count, commit, by
constexpr size_t kRunsPerChunk = 65536;

void put_u32(std::vector<unsigned char>& out, uint32_t v) {
    for (int b = 0; b < 4; ++b)
        out.push_back(static_cast<unsigned char>(v >> (8 * b)));
}

uint32_t get_u32(const unsigned char* p) {
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

void put_u64(std::vector<unsigned char>& out, uint64_t v) {
    for (int b = 0; b < 8; ++b)
        out.push_back(static_cast<unsigned char>(v >> (8 * b)));
}

void put_bytes(std::vector<unsigned char>& out, const std::string& v) {
    put_u32(out, static_cast<uint32_t>(v.size()));
    out.insert(out.end(), v.begin(), v.end());
}

// Commits are packed too, many to a row (`commit_chunks`: `seq` the index of the chunk's
// first commit, `commits`, the records back to back): 100,000 rows of commits and 50,000 of
// their origins, each column read, hashed and copied through SQLite's row machine, were
// most of reading a store at 100,000 commits. A record, little-endian:
//   id (20 bytes) | note (1) | parent count (u32) | parents (u32 each) | author_time (i64) |
//   commit_time (i64) | line_end (u32) | author_email (u32 length, bytes) |
//   rewritten_from (u32 count, each a u32 length and its bytes) | origin count (u32) |
//   per origin: origin (u32), input, output, cache_read, cache_write_5m, cache_write_1h,
//   generated (u64 each), has_lines (1)
// A commit's first line is the previous commit's line_end (0 for the first).
constexpr size_t kCommitsPerChunk = 4096;
constexpr size_t kOriginBytes = 4 + 6 * 8 + 1;

/// The 20 bytes of a 40-hex id; false when it is not one.
bool put_id(std::vector<unsigned char>& out, const std::string& hex) {
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    if (hex.size() != 40) return false;
    for (size_t k = 0; k < 40; k += 2) {
        const int hi = nibble(hex[k]), lo = nibble(hex[k + 1]);
        if (hi < 0 || lo < 0) return false;
        out.push_back(static_cast<unsigned char>(hi << 4 | lo));
    }
    return true;
}

/// Appends `c`'s record; false when its id is not 40 lowercase hex digits (the walk writes
/// only those).
bool put_commit(std::vector<unsigned char>& out, const CommitRow& c) {
    if (!put_id(out, c.id)) return false;
    out.push_back(static_cast<unsigned char>(c.note));
    put_u32(out, static_cast<uint32_t>(c.parents.size()));
    for (uint32_t p : c.parents)
        put_u32(out, p);
    put_u64(out, static_cast<uint64_t>(c.author_time));
    put_u64(out, static_cast<uint64_t>(c.commit_time));
    put_u32(out, c.line_end);
    put_bytes(out, c.author_email);
    put_u32(out, static_cast<uint32_t>(c.rewritten_from.size()));
    for (const std::string& r : c.rewritten_from)
        put_bytes(out, r);
    put_u32(out, static_cast<uint32_t>(c.origins.size()));
    for (const CommitOrigin& o : c.origins) {
        put_u32(out, o.origin);
        for (uint64_t v : {o.tokens.input, o.tokens.output, o.tokens.cache_read,
                           o.tokens.cache_write_5m, o.tokens.cache_write_1h, o.generated})
            put_u64(out, v);
        out.push_back(o.has_lines ? 1 : 0);
    }
    return true;
}

/// Reads a record's fields off a chunk; every read is bounded by the chunk's end.
class RecordReader {
public:
    RecordReader(const unsigned char* p, size_t n) : p_(p), end_(p + n) {}
    bool done() const { return p_ == end_; }
    bool u8(uint32_t& v) {
        if (end_ - p_ < 1) return false;
        v = *p_++;
        return true;
    }
    bool u32(uint32_t& v) {
        if (end_ - p_ < 4) return false;
        v = get_u32(p_);
        p_ += 4;
        return true;
    }
    bool u64(uint64_t& v) {
        if (end_ - p_ < 8) return false;
        v = uint64_t(get_u32(p_)) | uint64_t(get_u32(p_ + 4)) << 32;
        p_ += 8;
        return true;
    }
    /// `n` bytes, only if the chunk holds them (a count read from the file is checked
    /// against what is left before anything is allocated for it).
    bool bytes(size_t n, const unsigned char*& out) {
        if (size_t(end_ - p_) < n) return false;
        out = p_;
        p_ += n;
        return true;
    }
    bool id(std::string& out) {
        const unsigned char* b = nullptr;
        if (!bytes(20, b)) return false;
        static constexpr char kHex[] = "0123456789abcdef";
        out.resize(40);
        for (size_t k = 0; k < 20; ++k) {
            out[2 * k] = kHex[b[k] >> 4];
            out[2 * k + 1] = kHex[b[k] & 15];
        }
        return true;
    }
    /// A u32 length and that many bytes.
    bool text(std::string& out) {
        uint32_t n = 0;
        const unsigned char* b = nullptr;
        if (!u32(n) || !bytes(n, b)) return false;
        out.assign(reinterpret_cast<const char*>(b), n);
        return true;
    }
    size_t left() const { return size_t(end_ - p_); }

private:
    const unsigned char* p_;
    const unsigned char* end_;
};

/// A 64-bit hash of one row's values (their types, lengths and bytes), against accidental
/// damage (a flipped bit, a torn page, a row lost), not a hostile file: that one is bounded by
/// the checks on every value instead. A table's digest is the sum of its rows' hashes, so
/// appended rows add theirs and the rows can be read in any order.
class RowHash {
public:
    void integer(int64_t v) {
        mix(1);
        mix(static_cast<uint64_t>(v));
    }
    void bytes(uint64_t tag, const void* data, size_t n) {
        mix(tag);
        mix(n);
        const auto* p = static_cast<const unsigned char*>(data);
        size_t k = 0;
        for (; k + 8 <= n; k += 8) {
            uint64_t w;
            std::memcpy(&w, p + k, 8);
            mix(w);
        }
        uint64_t tail = 0;
        for (size_t b = 0; k + b < n; ++b)
            tail |= uint64_t(p[k + b]) << (8 * b);
        mix(tail);
    }
    /// The row's hash; starts the next row.
    uint64_t done() {
        uint64_t z = h_ + 0x9e3779b97f4a7c15ull; // splitmix64's finaliser
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        h_ = kSeed;
        return z ^ (z >> 31);
    }

private:
    static constexpr uint64_t kSeed = 0x243f6a8885a308d3ull;
    void mix(uint64_t v) {
        h_ = (h_ ^ v) * 0x100000001b3ull * 0x9e3779b97f4a7c15ull;
        h_ ^= h_ >> 32;
    }
    uint64_t h_ = kSeed;
};

constexpr uint64_t kTextTag = 2, kBlobTag = 3;

/// The hash of the current row of `s`, its first `columns` columns (as the Inserter hashes
/// what it binds: a NULL is an empty blob).
uint64_t row_hash(sqlite3_stmt* s, int columns) {
    RowHash h;
    for (int c = 0; c < columns; ++c) {
        switch (sqlite3_column_type(s, c)) {
        case SQLITE_INTEGER:
            h.integer(sqlite3_column_int64(s, c));
            break;
        case SQLITE_TEXT: {
            const unsigned char* t = sqlite3_column_text(s, c);
            h.bytes(kTextTag, t, static_cast<size_t>(sqlite3_column_bytes(s, c)));
            break;
        }
        case SQLITE_BLOB: {
            const void* b = sqlite3_column_blob(s, c);
            h.bytes(kBlobTag, b, static_cast<size_t>(sqlite3_column_bytes(s, c)));
            break;
        }
        case SQLITE_NULL:
            h.bytes(kBlobTag, nullptr, 0);
            break;
        default: // a REAL where the schema has none: never written by the Inserter
            h.bytes(0, nullptr, 0);
            break;
        }
    }
    return h.done();
}

/// Binds integers, texts and blobs positionally, steps, resets; adds each row's hash to
/// `digest()` (the table's digest, docs/report.md "The store").
class Inserter {
public:
    Inserter(sqlite3* db, Stmt s) : db_(db), s_(std::move(s)) {}
    Inserter& i(int64_t v) {
        sqlite3_bind_int64(s_.get(), ++n_, v);
        hash_.integer(v);
        return *this;
    }
    Inserter& t(const std::string& v) {
        sqlite3_bind_text(s_.get(), ++n_, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        hash_.bytes(kTextTag, v.data(), v.size());
        return *this;
    }
    Inserter& b(const void* data, size_t n) {
        // A zero-length blob, not NULL (the column is NOT NULL), whatever `data` is.
        if (n == 0)
            sqlite3_bind_zeroblob(s_.get(), ++n_, 0);
        else
            sqlite3_bind_blob(s_.get(), ++n_, data, static_cast<int>(n), SQLITE_TRANSIENT);
        hash_.bytes(kBlobTag, data, n);
        return *this;
    }
    Status step() {
        n_ = 0;
        digest_ += hash_.done();
        int rc = sqlite3_step(s_.get());
        sqlite3_reset(s_.get());
        if (rc != SQLITE_DONE) return db_error(db_, "writing the analysis store");
        return {};
    }
    uint64_t digest() const { return digest_; }

private:
    sqlite3* db_;
    Stmt s_;
    RowHash hash_;
    int n_ = 0;
    uint64_t digest_ = 0;
};

/// The meta table's rows of the file.
using Meta = std::map<std::string, std::string>;

/// The digests a store keeps in meta ("digest.<table>"), one per table it reads.
constexpr std::array<const char*, 9> kDigested = {"commit_chunks",   "origins",    "paths",
                                                  "line_chunks",     "end_chunks", "warnings",
                                                  "frontier_states", "frontier",   "checkpoints"};

std::string digest_name(const char* table) {
    return std::string("digest.") + table;
}

uint64_t digest_in(const Meta& meta, const char* table) {
    auto it = meta.find(digest_name(table));
    return it == meta.end() ? 0 : std::strtoull(it->second.c_str(), nullptr, 10);
}

/// A file's ids as stored: little-endian uint32s, whatever the host.
void ids_bytes(const std::vector<uint32_t>& ids, std::vector<unsigned char>& buf) {
    buf.resize(ids.size() * 4);
    for (size_t k = 0; k < ids.size(); ++k)
        for (int b = 0; b < 4; ++b)
            buf[k * 4 + size_t(b)] = static_cast<unsigned char>(ids[k] >> (8 * b));
}

/// Writes the frontier so that the file holds `f.frontier`: with `old` (what the file holds),
/// only what changed (a state moved to a child is one updated row, then its changed files);
/// without, every row (the caller emptied the tables). Sets the tables' digests.
Status write_frontier(sqlite3* db, const Fates& f, const StoredCounts& counts,
                      const StoredFrontier* old, Meta& digests) {
    auto mk = [&](const char* sql) -> Result<Inserter> {
        auto s = prepare(db, sql);
        if (!s) return s.error();
        return Inserter(db, std::move(*s));
    };
    auto state_ins = mk("INSERT INTO frontier_states VALUES (?, ?)");
    auto state_upd = mk("UPDATE frontier_states SET commit_idx = ? WHERE slot = ?");
    auto state_del = mk("DELETE FROM frontier_states WHERE slot = ?");
    auto file_ins = mk("INSERT INTO frontier VALUES (?, ?, ?, ?)");
    auto file_upd = mk("UPDATE frontier SET blob = ?, ids = ? WHERE slot = ? AND path = ?");
    auto file_del = mk("DELETE FROM frontier WHERE slot = ? AND path = ?");
    auto files_del = mk("DELETE FROM frontier WHERE slot = ?");
    for (auto* r :
         {&state_ins, &state_upd, &state_del, &file_ins, &file_upd, &file_del, &files_del})
        if (!*r) return r->error();
    const size_t n_old = old != nullptr ? old->states.size() : 0;
    // Each new state takes the slot of the stored state of its own commit, else of the stored
    // commit its new first-parent chain starts from (a commit on a stored tip moves the tip's
    // state), else a new slot.
    std::vector<size_t> donor(f.frontier.size(), SIZE_MAX);
    std::vector<uint8_t> taken(n_old, 0);
    auto take = [&](size_t n, uint32_t commit) {
        for (size_t k = 0; k < n_old && donor[n] == SIZE_MAX; ++k)
            if (taken[k] == 0 && old->states[k].commit == commit) {
                taken[k] = 1;
                donor[n] = k;
            }
    };
    for (size_t n = 0; n < f.frontier.size(); ++n)
        take(n, f.frontier[n].commit);
    for (size_t n = 0; n < f.frontier.size(); ++n) {
        uint32_t c = f.frontier[n].commit;
        while (c >= counts.commits && c < f.commits.size() && !f.commits[c].parents.empty())
            c = f.commits[c].parents[0];
        if (donor[n] == SIZE_MAX && c < counts.commits) take(n, c);
    }
    int64_t next_slot = 0;
    for (size_t k = 0; k < n_old; ++k)
        next_slot = std::max(next_slot, old->slots[k] + 1);
    for (size_t k = 0; k < n_old; ++k) {
        if (taken[k] != 0) continue;
        if (auto st = files_del->i(old->slots[k]).step(); !st) return st;
        if (auto st = state_del->i(old->slots[k]).step(); !st) return st;
    }
    uint64_t states_digest = 0, files_digest = 0;
    std::vector<unsigned char> buf;
    for (size_t n = 0; n < f.frontier.size(); ++n) {
        const FrontierState& fs = f.frontier[n];
        const int64_t slot = donor[n] != SIZE_MAX ? old->slots[donor[n]] : next_slot++;
        RowHash h;
        h.integer(slot);
        h.integer(fs.commit);
        states_digest += h.done();
        const std::vector<FrontierFile>* before = nullptr;
        if (donor[n] == SIZE_MAX) {
            if (auto st = state_ins->i(slot).i(fs.commit).step(); !st) return st;
        } else {
            const FrontierState& o = old->states[donor[n]];
            if (o.commit != fs.commit)
                if (auto st = state_upd->i(fs.commit).i(slot).step(); !st) return st;
            before = &o.files;
        }
        // Both lists are sorted by path: one merge finds what changed.
        size_t k = 0;
        for (const FrontierFile& file : fs.files) {
            ids_bytes(file.ids, buf);
            h.integer(slot);
            h.bytes(kTextTag, file.path.data(), file.path.size());
            h.bytes(kTextTag, file.blob.data(), file.blob.size());
            h.bytes(kBlobTag, buf.data(), buf.size());
            files_digest += h.done();
            if (before == nullptr) {
                if (auto st = file_ins->i(slot)
                                  .t(file.path)
                                  .t(file.blob)
                                  .b(buf.data(), buf.size())
                                  .step();
                    !st)
                    return st;
                continue;
            }
            for (; k < before->size() && (*before)[k].path < file.path; ++k)
                if (auto st = file_del->i(slot).t((*before)[k].path).step(); !st) return st;
            if (k < before->size() && (*before)[k].path == file.path) {
                const FrontierFile& was = (*before)[k++];
                if (was.blob != file.blob || was.ids != file.ids)
                    if (auto st = file_upd->t(file.blob)
                                      .b(buf.data(), buf.size())
                                      .i(slot)
                                      .t(file.path)
                                      .step();
                        !st)
                        return st;
            } else if (auto st = file_ins->i(slot)
                                     .t(file.path)
                                     .t(file.blob)
                                     .b(buf.data(), buf.size())
                                     .step();
                       !st) {
                return st;
            }
        }
        for (; before != nullptr && k < before->size(); ++k)
            if (auto st = file_del->i(slot).t((*before)[k].path).step(); !st) return st;
    }
    digests[digest_name("frontier_states")] = std::to_string(states_digest);
    digests[digest_name("frontier")] = std::to_string(files_digest);
    return {};
}

/// Inserts every row of `f` beyond `old`, the frontier and the key (the caller holds the
/// transaction); `checkpoints` is the number of checkpoints the store holds afterwards,
/// `meta` what the file's meta table held (empty for a new file): its digests are added to.
/// `frontier`: what the file's frontier holds (null: the frontier tables are rewritten).
Status write_rows(sqlite3* db, const StoreKey& key, const Fates& f, const StoredCounts& old,
                  size_t checkpoints, const Meta& meta_before, const StoredFrontier* frontier) {
    auto mk = [&](const char* sql) -> Result<Inserter> {
        auto s = prepare(db, sql);
        if (!s) return s.error();
        return Inserter(db, std::move(*s));
    };
    if (auto st = exec(db, "DELETE FROM meta"); !st) return st;
    if (frontier == nullptr)
        if (auto st = exec(db, "DELETE FROM frontier; DELETE FROM frontier_states"); !st) return st;
    auto meta = mk("INSERT INTO meta (name, value) VALUES (?, ?)");
    auto commits = mk("INSERT INTO commit_chunks VALUES (?, ?, ?)");
    auto origins = mk("INSERT INTO origins VALUES (?, ?, ?, ?, ?)");
    auto paths = mk("INSERT INTO paths VALUES (?, ?)");
    auto runs = mk("INSERT INTO line_chunks VALUES (?, ?, ?)");
    auto ends = mk("INSERT INTO end_chunks VALUES (?, ?, ?)");
    auto warns = mk("INSERT INTO warnings VALUES (?, ?)");
    auto checks = mk("INSERT INTO checkpoints VALUES (?, ?, ?, ?)");
    for (auto* r : {&meta, &commits, &origins, &paths, &runs, &ends, &warns, &checks})
        if (!*r) return r->error();
    {
        std::vector<unsigned char> data;
        for (size_t c = old.commits; c < f.commits.size();) {
            const size_t first = c;
            data.clear();
            for (; c < f.commits.size() && c - first < kCommitsPerChunk; ++c)
                if (!put_commit(data, f.commits[c]))
                    return Error(ErrorKind::invalid_input,
                                 "commit " + std::to_string(c) + " has no 40-hex id");
            if (auto st = commits->i(int64_t(first))
                              .i(int64_t(c - first))
                              .b(data.data(), data.size())
                              .step();
                !st)
                return st;
        }
    }
    for (size_t i = old.origins; i < f.origins.size(); ++i)
        if (auto st = origins->i(int64_t(i))
                          .t(f.origins[i].tool)
                          .t(f.origins[i].kind)
                          .t(f.origins[i].model)
                          .t(f.origins[i].session)
                          .step();
            !st)
            return st;
    for (size_t i = old.paths; i < f.paths.size(); ++i)
        if (auto st = paths->i(int64_t(i)).t(f.paths[i]).step(); !st) return st;
    // Consecutive lines with the same birth, path, class and origin are one run (new lines
    // belong to new commits, so no run crosses `old.lines`).
    std::vector<unsigned char> chunk;
    size_t chunk_seq = 0, chunk_runs = 0;
    auto flush = [&](Inserter& into) -> Status {
        if (chunk_runs == 0) return {};
        Status st =
            into.i(int64_t(chunk_seq)).i(int64_t(chunk_runs)).b(chunk.data(), chunk.size()).step();
        chunk.clear();
        chunk_runs = 0;
        return st;
    };
    for (size_t i = old.lines; i < f.lines.size();) {
        const LineRow& a = f.lines[i];
        size_t j = i + 1;
        while (j < f.lines.size() && f.lines[j].birth == a.birth && f.lines[j].path == a.path &&
               f.lines[j].cls == a.cls && f.lines[j].origin == a.origin)
            ++j;
        if (chunk_runs == 0) chunk_seq = i;
        put_u32(chunk, uint32_t(j - i));
        put_u32(chunk, a.birth);
        put_u32(chunk, a.path);
        put_u32(chunk, a.origin);
        chunk.push_back(static_cast<unsigned char>(a.cls));
        if (++chunk_runs == kRunsPerChunk)
            if (auto st = flush(*runs); !st) return st;
        i = j;
    }
    if (auto st = flush(*runs); !st) return st;
    // Ends of consecutive lines by one commit with one replacing class are one run; a
    // chunk's `seq` is the index of its first end.
    for (size_t i = old.ends; i < f.ends.size();) {
        const EndRow& a = f.ends[i];
        size_t j = i + 1;
        while (j < f.ends.size() && f.ends[j].commit == a.commit && f.ends[j].by == a.by &&
               f.ends[j].line == a.line + (j - i))
            ++j;
        if (chunk_runs == 0) chunk_seq = i;
        put_u32(chunk, a.line);
        put_u32(chunk, uint32_t(j - i));
        put_u32(chunk, a.commit);
        chunk.push_back(static_cast<unsigned char>(a.by));
        if (++chunk_runs == kRunsPerChunk)
            if (auto st = flush(*ends); !st) return st;
        i = j;
    }
    if (auto st = flush(*ends); !st) return st;
    for (size_t i = old.warnings; i < f.warnings.size(); ++i)
        if (auto st = warns->i(int64_t(i)).t(f.warnings[i]).step(); !st) return st;
    std::vector<unsigned char> buf;
    for (size_t k = old.checkpoints; k < f.checkpoints.size(); ++k)
        for (const FrontierFile& file : f.checkpoints[k].files) {
            ids_bytes(file.ids, buf);
            if (auto st = checks->i(f.checkpoints[k].commit)
                              .t(file.path)
                              .t(file.blob)
                              .b(buf.data(), buf.size())
                              .step();
                !st)
                return st;
        }
    Meta digests;
    if (auto st = write_frontier(db, f, old, frontier, digests); !st) return st;
    const std::pair<const char*, const Inserter*> appended[] = {
        {"commit_chunks", &*commits}, {"origins", &*origins}, {"paths", &*paths},
        {"line_chunks", &*runs},      {"end_chunks", &*ends}, {"warnings", &*warns},
        {"checkpoints", &*checks}};
    for (const auto& [table, ins] : appended)
        digests[digest_name(table)] = std::to_string(digest_in(meta_before, table) + ins->digest());
    digests["version"] = std::to_string(kStoreVersion);
    digests["tips"] = key.tips;
    digests["notes"] = key.notes;
    digests["ai"] = key.ai;
    digests["commits"] = std::to_string(f.commits.size());
    digests["lines"] = std::to_string(f.lines.size());
    digests["ends"] = std::to_string(f.ends.size());
    digests["checkpoints"] = std::to_string(checkpoints);
    for (const auto& [k, v] : digests)
        if (auto st = meta->t(k).t(v).step(); !st) return st;
    return {};
}

/// Runs `sql` and calls `row(stmt)` for each row; `row` returns false to reject the data.
/// A template, not a std::function: it runs once per stored row. With `table`, the rows
/// (every column of the table, in its order) must sum to the table's digest in `meta`.
template <class Row>
Status each_row(sqlite3* db, const char* sql, const Row& row, const Meta* meta = nullptr,
                const char* table = nullptr) {
    auto s = prepare(db, sql);
    if (!s) return s.error();
    const int columns = sqlite3_column_count(s->get());
    uint64_t digest = 0;
    int rc;
    while ((rc = sqlite3_step(s->get())) == SQLITE_ROW) {
        if (!row(s->get()))
            return Error(ErrorKind::invalid_input, std::string("inconsistent rows in: ") + sql);
        if (table != nullptr) digest += row_hash(s->get(), columns);
    }
    if (rc != SQLITE_DONE) return db_error(db, "reading the analysis store");
    if (table != nullptr) {
        auto it = meta->find(digest_name(table));
        if (it == meta->end() || it->second != std::to_string(digest))
            return Error(ErrorKind::invalid_input,
                         std::string("the store's ") + table +
                             " do not match their digest (a damaged file)");
    }
    return {};
}

/// The meta table, and the version checked.
Result<Meta> read_meta(sqlite3* db) {
    Meta meta;
    auto st = each_row(db, "SELECT name, value FROM meta", [&](sqlite3_stmt* s) {
        meta[text_col(s, 0)] = text_col(s, 1);
        return true;
    });
    if (!st) return st.error();
    if (meta["version"] != std::to_string(kStoreVersion))
        return Error(ErrorKind::invalid_input,
                     "the store is of another version (" + meta["version"] + ")");
    return meta;
}

/// Reads the file states of `sql` (frontier or checkpoints rows: slot or commit, path, blob,
/// ids), one FrontierState per slot in slot order, files sorted by path; every id must be
/// below `nl` and every commit below `nc`. With `slots` (the frontier), column 0 is a slot
/// of it, else a commit. Sorted here rather than by an ORDER BY: SQLite's sorter would copy
/// every row, id blobs included.
Status read_states(sqlite3* db, const char* sql, size_t nc, size_t nl, const Meta& meta,
                   const char* table, const std::map<int64_t, uint32_t>* slots,
                   std::vector<FrontierState>& out, std::vector<int64_t>* out_slots) {
    std::map<int64_t, std::vector<FrontierFile>> by_slot;
    auto st = each_row(
        db, sql,
        [&](sqlite3_stmt* s) {
            const int64_t c = sqlite3_column_int64(s, 0);
            if (slots != nullptr ? slots->count(c) == 0 : c < 0 || size_t(c) >= nc) return false;
            FrontierFile file{text_col(s, 1), text_col(s, 2), {}};
            if (file.blob.size() != 40) return false;
            const auto* bytes = static_cast<const unsigned char*>(sqlite3_column_blob(s, 3));
            const auto n = static_cast<size_t>(sqlite3_column_bytes(s, 3));
            if (n % 4 != 0 || (n > 0 && bytes == nullptr)) return false;
            file.ids.resize(n / 4);
            for (size_t k = 0; k < n / 4; ++k) {
                const uint32_t v = get_u32(bytes + k * 4);
                if (v >= nl) return false;
                file.ids[k] = v;
            }
            by_slot[c].push_back(std::move(file));
            return true;
        },
        &meta, table);
    if (!st) return st;
    if (slots != nullptr) // a state of no file (an empty tree) has no rows
        for (const auto& [slot, commit] : *slots)
            by_slot.try_emplace(slot);
    for (auto& [slot, files] : by_slot) {
        // Mostly in order already (rows are written by path): checked in one pass, sorted
        // only if not (a sort of 20,000 files moved every path, blob and id list).
        auto by_path = [](const FrontierFile& a, const FrontierFile& b) { return a.path < b.path; };
        if (!std::is_sorted(files.begin(), files.end(), by_path))
            std::sort(files.begin(), files.end(), by_path);
        for (size_t k = 1; k < files.size(); ++k)
            if (files[k].path == files[k - 1].path)
                return Error(ErrorKind::invalid_input, "a stored state lists a path twice");
        out.push_back({slots != nullptr ? slots->at(slot) : uint32_t(slot), std::move(files)});
        if (out_slots != nullptr) out_slots->push_back(slot);
    }
    return {};
}

/// The most lines (and ends) a store of `bytes` bytes is believed to hold: a line run of 17
/// bytes stands for any number of lines, so no exact bound exists; 16 a byte is far more
/// than a real history packs (a store holds every commit, path and end too) and bounds what a
/// hostile file can make a reader allocate to 16 lines of 16 bytes per byte of file. A
/// store beyond it is rebuilt: slower, never wrong.
constexpr uint64_t kLinesPerByte = 16;
/// A commit's record holds at least 57 bytes (its id, note, counts, dates and line end).
constexpr uint64_t kCommitRowBytes = 57;

/// Reads every table a report needs of a store of `file_bytes` bytes, each checked against
/// its digest, every count against what the file can hold and every index against the data.
Status read_all(sqlite3* db, uint64_t file_bytes, StoreKey& key, Fates& f) {
    auto read = read_meta(db);
    if (!read) return read.error();
    Meta& meta = *read;
    key = StoreKey{meta["tips"], meta["notes"], meta["ai"]};
    size_t nc = 0, nl = 0, ne = 0;
    try {
        nc = std::stoull(meta.at("commits"));
        nl = std::stoull(meta.at("lines"));
        ne = std::stoull(meta.at("ends"));
    } catch (const std::exception&) {
        return Error(ErrorKind::invalid_input, "the store's counts are missing");
    }
    // Counts come from the file: bounded by what it can hold before anything is allocated.
    if (nc > file_bytes / kCommitRowBytes || nl > file_bytes * kLinesPerByte ||
        ne > file_bytes * kLinesPerByte || nl > kNone || nc > kNone)
        return Error(ErrorKind::invalid_input, "the store's counts are more than its " +
                                                   std::to_string(file_bytes) + " bytes can hold");
    Status st;
    f.commits.reserve(nc);
    // Origins first: a commit's origins point into them.
    f.origins.clear();
    st = each_row(
        db, "SELECT idx, tool, kind, model, session FROM origins ORDER BY idx",
        [&](sqlite3_stmt* s) {
            if (sqlite3_column_int64(s, 0) != int64_t(f.origins.size())) return false;
            f.origins.push_back({text_col(s, 1), text_col(s, 2), text_col(s, 3), text_col(s, 4)});
            return true;
        },
        &meta, "origins");
    if (!st) return st;
    if (f.origins.empty()) return Error(ErrorKind::invalid_input, "origins are missing");
    // Chunks in the table's own order (their seq, the rowid); any other order is rejected.
    st = each_row(
        db, "SELECT seq, commits, data FROM commit_chunks",
        [&](sqlite3_stmt* s) {
            const int64_t seq = sqlite3_column_int64(s, 0), n = sqlite3_column_int64(s, 1);
            const auto* data = static_cast<const unsigned char*>(sqlite3_column_blob(s, 2));
            const auto bytes = static_cast<size_t>(sqlite3_column_bytes(s, 2));
            if (seq != int64_t(f.commits.size()) || n <= 0 || data == nullptr ||
                uint64_t(n) > nc - f.commits.size())
                return false;
            RecordReader in(data, bytes);
            for (int64_t k = 0; k < n; ++k) {
                CommitRow& r = f.commits.emplace_back();
                uint32_t note = 0, parents = 0, line_end = 0, rewritten = 0, origins = 0;
                uint64_t author_time = 0, commit_time = 0;
                if (!in.id(r.id) || !in.u8(note) || note > 3 || !in.u32(parents) ||
                    parents > in.left() / 4) // each parent takes 4 bytes
                    return false;
                r.note = static_cast<NoteState>(note);
                r.parents.resize(parents);
                for (uint32_t& p : r.parents)
                    // Parents first: a parent is an earlier commit.
                    if (!in.u32(p) || p >= f.commits.size() - 1) return false;
                if (!in.u64(author_time) || !in.u64(commit_time) || !in.u32(line_end) ||
                    !in.text(r.author_email) || !in.u32(rewritten) || rewritten > in.left() / 4)
                    return false;
                r.author_time = static_cast<int64_t>(author_time);
                r.commit_time = static_cast<int64_t>(commit_time);
                // Each commit's lines follow the previous commit's.
                r.first_line = f.commits.size() == 1 ? 0 : f.commits[f.commits.size() - 2].line_end;
                if (line_end < r.first_line || line_end > nl) return false;
                r.line_end = line_end;
                r.rewritten_from.resize(rewritten);
                for (std::string& from : r.rewritten_from)
                    if (!in.text(from)) return false;
                if (!in.u32(origins) || origins > in.left() / kOriginBytes) return false;
                r.origins.resize(origins);
                for (CommitOrigin& co : r.origins) {
                    uint32_t has_lines = 0;
                    if (!in.u32(co.origin) || co.origin >= f.origins.size() ||
                        !in.u64(co.tokens.input) || !in.u64(co.tokens.output) ||
                        !in.u64(co.tokens.cache_read) || !in.u64(co.tokens.cache_write_5m) ||
                        !in.u64(co.tokens.cache_write_1h) || !in.u64(co.generated) ||
                        !in.u8(has_lines) || has_lines > 1)
                        return false;
                    co.has_lines = has_lines != 0;
                }
            }
            return in.done();
        },
        &meta, "commit_chunks");
    if (!st) return st;
    if (f.commits.size() != nc || (nc > 0 ? f.commits.back().line_end : 0) != nl)
        return Error(ErrorKind::invalid_input, "commits are missing");
    st = each_row(
        db, "SELECT idx, path FROM paths ORDER BY idx",
        [&](sqlite3_stmt* s) {
            if (sqlite3_column_int64(s, 0) != int64_t(f.paths.size())) return false;
            f.paths.push_back(text_col(s, 1));
            return true;
        },
        &meta, "paths");
    if (!st) return st;
    f.lines.reserve(std::min<uint64_t>(nl, file_bytes)); // nl: believed only once read
    // Chunks in the table's own order (their seq, the rowid); any other order is rejected.
    auto chunk_of = [](sqlite3_stmt* s, size_t size, size_t run_bytes, const unsigned char*& data,
                       size_t& runs) {
        const int64_t seq = sqlite3_column_int64(s, 0), n = sqlite3_column_int64(s, 1);
        data = static_cast<const unsigned char*>(sqlite3_column_blob(s, 2));
        const auto bytes = static_cast<size_t>(sqlite3_column_bytes(s, 2));
        runs = static_cast<size_t>(n);
        return seq == int64_t(size) && n > 0 && data != nullptr && bytes / run_bytes == runs &&
               bytes % run_bytes == 0;
    };
    st = each_row(
        db, "SELECT seq, runs, data FROM line_chunks",
        [&](sqlite3_stmt* s) {
            const unsigned char* p = nullptr;
            size_t runs = 0;
            if (!chunk_of(s, f.lines.size(), kLineRunBytes, p, runs)) return false;
            for (size_t k = 0; k < runs; ++k, p += kLineRunBytes) {
                const uint32_t count = get_u32(p), birth = get_u32(p + 4), path = get_u32(p + 8),
                               origin = get_u32(p + 12), cls = p[16];
                // A run lies inside its birth commit's lines.
                if (count == 0 || birth >= nc || f.lines.size() < f.commits[birth].first_line ||
                    f.lines.size() + count > f.commits[birth].line_end || path >= f.paths.size() ||
                    cls > 5 || origin >= f.origins.size())
                    return false;
                f.lines.insert(f.lines.end(), count,
                               LineRow{birth, path, static_cast<LineClass>(cls), origin});
            }
            return true;
        },
        &meta, "line_chunks");
    if (!st) return st;
    if (f.lines.size() != nl) return Error(ErrorKind::invalid_input, "lines are missing");
    f.ends.reserve(std::min<uint64_t>(ne, file_bytes));
    st = each_row(
        db, "SELECT seq, runs, data FROM end_chunks",
        [&](sqlite3_stmt* s) {
            const unsigned char* p = nullptr;
            size_t runs = 0;
            if (!chunk_of(s, f.ends.size(), kEndRunBytes, p, runs)) return false;
            for (size_t k = 0; k < runs; ++k, p += kEndRunBytes) {
                const uint64_t first = get_u32(p), count = get_u32(p + 4);
                const uint32_t c = get_u32(p + 8), by = p[12];
                if (count == 0 || first + count > nl || c >= nc || by > 4 ||
                    f.ends.size() + count > ne)
                    return false;
                for (uint64_t l = first; l < first + count; ++l)
                    f.ends.push_back({uint32_t(l), c, static_cast<EndBy>(by)});
            }
            return true;
        },
        &meta, "end_chunks");
    if (!st) return st;
    if (f.ends.size() != ne) return Error(ErrorKind::invalid_input, "ends are missing");
    return each_row(
        db, "SELECT seq, message FROM warnings ORDER BY seq",
        [&](sqlite3_stmt* s) {
            f.warnings.push_back(text_col(s, 1));
            return true;
        },
        &meta, "warnings");
}

std::string ref_tip(const git::Repo& repo, const char* ref) {
    git_oid id;
    if (git_reference_name_to_id(&id, repo.get(), ref) != 0) return "-";
    return git::to_hex(id);
}

} // namespace

fs::path store_path(const git::Repo& repo) {
    return repo.commondir() / "provenant" / "analysis.sqlite";
}

StoreKey store_key(const git::Repo& repo, const std::vector<git_oid>& tips) {
    std::vector<std::string> hex;
    for (const auto& t : tips)
        hex.push_back(git::to_hex(t));
    std::sort(hex.begin(), hex.end());
    hex.erase(std::unique(hex.begin(), hex.end()), hex.end());
    return StoreKey{join(hex), ref_tip(repo, "refs/notes/provenant"),
                    ref_tip(repo, "refs/notes/ai")};
}

StoredCounts counts_of(const Fates& f) {
    return {f.commits.size(), f.lines.size(),    f.ends.size(),       f.origins.size(),
            f.paths.size(),   f.warnings.size(), f.checkpoints.size()};
}

Result<std::vector<FrontierState>> read_frontier(const fs::path& file, const Fates& fates,
                                                 std::vector<int64_t>* out_slots) {
    auto db = open_db(file, SQLITE_OPEN_READONLY);
    if (!db) return db.error();
    auto meta = read_meta(db->get());
    if (!meta) return meta.error();
    const size_t nc = fates.commits.size();
    std::map<int64_t, uint32_t> slots;
    std::unordered_set<uint32_t> commits;
    auto st = each_row(
        db->get(), "SELECT slot, commit_idx FROM frontier_states",
        [&](sqlite3_stmt* s) {
            const int64_t slot = sqlite3_column_int64(s, 0), c = sqlite3_column_int64(s, 1);
            if (c < 0 || size_t(c) >= nc || !commits.insert(uint32_t(c)).second) return false;
            slots[slot] = uint32_t(c);
            return true;
        },
        &*meta, "frontier_states");
    if (!st) return st.error();
    std::vector<FrontierState> out;
    st = read_states(db->get(), "SELECT slot, path, blob, ids FROM frontier", nc,
                     fates.lines.size(), *meta, "frontier", &slots, out, out_slots);
    if (!st) return st.error();
    return out;
}

namespace {

/// read_checkpoints for a store of `nc` commits and `nl` lines.
Result<std::vector<FrontierState>> read_checkpoints_of(const fs::path& file, size_t nc, size_t nl) {
    auto db = open_db(file, SQLITE_OPEN_READONLY);
    if (!db) return db.error();
    auto meta = read_meta(db->get());
    if (!meta) return meta.error();
    const std::string count = (*meta)["checkpoints"];
    std::vector<FrontierState> out;
    auto st = read_states(db->get(), "SELECT commit_idx, path, blob, ids FROM checkpoints", nc, nl,
                          *meta, "checkpoints", nullptr, out, nullptr);
    if (!st) return st.error();
    // A checkpoint without files (an empty tree) has no rows: fewer is not proof of loss,
    // more is.
    if (count.empty() || out.size() > std::strtoull(count.c_str(), nullptr, 10))
        return Error(ErrorKind::invalid_input, "the store's checkpoints do not match its count");
    return out;
}

} // namespace

Result<std::vector<FrontierState>> read_checkpoints(const fs::path& file, const Fates& fates) {
    return read_checkpoints_of(file, fates.commits.size(), fates.lines.size());
}

Result<std::vector<std::string>> changed_notes(const git::Repo& repo, const std::string& ref,
                                               const std::string& old_tip) {
    auto tree_of = [&](const std::string& hex, git::Tree& out) -> Status {
        if (hex == "-") return {};
        auto id = git::oid_from_hex(hex);
        if (!id) return id.error();
        auto c = repo.lookup_commit(*id);
        if (!c) return c.error();
        if (int rc = git_commit_tree(git::Setter(out), c->get()); rc != 0)
            return git::git_error(rc, "reading the notes tree of " + hex);
        return {};
    };
    const std::string new_tip = ref_tip(repo, ref.c_str());
    if (new_tip == old_tip) return std::vector<std::string>{};
    git::Tree old_tree, new_tree;
    if (auto st = tree_of(old_tip, old_tree); !st) return st.error();
    if (auto st = tree_of(new_tip, new_tree); !st) return st.error();
    // Only the notes whose paths differ, unchanged fan-out subtrees skipped: a new note costs
    // a few tree reads, not a visit of every note. Compared by annotated commit, not by path:
    // git re-fans a subtree it writes a note into (ab/cdef... becomes ab/cd/ef...), which moves
    // every note in it without changing one.
    std::vector<std::string> paths;
    if (auto st = git::changed_paths(repo.get(), old_tree.get(), new_tree.get(), "", paths); !st)
        return st.error().context("diffing " + ref);
    std::map<std::string, std::pair<std::string, std::string>> blobs; // id -> (old, new)
    for (const std::string& p : paths) {
        std::string id;
        for (char c : p)
            if (c != '/') id += c;
        if (id.size() != 40) continue;
        for (git_tree* tree : {old_tree.get(), new_tree.get()}) {
            if (tree == nullptr) continue;
            git_tree_entry* raw = nullptr;
            if (git_tree_entry_bypath(&raw, tree, p.c_str()) != 0) continue;
            std::unique_ptr<git_tree_entry, void (*)(git_tree_entry*)> e(raw, git_tree_entry_free);
            auto& side = tree == old_tree.get() ? blobs[id].first : blobs[id].second;
            side = git::to_hex(*git_tree_entry_id(e.get()));
        }
    }
    std::vector<std::string> out;
    for (const auto& [id, sides] : blobs)
        if (sides.first != sides.second) out.push_back(id);
    return out;
}

Result<Stored> read_store(const fs::path& file) {
    std::error_code ec;
    if (!fs::exists(file, ec)) return Error(ErrorKind::not_found, "no store");
    const uint64_t bytes = fs::file_size(file, ec);
    if (ec) return Error(ErrorKind::io, "reading " + file.string() + ": " + ec.message());
    auto db = open_db(file, SQLITE_OPEN_READONLY);
    if (!db) return db.error();
    // A truncated or corrupt file fails in SQLite's reads (a page that is not one) or a
    // table's digest (a value that changed); what the file claims is bounded by its size.
    Stored out;
    auto st = read_all(db->get(), bytes, out.key, out.fates);
    if (!st) return st.error();
    return out;
}

Status write_store(const fs::path& file, const StoreKey& key, const Fates& fates) {
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    if (ec)
        return Error(ErrorKind::io,
                     "creating " + file.parent_path().string() + ": " + ec.message());
    const fs::path tmp = file.string() + ".tmp-" + std::to_string(::getpid());
    fs::remove(tmp, ec);
    // Created 0600 before SQLite opens it: the store lists authors and paths.
    int fd = ::open(tmp.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) return Error(ErrorKind::io, "creating " + tmp.string() + ": " + errno_text());
    ::close(fd);
    Status st;
    {
        auto db = open_db(tmp, SQLITE_OPEN_READWRITE);
        if (!db) {
            st = db.error();
        } else {
            (void)exec(db->get(), "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF");
            st = exec(db->get(), kSchema);
            if (st) st = exec(db->get(), "BEGIN");
            if (st)
                st = write_rows(db->get(), key, fates, StoredCounts{}, fates.checkpoints.size(),
                                Meta{}, nullptr);
            if (st) st = exec(db->get(), "COMMIT");
        }
    }
    if (st) {
        fs::rename(tmp, file, ec);
        if (ec) st = Error(ErrorKind::io, "replacing " + file.string() + ": " + ec.message());
    }
    if (!st) fs::remove(tmp, ec);
    return st;
}

Status append_store(const fs::path& file, const StoreKey& key, const Fates& fates,
                    const StoredCounts& old, const StoredFrontier* frontier) {
    auto db = open_db(file, SQLITE_OPEN_READWRITE);
    if (!db) return db.error();
    sqlite3_busy_timeout(db->get(), 5000);
    if (auto st = exec(db->get(), "BEGIN IMMEDIATE"); !st) return st;
    // The digests and the checkpoints the file holds (fates may hold none of them: they are
    // read only when a walk needs one) plus the new ones.
    auto meta = read_meta(db->get());
    Status st = meta ? Status{} : Status(meta.error());
    if (st && (*meta)["checkpoints"].empty())
        st = Error(ErrorKind::invalid_input, "the store's checkpoint count is missing");
    if (st)
        st = write_rows(db->get(), key, fates, old,
                        std::strtoull((*meta)["checkpoints"].c_str(), nullptr, 10) +
                            fates.checkpoints.size() - old.checkpoints,
                        *meta, frontier);
    if (!st) {
        (void)exec(db->get(), "ROLLBACK");
        return st;
    }
    return exec(db->get(), "COMMIT");
}

Result<Fates> load_fates(const git::Repo& repo, std::vector<git_oid> tips, const Progress& progress,
                         bool use_store, StoreKey* key_out) {
    std::sort(tips.begin(), tips.end(),
              [](const git_oid& a, const git_oid& b) { return git_oid_cmp(&a, &b) < 0; });
    tips.erase(
        std::unique(tips.begin(), tips.end(),
                    [](const git_oid& a, const git_oid& b) { return git_oid_equal(&a, &b); }),
        tips.end());
    if (!use_store) return walk_history(repo, tips, progress, kNoCheckpoints);
    const StoreKey key = store_key(repo, tips);
    if (key_out != nullptr) *key_out = key;
    const fs::path file = store_path(repo);
    auto stored = read_store(file);
    if (stored && stored->key == key) return std::move(stored->fates);
    if (stored) {
        // Go on from the stored walk when only new commits (and their notes) came.
        auto extended = [&]() -> Result<Fates> {
            // A few changed notes (a report after a commit has one new note, or none) are
            // looked for among the stored ids one by one; a set of all of them (100,000 ids
            // hashed: a tenth of such a report) only for many.
            std::unordered_set<std::string> known;
            auto is_stored = [&](const std::string& id, size_t changed) {
                if (changed <= 16)
                    return std::any_of(stored->fates.commits.begin(), stored->fates.commits.end(),
                                       [&](const CommitRow& c) { return c.id == id; });
                if (known.empty())
                    for (const auto& c : stored->fates.commits)
                        known.insert(c.id);
                return known.count(id) != 0;
            };
            for (const auto& [ref, old_tip] :
                 {std::pair<const char*, std::string>{"refs/notes/provenant", stored->key.notes},
                  {"refs/notes/ai", stored->key.ai}}) {
                auto changed = changed_notes(repo, ref, old_tip);
                if (!changed) return changed.error();
                for (const auto& c : *changed)
                    if (is_stored(c, changed->size()))
                        return Error(ErrorKind::conflict, "the note of " + c + " changed");
            }
            // The frontier now; the checkpoints only if the walk must rebuild an old state.
            StoredFrontier before;
            auto frontier = read_frontier(file, stored->fates, &before.slots);
            if (!frontier) return frontier.error();
            before.states = *frontier; // to write only what the walk changes
            stored->fates.frontier = std::move(*frontier);
            StoredCounts old = counts_of(stored->fates);
            size_t loaded = 0;
            auto load = [&]() -> Result<std::vector<FrontierState>> {
                auto checkpoints = read_checkpoints_of(file, old.commits, old.lines);
                if (checkpoints) loaded = checkpoints->size();
                return checkpoints;
            };
            auto f = extend_history(repo, std::move(stored->fates), tips, progress, 0, load);
            if (!f) return f;
            old.checkpoints = loaded; // the loaded ones come first; the rest are new
            spdlog::info("analysis store {}: went on from the stored walk: new commits walked "
                         "{}, stored commits diffed again {}, checkpoints read: {}",
                         file.string(), f->stats.walked, f->stats.replayed,
                         f->stats.checkpoints_loaded ? "yes" : "no");
            if (auto st = append_store(file, key, *f, old, &before); !st)
                spdlog::warn("analysis store not updated: {}", st.error().message);
            return f;
        }();
        if (extended) return extended;
        spdlog::info("analysis store {}: a full walk: {}", file.string(), extended.error().message);
    } else {
        spdlog::info("analysis store {} not used: {}", file.string(), stored.error().message);
    }
    auto fates = walk_history(repo, tips, progress);
    if (!fates) return fates;
    if (auto st = write_store(file, key, *fates); !st)
        spdlog::warn("analysis store not written: {}", st.error().message);
    return fates;
}

} // namespace provenant::analysis
