// The pending journal: provenance of uncommitted work, on disk inside the git directory.
#pragma once

#include "core/provenance.h"
#include "core/restore.h"
#include "support/fs.h"
#include "support/repository.h"
#include "support/result.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace provenant {

/// The pending provenance of one file.
struct JournalEntry {
    std::string path;  ///< repository-relative, '/'-separated
    Snapshot snapshot; ///< the text as last known and the origin of every character
    long long updated_ms = 0;
    std::string writer; ///< who wrote it last: "lsp", "hook:<agent>", "attach", ...
    /// The typing the file held when the sidecar last knew it was on disk (the editor saved
    /// it): on a reopen after a crash, typing observed later may never have reached the file
    /// (SavedTyping, core/restore.h). nullopt: not known. update() and JournalTransaction::store
    /// keep the stored value when the new entry has none, so writers that do not know it (hooks,
    /// attach, renames) keep it.
    std::optional<SavedTyping> saved;
    /// Blocks of whole lines that left the file when a change made it HEAD's text again (a
    /// stash, a branch switch), with their attribution, bounded (core/left_lines.h): given back
    /// when exactly those lines come back. nullopt: not known; update() and
    /// JournalTransaction::store keep the stored value then, as for `saved`. Empty: none.
    std::optional<std::vector<Snapshot>> left;
};

class JournalTransaction;

/// A repository's journal, stored under `<gitdir>/provenant/journal/`: one file per tracked
/// path, each replaced atomically, read-modify-write under an flock. Any number of threads
/// and processes may use Journals on the same directory at once (each call is independent;
/// one Journal object may be shared between threads). Each file stands alone: one that cannot
/// be read or parsed (corrupt, a directory, a FIFO, unreadable) is reported and moved aside to
/// `corrupt/`, never overwritten silently; one of a newer schema is reported and left in place
/// (readers go on without it, writers refuse to replace it).
/// Bounded: entries larger than kMaxEntryBytes are not stored, and no new path is added once
/// kMaxEntries paths have entries. The on-disk format is in docs/journal.md.
///
/// Several operations as one transaction: lock() returns a JournalTransaction, which holds the
/// lock and carries the operations. Every operation below is a short transaction of its own
/// (it takes the lock when it writes or moves a file aside); called on a thread that holds a
/// JournalTransaction on the same journal, it fails with an error at once instead of waiting
/// for a lock that thread will never release (flock is not reentrant).
class Journal {
public:
    static constexpr size_t kMaxEntryBytes = 16u << 20;
    static constexpr size_t kMaxEntries = 10000;
    static constexpr size_t kMaxPathBytes = kMaxRepoPathBytes;
    static constexpr size_t kMaxCorruptFiles = 64; ///< oldest moved-aside files are dropped
    static constexpr std::string_view kSchema = "provenant-journal/1";

    /// `max_entries` lowers the entry cap (tests); it never exceeds kMaxEntries.
    explicit Journal(std::filesystem::path gitdir, size_t max_entries = kMaxEntries);

    /// Opens a transaction: blocks until this process holds the journal's lock, which the
    /// transaction keeps until it is destroyed. An error when the lock file cannot be used, or
    /// when this thread already holds a transaction on this journal.
    Result<JournalTransaction> lock() const;

    /// The entry for `path`, nullopt when there is none (or it was corrupt and moved aside).
    /// An entry written by a newer provenant is reported on stderr and read as nullopt (left
    /// in place). Errors: an invalid path, an I/O error. Reads without the lock; takes it only
    /// to move a corrupt file aside.
    Result<std::optional<JournalEntry>> load(const std::string& path) const;

    /// Read-modify-write of one entry under the lock: `fn` receives the current entry (or
    /// nullopt) and returns the new one (nullopt removes it). Returns what was stored.
    /// The stored entry's `path` is `path` and `updated_ms` is now. `fn` runs under the lock:
    /// keep it short. An exception from `fn` is returned as an Error (nothing is stored).
    using Updater = std::function<std::optional<JournalEntry>(std::optional<JournalEntry>)>;
    Result<std::optional<JournalEntry>> update(const std::string& path, const Updater& fn);

    /// Every path with an entry, sorted. Reads only the start of each file, so a listed path
    /// may still turn out corrupt (load then returns nullopt).
    Result<std::vector<std::string>> list() const;
    Status remove(const std::string& path);

    /// A file renamed from `from` to `to` (rename.cpp): moves `from`'s entry to `to`, replacing
    /// any entry there (the file at `to` now holds `from`'s text), when `accept` (if given)
    /// approves it. Returns whether an entry moved. One transaction.
    using RenameCheck = std::function<bool(const JournalEntry& from_entry)>;
    Result<bool> rename(const std::string& from, const std::string& to,
                        const RenameCheck& accept = {});

    const std::filesystem::path& dir() const { return dir_; }
    /// The file that holds `path`'s entry (it may not exist).
    std::filesystem::path entry_file(std::string_view path) const;

private:
    friend class JournalTransaction;
    /// An error when this thread holds a transaction on this journal (the caller would wait
    /// for itself).
    Status refuse_inside_transaction(std::string_view operation) const;
    /// `held`: the caller's transaction (nullptr: none; one is opened to move a corrupt file
    /// aside). `for_write`: an entry of a newer schema is an error (it must not be replaced);
    /// for a reader it is reported and treated as absent.
    Result<std::optional<JournalEntry>>
    load_impl(const std::string& path, const JournalTransaction* held, bool for_write) const;
    Result<std::vector<std::string>> list_impl(const JournalTransaction* held) const;
    // The rest need the lock held: a JournalTransaction, which only they accept.
    Status quarantine(const JournalTransaction& held, const std::filesystem::path& file,
                      const std::string& why) const;
    Status store_checked(const JournalTransaction& held, JournalEntry& entry, bool exists) const;
    Result<size_t> count_entries(const JournalTransaction& held) const;

    std::filesystem::path gitdir_;
    std::filesystem::path dir_;
    size_t max_entries_ = kMaxEntries;
};

/// One transaction on a Journal, from Journal::lock(): holds the journal's lock until it is
/// destroyed, and is the only way to read and write the journal meanwhile, so several loads
/// and stores are one atomic step for the other writers (the sidecar's journal worker, agent
/// hooks, attach). Move-only. Use it on the thread that opened it (the guard against a second
/// lock is per thread); it must not outlive its Journal.
class JournalTransaction {
public:
    JournalTransaction(JournalTransaction&& other) noexcept;
    JournalTransaction& operator=(JournalTransaction&& other) noexcept;
    JournalTransaction(const JournalTransaction&) = delete;
    JournalTransaction& operator=(const JournalTransaction&) = delete;
    ~JournalTransaction();

    /// As Journal::load; a corrupt file is moved aside under this transaction.
    Result<std::optional<JournalEntry>> load(const std::string& path) const;
    /// Stores `entry` under entry.path (stamping updated_ms with now), as Journal::update does:
    /// a corrupt file there is moved aside first, an entry of a newer schema is not replaced,
    /// and the stored `saved` is kept when `entry` has none.
    Status store(const JournalEntry& entry);
    Status remove(const std::string& path);
    /// As Journal::list.
    Result<std::vector<std::string>> list() const;
    /// As Journal::update, inside this transaction.
    Result<std::optional<JournalEntry>> update(const std::string& path, const Journal::Updater& fn);

private:
    friend class Journal;
    JournalTransaction(const Journal& journal, FileLock lock);
    void release() noexcept;

    const Journal* journal_;
    std::optional<FileLock> lock_; ///< empty once moved from
};

/// The JSON text of an entry as stored (schema provenant-journal/1). Fails when the text is
/// not valid UTF-8 (JSON cannot carry it; such files are not journaled).
Result<std::string> journal_entry_to_text(const JournalEntry& entry);
/// Parses and validates a stored entry. Errors say what is wrong.
Result<JournalEntry> journal_entry_from_text(std::string_view text);

} // namespace provenant
