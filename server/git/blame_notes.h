// The notes of the commits that own blamed lines, read on a thread of their own while the blame
// walk goes on finding owners: `git blame` reads no notes, so this work is what made `provenant
// blame` slower than git on files whose owners' notes are costly to read (docs/benchmarks.md).
#pragma once

#include "git/object_cache.h"
#include "git/repository.h"
#include "protocol/note.h"

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>

namespace provenant::git {

class PackReader;

/// What a commit's note says about one of its files: the file's entry, when the note has one
/// for the commit's blob of it (a note for another blob says nothing about these lines), and the
/// note's origins; both empty otherwise (no note, an unreadable one: the lines are `unknown`).
struct FileAttribution {
    std::optional<NoteFile> file;
    std::map<std::string, NoteOrigin> origins;
};

/// The attributions blame asks for, read by a worker thread with its own repository handle
/// (libgit2's rule: one per thread) and its own reader of `packs`' mappings, in the order they
/// are asked. finish() reads, beside the worker, what it has not taken yet, and whatever it
/// could not read (the repository does not open there, the thread cannot start, an
/// exception): the results never depend on the timing or on the thread. want() and finish()
/// belong to one thread (the blame's); the worker touches only the queue (under the lock) and
/// its own results.
class BlameNotes {
public:
    /// Starts the worker (none with `worker` false: finish() reads every ask, in order, as a
    /// test's reference). `packs` (may be null) is shared, not used: its mappings only, with
    /// caches of their own.
    BlameNotes(const Repo& repo, const PackReader* packs, bool worker = true);
    ~BlameNotes();
    BlameNotes(const BlameNotes&) = delete;
    BlameNotes& operator=(const BlameNotes&) = delete;

    /// Asks for `path`'s attribution at `commit`, whose blob of it is `blob`; `path` must
    /// outlive this object (blame interns its paths). Asking twice is asking once.
    void want(const git_oid& commit, const std::string* path, const git_oid& blob);
    /// Waits until every ask is read (reading what the worker did not). Then get() answers;
    /// want() must not be called again.
    void finish();
    /// The attribution of an ask, after finish(); an empty one for what was never asked.
    const FileAttribution& get(const git_oid& commit, const std::string* path) const;

    /// How many asks the worker read (the rest were read by finish()): for tests. Only with
    /// no worker is it certain (0): finish() and the worker share what is left at the end.
    size_t read_by_worker() const { return by_worker_; }

private:
    using Key = std::pair<std::string, const std::string*>; // raw commit id, interned path
    struct Ask {
        git_oid commit;
        const std::string* path;
        git_oid blob;
    };
    void work();

    const Repo& repo_;
    std::string gitdir_;
    std::unique_ptr<PackReader> worker_packs_, caller_packs_;
    std::set<Key> asked_;                    // the blame thread's
    std::deque<Ask> all_;                    // every ask, in order (the blame thread's)
    std::map<Key, FileAttribution> results_; // the worker's until finish() joins it

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Ask> queue_; // asks not yet taken by the worker (under mutex_)
    bool closing_ = false;  // no more asks (under mutex_)
    bool waiting_ = false;  // the worker sleeps on wake_ (under mutex_)
    size_t by_worker_ = 0;
    std::thread worker_;
    bool finished_ = false;
};

} // namespace provenant::git
