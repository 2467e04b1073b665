// The pending journal on disk: one atomically replaced JSON file per path, read-modify-write
// under an flock, corrupt files moved aside, bounded in entry size and count.
#include "journal/journal.h"

#include "journal/entry_format.h"
#include "support/fs.h"
#include "support/hash.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace provenant {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kEntrySuffix = ".json";
constexpr size_t kHashHexDigits = 16;

std::string hex64(uint64_t v) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(kHashHexDigits, '0');
    for (size_t i = kHashHexDigits; i-- > 0; v >>= 4)
        out[i] = digits[v & 0xf];
    return out;
}

/// An entry file's name: 16 hex digits + ".json".
bool is_entry_name(const std::string& name) {
    if (name.size() != kHashHexDigits + kEntrySuffix.size() ||
        name.compare(kHashHexDigits, std::string::npos, kEntrySuffix) != 0)
        return false;
    return std::all_of(name.begin(), name.begin() + kHashHexDigits,
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

/// A temp file left by atomic_write_file when its writer died ("<entry>.json.tmp.<pid>.<x>").
bool is_stale_temp_name(const std::string& name) {
    return name.size() > kHashHexDigits + kEntrySuffix.size() &&
           is_entry_name(name.substr(0, kHashHexDigits + kEntrySuffix.size())) &&
           name.compare(kHashHexDigits + kEntrySuffix.size(), 5, ".tmp.") == 0;
}

/// Reads up to `limit` bytes of `file`. `whole` says whether that was all of it. `missing`:
/// there is no such file. `unusable`: something that can never be an entry is there (a
/// directory, a FIFO or device, a symlink, a file we may not read): the reason, so that the
/// caller sets it aside as it does a corrupt file instead of failing every command (issue 12
/// §3). Other failures (EIO, EMFILE, ...) may pass: they are errors, never a reason to move
/// anything.
struct ReadOutcome {
    std::string data;
    bool whole = true;
    bool missing = false;
    std::string unusable;
};

bool is_unusable_errno(int err) {
    return err == EISDIR || err == EINVAL || err == EACCES || err == EPERM || err == ELOOP ||
           err == ENXIO || err == ENODEV;
}

Result<ReadOutcome> read_prefix(const fs::path& file, size_t limit) {
    ReadOutcome out;
    int fd = open_regular_file(file); // never blocks: a FIFO here once hung every command
    if (fd < 0) {
        const int err = errno;
        if (err == ENOENT) {
            out.missing = true;
            return out;
        }
        if (is_unusable_errno(err)) {
            out.unusable = err == EINVAL ? "not a regular file" : errno_text();
            return out;
        }
        return make_error(ErrorKind::io, "opening " + file.string() + ": " + errno_text());
    }
    out.data.resize(std::min<size_t>(limit, 64u << 10));
    size_t got = 0;
    while (true) {
        if (got == out.data.size()) {
            if (out.data.size() >= limit) break;
            out.data.resize(std::min(limit, out.data.size() * 2));
        }
        ssize_t n = ::read(fd, out.data.data() + got, out.data.size() - got);
        if (n < 0) {
            if (errno == EINTR) continue;
            std::string msg = "reading " + file.string() + ": " + errno_text();
            ::close(fd);
            return make_error(ErrorKind::io, msg);
        }
        if (n == 0) break;
        got += static_cast<size_t>(n);
    }
    if (got == limit) {
        char extra;
        ssize_t n;
        do
            n = ::read(fd, &extra, 1);
        while (n < 0 && errno == EINTR);
        out.whole = n == 0;
    }
    ::close(fd);
    out.data.resize(got);
    return out;
}

/// Largest file a load accepts: the entry cap plus slack for the envelope.
constexpr size_t kMaxFileBytes = Journal::kMaxEntryBytes + (64u << 10);

/// The journals (by directory) this process holds a transaction on, and the thread that opened
/// each, so that a thread asking for a lock it already holds gets an error instead of waiting
/// for itself. Only one thread holds a journal's flock at a time, so one owner per directory.
/// Any thread.
class HeldJournals {
public:
    static HeldJournals& instance() {
        static HeldJournals held;
        return held;
    }
    bool held_by_this_thread(const fs::path& dir) {
        std::lock_guard<std::mutex> guard(mutex_);
        auto it = owners_.find(dir.string());
        return it != owners_.end() && it->second == std::this_thread::get_id();
    }
    void add(const fs::path& dir) {
        std::lock_guard<std::mutex> guard(mutex_);
        owners_[dir.string()] = std::this_thread::get_id();
    }
    void erase(const fs::path& dir) {
        std::lock_guard<std::mutex> guard(mutex_);
        owners_.erase(dir.string());
    }

private:
    std::mutex mutex_;
    std::map<std::string, std::thread::id> owners_;
};

} // namespace

Journal::Journal(fs::path gitdir, size_t max_entries)
    : gitdir_(std::move(gitdir)), dir_(gitdir_ / "provenant" / "journal"),
      max_entries_(std::min(max_entries, kMaxEntries)) {}

fs::path Journal::entry_file(std::string_view path) const {
    return dir_ / (hex64(fnv1a64(path)) + std::string(kEntrySuffix));
}

Status Journal::refuse_inside_transaction(std::string_view operation) const {
    if (!HeldJournals::instance().held_by_this_thread(dir_)) return {};
    return make_error(ErrorKind::conflict,
                      std::string(operation) + ": this thread holds a transaction on the journal " +
                          dir_.string() +
                          "; use the transaction (a second lock would wait forever)");
}

Result<JournalTransaction> Journal::lock() const {
    if (Status st = refuse_inside_transaction("locking the journal"); !st) return st.error();
    auto l = FileLock::acquire(dir_ / ".lock");
    if (!l) return l.error().context("locking the journal");
    HeldJournals::instance().add(dir_);
    return JournalTransaction(*this, std::move(l).value());
}

JournalTransaction::JournalTransaction(const Journal& journal, FileLock lock)
    : journal_(&journal), lock_(std::move(lock)) {}

JournalTransaction::JournalTransaction(JournalTransaction&& other) noexcept
    : journal_(other.journal_), lock_(std::move(other.lock_)) {
    other.lock_.reset();
}

JournalTransaction& JournalTransaction::operator=(JournalTransaction&& other) noexcept {
    if (this != &other) {
        release();
        journal_ = other.journal_;
        lock_ = std::move(other.lock_);
        other.lock_.reset();
    }
    return *this;
}

JournalTransaction::~JournalTransaction() {
    release();
}

void JournalTransaction::release() noexcept {
    if (!lock_) return;
    // Forget the owner before unlocking: once unlocked, another thread may take it.
    HeldJournals::instance().erase(journal_->dir_);
    lock_.reset();
}

Status Journal::quarantine(const JournalTransaction& /*held*/, const fs::path& file,
                           const std::string& why) const {
    fs::path corrupt_dir = dir_ / "corrupt";
    std::error_code ec;
    fs::create_directories(corrupt_dir, ec);
    // Unique per process and call: two quarantines within one millisecond must not replace
    // each other's bytes (rename silently overwrites).
    static std::atomic<uint64_t> sequence{0};
    fs::path dest =
        corrupt_dir / (file.filename().string() + "." + std::to_string(now_ms()) + "." +
                       std::to_string(::getpid()) + "." + std::to_string(sequence.fetch_add(1)));
    if (::rename(file.c_str(), dest.c_str()) != 0) {
        std::string msg =
            "moving unreadable journal entry " + file.string() + " aside: " + errno_text();
        spdlog::error("journal: {}", msg);
        return make_error(ErrorKind::io, msg);
    }
    spdlog::warn("journal: {} is unreadable ({}); moved it aside to {}", file.string(), why,
                 dest.string());
    // Keep the corrupt directory bounded: drop the oldest files beyond the cap.
    std::vector<std::pair<fs::file_time_type, fs::path>> files;
    for (auto it = fs::directory_iterator(corrupt_dir, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
        std::error_code tec;
        auto t = it->last_write_time(tec);
        if (!tec) files.emplace_back(t, it->path());
    }
    if (files.size() > kMaxCorruptFiles) {
        std::sort(files.begin(), files.end());
        for (size_t i = 0; i + kMaxCorruptFiles < files.size(); ++i)
            fs::remove_all(files[i].second, ec); // a directory set aside too (no symlink followed)
    }
    return {};
}

Result<std::optional<JournalEntry>> Journal::load(const std::string& path) const {
    if (Status st = refuse_inside_transaction("loading the journal entry for " + path); !st)
        return st.error();
    return load_impl(path, nullptr, false);
}
Result<std::optional<JournalEntry>> JournalTransaction::load(const std::string& path) const {
    return journal_->load_impl(path, this, false);
}

Result<std::optional<JournalEntry>>
Journal::load_impl(const std::string& path, const JournalTransaction* held, bool for_write) const {
    if (Status st = validate_repo_path(path); !st) return st.error();
    const fs::path file = entry_file(path);
    std::optional<JournalTransaction> opened;
    // At most two passes: the second under the lock, to be sure a file is still corrupt
    // before moving it aside (a writer may have replaced it since the first read).
    while (true) {
        auto read = read_prefix(file, kMaxFileBytes);
        if (!read) return read.error().context("loading the journal entry for " + path);
        if (read->missing) return std::optional<JournalEntry>{};
        // A directory, FIFO or unreadable file is set aside below, like a corrupt one.
        std::string why = read->unusable;
        if (why.empty() && !read->whole) {
            why = "larger than " + std::to_string(kMaxFileBytes) + " bytes";
        } else if (why.empty()) {
            auto parsed = parse_entry(read->data);
            if (parsed.kind == ParsedEntry::Ok) {
                if (parsed.entry.path != path)
                    return make_error(ErrorKind::invalid_input,
                                      "journal entry " + file.string() + " holds \"" +
                                          parsed.entry.path + "\", not \"" + path +
                                          "\" (a hash collision); leaving it alone");
                return std::optional<JournalEntry>(std::move(parsed.entry));
            }
            if (parsed.kind == ParsedEntry::Unsupported) {
                std::string msg = "journal entry for " + path + ": " + parsed.error +
                                  " (written by a newer provenant?); leaving it alone";
                // A writer must not replace what it does not understand; a reader goes on
                // without it (its lines are unknown), so one such file stops nothing else.
                if (for_write) return make_error(ErrorKind::invalid_input, msg);
                spdlog::warn("journal: {}; its pending provenance is ignored", msg);
                return std::optional<JournalEntry>{};
            }
            why = parsed.error;
        }
        if (held) {
            if (Status st = quarantine(*held, file, why); !st) return st.error();
            return std::optional<JournalEntry>{};
        }
        auto l = lock();
        if (!l) return l.error();
        opened.emplace(std::move(l).value());
        held = &*opened;
    }
}

Result<std::optional<JournalEntry>> Journal::update(const std::string& path, const Updater& fn) {
    if (Status st = validate_repo_path(path); !st) return st.error();
    if (Status st = refuse_inside_transaction("updating the journal entry for " + path); !st)
        return st.error();
    auto t = lock();
    if (!t) return t.error();
    return t->update(path, fn);
}

Result<std::optional<JournalEntry>> JournalTransaction::update(const std::string& path,
                                                               const Journal::Updater& fn) {
    if (Status st = validate_repo_path(path); !st) return st.error();
    auto current = journal_->load_impl(path, this, /*for_write=*/true);
    if (!current) return current.error();
    bool existed = current->has_value();
    const std::optional<SavedTyping> saved = existed ? (**current).saved : std::nullopt;
    std::optional<std::vector<Snapshot>> left = existed ? (**current).left : std::nullopt;
    std::optional<JournalEntry> next;
    try {
        next = fn(std::move(current).value());
    } catch (const std::exception& e) {
        return make_error(ErrorKind::io,
                          "updating the journal entry for " + path + ": " + e.what());
    }
    if (!next) {
        if (existed) {
            if (Status st = remove(path); !st) return st.error();
        }
        return std::optional<JournalEntry>{};
    }
    next->path = path;
    if (!next->saved) next->saved = saved; // writers that do not know it keep it (journal.h)
    if (!next->left) next->left = std::move(left);
    if (Status st = journal_->store_checked(*this, *next, existed); !st) return st.error();
    return next;
}

Status JournalTransaction::store(const JournalEntry& entry) {
    if (Status st = validate_repo_path(entry.path); !st) return st.error();
    // Loading first moves a corrupt file aside and refuses collisions and newer formats,
    // so nothing stored is overwritten without being understood.
    auto current = journal_->load_impl(entry.path, this, /*for_write=*/true);
    if (!current) return current.error();
    JournalEntry copy = entry;
    if (*current && !copy.saved) copy.saved = (**current).saved;
    if (*current && !copy.left) copy.left = (**current).left;
    return journal_->store_checked(*this, copy, current->has_value());
}

Status Journal::store_checked(const JournalTransaction& held, JournalEntry& entry,
                              bool exists) const {
    entry.updated_ms = now_ms();
    // Origins no character refers to go: an entry is bounded by its text, however many
    // records the document's table collected (issue 12 §10).
    entry.snapshot = prune_origins(std::move(entry.snapshot));
    auto text = journal_entry_to_text(entry);
    if (!text) return text.error().context("storing the journal entry for " + entry.path);
    if (text->size() > kMaxEntryBytes) {
        std::string msg = "the journal entry for " + entry.path + " would be " +
                          std::to_string(text->size()) + " bytes, over the limit of " +
                          std::to_string(kMaxEntryBytes) + "; not stored";
        spdlog::warn("journal: {}", msg);
        return make_error(ErrorKind::invalid_input, msg);
    }
    if (!exists) {
        auto count = count_entries(held);
        if (!count) return count.error();
        if (*count >= max_entries_) {
            std::string msg = "the journal already holds " + std::to_string(*count) +
                              " entries (the limit); not adding " + entry.path +
                              " (commit or discard pending work)";
            spdlog::error("journal: {}", msg);
            return make_error(ErrorKind::io, msg);
        }
    }
    return atomic_write_file(entry_file(entry.path), *text);
}

Result<size_t> Journal::count_entries(const JournalTransaction& /*held*/) const {
    size_t count = 0;
    std::error_code ec;
    auto it = fs::directory_iterator(dir_, ec);
    if (ec) {
        if (ec == std::errc::no_such_file_or_directory) return size_t{0};
        return make_error(ErrorKind::io, "listing " + dir_.string() + ": " + ec.message());
    }
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) return make_error(ErrorKind::io, "listing " + dir_.string() + ": " + ec.message());
        std::string name = it->path().filename().string();
        if (is_entry_name(name)) {
            ++count;
        } else if (is_stale_temp_name(name)) {
            // Every writer holds the lock we hold: this temp file's writer died mid-write.
            std::error_code rec;
            fs::remove(it->path(), rec);
        }
    }
    return count;
}

Status Journal::remove(const std::string& path) {
    if (Status st = validate_repo_path(path); !st) return st.error();
    if (Status st = refuse_inside_transaction("removing the journal entry for " + path); !st)
        return st.error();
    auto t = lock();
    if (!t) return t.error();
    return t->remove(path);
}

Status JournalTransaction::remove(const std::string& path) {
    if (Status st = validate_repo_path(path); !st) return st.error();
    fs::path file = journal_->entry_file(path);
    if (::unlink(file.c_str()) != 0 && errno != ENOENT)
        return make_error(ErrorKind::io, "removing " + file.string() + ": " + errno_text());
    return {};
}

Result<std::vector<std::string>> Journal::list() const {
    if (Status st = refuse_inside_transaction("listing the journal"); !st) return st.error();
    return list_impl(nullptr);
}
Result<std::vector<std::string>> JournalTransaction::list() const {
    return journal_->list_impl(this);
}

Result<std::vector<std::string>> Journal::list_impl(const JournalTransaction* held) const {
    std::vector<std::string> paths;
    std::vector<std::pair<fs::path, std::string>> unreadable;
    std::error_code ec;
    auto it = fs::directory_iterator(dir_, ec);
    if (ec) {
        if (ec == std::errc::no_such_file_or_directory) return paths;
        return make_error(ErrorKind::io, "listing " + dir_.string() + ": " + ec.message());
    }
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) return make_error(ErrorKind::io, "listing " + dir_.string() + ": " + ec.message());
        std::string name = it->path().filename().string();
        if (!is_entry_name(name)) continue;
        auto read = read_prefix(it->path(), kPathPrefixBytes);
        if (!read) {
            // Each file stands alone: one that cannot be read now is said and skipped.
            spdlog::error("journal: {}; skipped", read.error().message);
            continue;
        }
        if (read->missing) continue; // removed meanwhile
        if (!read->unusable.empty()) {
            unreadable.emplace_back(it->path(), read->unusable);
            continue;
        }
        auto path = entry_path_from_prefix(read->data);
        if (path && validate_repo_path(*path) && entry_file(*path) == it->path())
            paths.push_back(std::move(*path));
        else
            unreadable.emplace_back(it->path(), path ? "its path does not match its file name"
                                                     : "no readable path");
    }
    if (!unreadable.empty()) {
        // Move aside what cannot even name its path (or is no file at all): no load() would
        // ever find it. Checked again under the lock, as in load().
        std::optional<JournalTransaction> opened;
        if (!held) {
            auto l = lock();
            if (!l) return l.error();
            opened.emplace(std::move(l).value());
            held = &*opened;
        }
        for (auto& [file, why] : unreadable) {
            auto read = read_prefix(file, kPathPrefixBytes);
            if (!read || read->missing) continue;
            if (!read->unusable.empty()) {
                (void)quarantine(*held, file, read->unusable);
                continue;
            }
            auto path = entry_path_from_prefix(read->data);
            if (path && validate_repo_path(*path) && entry_file(*path) == file)
                paths.push_back(std::move(*path));
            else
                (void)quarantine(*held, file, why);
        }
    }
    std::sort(paths.begin(), paths.end());
    paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
    return paths;
}

} // namespace provenant
