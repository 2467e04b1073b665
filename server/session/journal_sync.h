// The sidecar session's journal side: restoring a document at open against HEAD's text,
// coalesced writes merged with other writers, and polling for them. It runs its work on an
// injected executor, so the same code runs on the LSP server's journal thread or, in a test,
// on one thread with no JSON-RPC at all.
#pragma once

#include "core/base.h"
#include "core/provenance.h"
#include "core/restore.h"
#include "journal/journal.h"
#include "session/head_text.h"
#include "session/reopen.h"
#include "support/result.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace provenant::session {

/// Where one document's pending provenance lives.
struct JournalTarget {
    std::filesystem::path gitdir;
    std::string path;              ///< repository-relative
    std::filesystem::path workdir; ///< the worktree (empty: not known, HEAD is not read)
};

/// A cheap identity of an entry file's current version (changes on every atomic replace).
struct EntryStamp {
    uint64_t inode = 0;
    int64_t mtime_ns = 0;
    uint64_t size = 0;
    bool exists = false;
    bool operator==(const EntryStamp&) const = default;
};

/// What the journal thread saw of a document's file on disk (JournalSync::look_at_file).
struct FileLook {
    bool exists = false; ///< a regular file
    uint64_t size = 0;
    int64_t mtime_ns = 0;   ///< its last write, wall clock
    bool same_text = false; ///< it holds exactly the text asked about
};

/// Runs a task later, in order with the executor's other tasks (a thread's queue, or a test's).
using Executor = std::function<void(std::function<void()>)>;

/// The journal work of one sidecar. Public methods may be called from any thread: they queue
/// tasks on the `journal` executor (one thread, in order, so a save queued before a load is
/// visible to it); results that concern a document go back through the `documents` executor:
/// this class never touches a Document. Journal errors are logged, never thrown.
class JournalSync {
public:
    /// Evidence for document `doc_id` found in its journal entry (stronger than, or written
    /// after, what this process last stored). Invoked on the documents executor. Returns
    /// whether the document now holds that entry exactly (it was of the document's text:
    /// Document::absorb's `held`): its saves then write over that entry version without
    /// merging it by content again, until another writer changes it.
    using Absorb = std::function<bool(uint64_t doc_id, std::shared_ptr<const Snapshot>)>;
    /// HEAD's text of the document's file with HEAD's meaning (null: not known), read again
    /// when its entry changed (a commit's attach moves HEAD): for Document::rebase, with what
    /// the entry's text shares with it (null when HEAD's text did not change since the last
    /// poll): the diff is made here, off the documents thread. Invoked on the documents executor.
    using Rebase = std::function<void(uint64_t doc_id, std::shared_ptr<const Snapshot>,
                                      std::shared_ptr<const HeadShare>)>;
    /// Runs on the journal executor before each write to a repository's journal (given its
    /// git directory): the CLI's deferred-attach drain.
    using BeforeWrite = std::function<void(const std::filesystem::path& gitdir)>;
    /// The outcome of restore(), invoked on the documents executor.
    using Restored = std::function<void(Result<Reopened>)>;

    struct Callbacks {
        Absorb absorb;
        Rebase rebase;            ///< empty: none
        BeforeWrite before_write; ///< empty: nothing
    };

    JournalSync(Executor journal, Executor documents, Callbacks callbacks);
    JournalSync(const JournalSync&) = delete;
    JournalSync& operator=(const JournalSync&) = delete;

    /// The attribution of `target`'s file opened with `text` as document `doc_id`, restored
    /// from its entry against the file's text in HEAD (session::reopen: text HEAD explains is
    /// base text; a stale entry is retired), after every task queued before; `done` gets it.
    /// When the restore is exact (Reopened::exact) and the document applies it exactly (hold()),
    /// saves queued after that write the document's snapshot over that entry as it is, without
    /// merging it back by content (save()), until another writer changes it.
    void restore(uint64_t doc_id, const JournalTarget& target, std::string text, Restored done);
    /// Document `doc_id` applied its exact restore exactly (Document::Restored::Exact): it holds
    /// the entry version restore() read, and saves queued after this need not merge it. Not
    /// called when the document merged the restore by content (its edit history no longer
    /// reached the opened version): it then lacks the evidence of the lines edited since, and
    /// its saves merge the entry as any other.
    void hold(uint64_t doc_id);

    /// Starts / stops watching `target` for writes by other processes on behalf of `doc_id`.
    void track(uint64_t doc_id, const JournalTarget& target);
    void untrack(uint64_t doc_id);

    /// Merges `snapshot` into `target`'s entry (Journal::update + merge_evidence, so stronger
    /// evidence already there survives). When the merge brought evidence the document lacks,
    /// it is delivered back through Absorb. An entry the document holds exactly (its exact
    /// restore, or its own last write with nothing merged in, and no writer since) is not
    /// merged: its evidence is in `snapshot` character by character already, and carrying it
    /// back by content would only misalign it (typing lost in a crash taken for the saved
    /// typing it resembles; docs/journal.md, "The merge rule"). Saves queued for the same
    /// document coalesce: only the latest snapshot is written. `on_disk`: the file holds this
    /// text (the editor saved it): the entry's `saved` describes its typing (core/restore.h), also
    /// when a later snapshot coalesces with it. `reset`: a change made the text HEAD's again in
    /// that second (Document::take_base_reset): the entry's evidence observed before it is stale
    /// and is not merged (drop_older_evidence).
    void save(uint64_t doc_id, const JournalTarget& target, Snapshot snapshot, bool on_disk = false,
              std::optional<uint32_t> reset = std::nullopt);
    /// save() with the typing the file holds given (`saved`, none: not known to be on disk):
    /// for a save whose snapshot is taken later than the file was written (a didSave while
    /// the document's restore was on its way).
    /// `reloaded`: the document found that what it took for typing in that second or later
    /// was an editor's reload from disk (Document::reloaded_from_disk): the entry's typing
    /// observed since then (written before the document knew) is not merged (drop_typing_since).
    void save_as(uint64_t doc_id, const JournalTarget& target, Snapshot snapshot,
                 std::optional<SavedTyping> saved, std::optional<uint32_t> reset = std::nullopt,
                 std::optional<uint32_t> reloaded = std::nullopt);

    /// Looks at `file` on disk (after every task queued before): its size and last write, and,
    /// when `text` is given and the sizes agree, whether it holds exactly `text`. `done` gets
    /// it on the documents executor. File I/O for the journal thread, never the editing one.
    void look_at_file(std::filesystem::path file, std::shared_ptr<const std::string> text,
                      std::function<void(FileLook)> done);

    /// Lines an AI completion generated in `target`'s file (Document::take_generated), for
    /// the completion session's funnel (journal/sessions.h: no hook reports completions).
    /// Recorded in the repository's session store before the next journal write to that
    /// repository (a commit whose note holds the lines also sees them generated).
    struct GeneratedLines {
        OriginRecord origin;
        uint64_t lines = 0;
    };
    void add_generated(const JournalTarget& target, std::vector<GeneratedLines> generated);

    /// Checks every tracked entry (queued).
    void poll_now();

    /// Runs `fn` on the journal executor after every task queued before it (exceptions
    /// logged).
    void barrier(std::function<void()> fn);

private:
    struct Tracked {
        JournalTarget target;
        EntryStamp stamp;     ///< of the entry as this process last wrote or read it
        size_t head_hash = 0; ///< of HEAD's text at the last poll (0: not read yet)
    };
    Journal& journal_for(const std::filesystem::path& gitdir);
    void do_save(uint64_t doc_id);
    /// Gives document `doc_id` the evidence of entry version `stamp` (Absorb, on the documents
    /// executor); when the document took it exactly, it holds that version (hold_absorbed).
    void deliver(uint64_t doc_id, std::shared_ptr<const Snapshot> evidence, EntryStamp stamp,
                 std::function<void()> then = {});
    /// Document `doc_id` absorbed entry version `stamp` exactly: it holds it, if that is still
    /// the entry's version.
    void hold_absorbed(uint64_t doc_id, EntryStamp stamp);
    /// Writes the generated lines waiting for `gitdir`.
    void record_generated(const std::filesystem::path& gitdir);
    void do_poll();

    Executor journal_;
    Executor documents_;
    Callbacks callbacks_;

    // Journal-executor state.
    std::map<std::filesystem::path, std::unique_ptr<Journal>> journals_;
    std::unordered_map<uint64_t, Tracked> tracked_;
    /// The entry version each document holds exactly (restored exactly from it once its
    /// restore was applied, wrote it with nothing merged in, or absorbed it when it was of the
    /// document's text): saves need not merge it.
    std::unordered_map<uint64_t, EntryStamp> held_;
    /// The entry version each document's exact restore was read from, until hold() says the
    /// document applied it exactly.
    std::unordered_map<uint64_t, EntryStamp> offered_;
    HeadReader head_;

    // Saves waiting for the journal executor: the latest snapshot per document (guarded by
    // mutex_).
    struct PendingSave {
        JournalTarget target;
        Snapshot snapshot;
        std::optional<SavedTyping> saved; ///< JournalEntry::saved to store (none: keep it)
        std::optional<uint32_t> reset;    ///< the text became HEAD's (save's `reset`)
        std::optional<uint32_t> reloaded; ///< typing since then was a reload (save_as)
    };
    std::mutex mutex_;
    std::unordered_map<uint64_t, PendingSave> pending_;
    /// Generated lines waiting for the journal executor, by git directory and path (guarded
    /// by mutex_).
    std::map<std::filesystem::path, std::vector<std::pair<std::string, GeneratedLines>>> generated_;
};

} // namespace provenant::session
