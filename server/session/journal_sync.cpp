// The session's journal side: restore at open, coalesced merged writes, change polling.
#include "session/journal_sync.h"

#include "core/base.h"
#include "core/carry.h"
#include "core/left_lines.h"
#include "journal/sessions.h"
#include "support/fs.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

namespace provenant::session {
namespace {

const std::vector<Snapshot> kNoLines;

EntryStamp stamp_of(const std::filesystem::path& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) return {};
    return EntryStamp{static_cast<uint64_t>(st.st_ino),
                      static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
                      static_cast<uint64_t>(st.st_size), true};
}

} // namespace

JournalSync::JournalSync(Executor journal, Executor documents, Callbacks callbacks)
    : journal_(std::move(journal)), documents_(std::move(documents)),
      callbacks_(std::move(callbacks)) {}

Journal& JournalSync::journal_for(const std::filesystem::path& gitdir) {
    auto& j = journals_[gitdir];
    if (!j) j = std::make_unique<Journal>(gitdir);
    return *j;
}

void JournalSync::restore(uint64_t doc_id, const JournalTarget& target, std::string text,
                          Restored done) {
    journal_([this, doc_id, target, text = std::move(text), done = std::move(done)] {
        auto result = std::make_shared<std::optional<Result<Reopened>>>();
        std::optional<EntryStamp> exact; // the entry version restored exactly
        try {
            std::optional<std::string> head;
            if (!target.workdir.empty()) head = head_.text(target.workdir, target.path);
            Journal& journal = journal_for(target.gitdir);
            const EntryStamp before = stamp_of(journal.entry_file(target.path));
            result->emplace(reopen(journal, target.path, text, head ? &*head : nullptr));
            // Read before the load: a writer in between makes it differ, and saves merge.
            if (**result && (**result)->exact) exact = before;
        } catch (const std::exception& e) {
            result->emplace(make_error(ErrorKind::internal, e.what()));
        }
        // hold() takes it once the document applied the restore exactly; a save queued earlier
        // (a close while restoring) lacks the restored evidence and still merges it.
        if (exact)
            offered_[doc_id] = *exact;
        else
            offered_.erase(doc_id);
        documents_([doc_id, done, result] { done(std::move(**result)); });
    });
}

void JournalSync::hold(uint64_t doc_id) {
    journal_([this, doc_id] {
        auto it = offered_.find(doc_id);
        if (it == offered_.end()) return;
        held_[doc_id] = it->second;
        offered_.erase(it);
    });
}

void JournalSync::track(uint64_t doc_id, const JournalTarget& target) {
    journal_([this, doc_id, target] {
        tracked_[doc_id] =
            Tracked{target, stamp_of(journal_for(target.gitdir).entry_file(target.path))};
    });
}

void JournalSync::untrack(uint64_t doc_id) {
    journal_([this, doc_id] {
        tracked_.erase(doc_id);
        held_.erase(doc_id);
        offered_.erase(doc_id);
    });
}

void JournalSync::save(uint64_t doc_id, const JournalTarget& target, Snapshot snapshot,
                       bool on_disk, std::optional<uint32_t> reset) {
    // The typing the file holds: typing observed later never reached it.
    std::optional<SavedTyping> saved;
    if (on_disk) saved = saved_typing(snapshot);
    save_as(doc_id, target, std::move(snapshot), saved, reset);
}

void JournalSync::save_as(uint64_t doc_id, const JournalTarget& target, Snapshot snapshot,
                          std::optional<SavedTyping> saved, std::optional<uint32_t> reset,
                          std::optional<uint32_t> reloaded) {
    bool queued;
    {
        std::lock_guard lock(mutex_);
        auto it = pending_.find(doc_id);
        queued = it != pending_.end(); // a task for this document is waiting: it takes the latest
        if (queued && !saved) saved = it->second.saved; // the last save still describes the file
        if (queued && !reset) reset = it->second.reset; // a later snapshot still follows it
        if (queued && it->second.reloaded)
            reloaded = std::min(reloaded.value_or(*it->second.reloaded), *it->second.reloaded);
        pending_.insert_or_assign(doc_id,
                                  PendingSave{target, std::move(snapshot), saved, reset, reloaded});
    }
    if (!queued) journal_([this, doc_id] { do_save(doc_id); });
}

void JournalSync::add_generated(const JournalTarget& target,
                                std::vector<GeneratedLines> generated) {
    if (generated.empty()) return;
    {
        std::lock_guard lock(mutex_);
        auto& waiting = generated_[target.gitdir];
        for (GeneratedLines& g : generated)
            waiting.emplace_back(target.path, std::move(g));
    }
    journal_([this, gitdir = target.gitdir] { record_generated(gitdir); });
}

void JournalSync::record_generated(const std::filesystem::path& gitdir) {
    std::vector<std::pair<std::string, GeneratedLines>> items;
    {
        std::lock_guard lock(mutex_);
        auto it = generated_.find(gitdir);
        if (it == generated_.end()) return;
        items = std::move(it->second);
        generated_.erase(it);
    }
    SessionStore store(gitdir);
    for (const auto& item : items) {
        const std::string& path = item.first;
        const GeneratedLines& g = item.second;
        const SessionKey key{g.origin.tool, g.origin.session};
        auto st = store.update(key, [&](SessionRecord& r) {
            if (r.kind.empty()) r.kind = g.origin.kind;
            r.note_model(g.origin.model);
            r.add_generated(path, g.lines);
        });
        if (!st)
            spdlog::warn("session: {} generated lines of {} in {} not recorded: {}", g.lines,
                         key.str(), path, st.error().message);
    }
}

void JournalSync::do_save(uint64_t doc_id) {
    std::optional<PendingSave> job;
    {
        std::lock_guard lock(mutex_);
        auto it = pending_.find(doc_id);
        if (it == pending_.end()) return;
        job.emplace(std::move(it->second));
        pending_.erase(it);
    }
    try {
        if (callbacks_.before_write) callbacks_.before_write(job->target.gitdir);
        // Before the entry that holds the lines: a commit that sees them sees them generated.
        record_generated(job->target.gitdir);
        Journal& journal = journal_for(job->target.gitdir);
        const Snapshot& ours = job->snapshot;
        const auto held = held_.find(doc_id);
        auto stored = journal.update(job->target.path, [&](std::optional<JournalEntry> current) {
            JournalEntry e;
            e.path = job->target.path;
            e.writer = "lsp";
            e.saved = job->saved; // none: update() keeps the stored one
            // Lines a change to HEAD's text took away are kept aside (core/left_lines.h), and
            // kept ones that are back in the text are dropped: its attribution holds them.
            if (current) {
                std::vector<Snapshot> gone;
                if (job->reset) gone = lines_that_left(current->snapshot, ours.text);
                if (!gone.empty() || (current->left && !current->left->empty()))
                    e.left =
                        merge_left(std::move(gone), current->left.value_or(kNoLines), ours.text);
            }
            // The version this document holds exactly (no writer since: the lock is held):
            // nothing in it is missing from `ours`.
            if (current && held != held_.end() &&
                stamp_of(journal.entry_file(job->target.path)) == held->second)
                current.reset();
            // A change made the text HEAD's again: what the entry observed before it
            // described the text that change threw away (drop_older_evidence).
            if (current && job->reset)
                current->snapshot = drop_older_evidence(current->snapshot, *job->reset);
            // What the document took for typing, and wrote, was a reload from disk.
            if (current && job->reloaded)
                current->snapshot = drop_typing_since(current->snapshot, *job->reloaded);
            // Keep what others recorded (agent hooks' explicit records) by merging by content.
            e.snapshot = current ? merge_evidence(ours, current->snapshot) : ours;
            return std::optional<JournalEntry>(std::move(e));
        });
        if (!stored.ok()) {
            spdlog::warn("journal: saving {}: {}", job->target.path, stored.error().message);
            return;
        }
        const EntryStamp written = stamp_of(journal.entry_file(job->target.path));
        auto t = tracked_.find(doc_id);
        if (t != tracked_.end()) t->second.stamp = written;
        // Nothing merged in: the document holds this version exactly.
        if (*stored && same_attribution((*stored)->snapshot, ours))
            held_[doc_id] = written;
        else
            held_.erase(doc_id);
        // Evidence merged in goes back to the document; when it still has this text it then
        // holds the version written, and its next save need not carry it by content again
        // (onto text typed since that happens to spell it: docs/journal.md, "The merge rule").
        if (*stored && !same_attribution((*stored)->snapshot, ours))
            deliver(doc_id, std::make_shared<const Snapshot>(std::move((*stored)->snapshot)),
                    written);
    } catch (const std::exception& e) {
        spdlog::error("journal: saving {}: {}", job->target.path, e.what());
    }
}

void JournalSync::deliver(uint64_t doc_id, std::shared_ptr<const Snapshot> evidence,
                          EntryStamp stamp, std::function<void()> then) {
    documents_([this, doc_id, evidence = std::move(evidence), stamp, then = std::move(then)] {
        // A save the document queued before this is written first (the journal executor runs
        // in order) and merges as before: only snapshots taken after this hold the evidence.
        if (callbacks_.absorb(doc_id, evidence))
            journal_([this, doc_id, stamp] { hold_absorbed(doc_id, stamp); });
        if (then) then();
    });
}

void JournalSync::hold_absorbed(uint64_t doc_id, EntryStamp stamp) {
    auto t = tracked_.find(doc_id);
    if (t == tracked_.end()) return; // closed meanwhile
    // Another writer since (or this document's own later write) is not what it absorbed.
    if (stamp_of(journal_for(t->second.target.gitdir).entry_file(t->second.target.path)) != stamp)
        return;
    held_[doc_id] = stamp;
}

void JournalSync::look_at_file(std::filesystem::path file, std::shared_ptr<const std::string> text,
                               std::function<void(FileLook)> done) {
    journal_([this, file = std::move(file), text = std::move(text), done = std::move(done)] {
        FileLook look;
        struct stat st {};
        if (::stat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
            look.exists = true;
            look.size = static_cast<uint64_t>(st.st_size);
            look.mtime_ns =
                static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
            // Read only a file of the text's size (the document holds as much already).
            if (text && look.size == text->size()) {
                auto content = read_file(file);
                look.same_text = content.ok() && *content == *text;
            }
        }
        documents_([done, look] { done(look); });
    });
}

void JournalSync::poll_now() {
    journal_([this] { do_poll(); });
}

void JournalSync::do_poll() {
    for (auto& [doc_id, t] : tracked_) {
        try {
            Journal& journal = journal_for(t.target.gitdir);
            EntryStamp now = stamp_of(journal.entry_file(t.target.path));
            if (now == t.stamp) continue;
            t.stamp = now;
            if (!now.exists) continue;
            auto entry = journal.load(t.target.path);
            if (!entry.ok()) {
                spdlog::warn("journal: reading {}: {}", t.target.path, entry.error().message);
                continue;
            }
            if (!*entry) continue;
            spdlog::debug("journal: {} changed (writer {}); merging its evidence", t.target.path,
                          (*entry)->writer);
            // HEAD may have moved with it (a commit's attach): the document's base follows.
            std::shared_ptr<const Snapshot> base;
            std::shared_ptr<const HeadShare> share;
            if (callbacks_.rebase && !t.target.workdir.empty()) {
                if (auto head = head_.text(t.target.workdir, t.target.path)) {
                    const Snapshot& s = (*entry)->snapshot;
                    base = std::make_shared<const Snapshot>(head_meaning(&s, *head));
                    // HEAD moved: the rebase's diff, here rather than on the documents thread.
                    const size_t hash = std::hash<std::string>{}(*head) | 1;
                    if (hash != t.head_hash)
                        share = std::make_shared<const HeadShare>(
                            HeadShare{s.text, shared_with_head(s.text, *head)});
                    t.head_hash = hash;
                }
            }
            std::function<void()> rebase;
            if (callbacks_.rebase)
                rebase = [this, id = doc_id, base, share] { callbacks_.rebase(id, base, share); };
            deliver(doc_id, std::make_shared<const Snapshot>(std::move((*entry)->snapshot)), now,
                    std::move(rebase));
        } catch (const std::exception& e) {
            spdlog::error("journal: polling {}: {}", t.target.path, e.what());
        }
    }
}

void JournalSync::barrier(std::function<void()> fn) {
    journal_([fn = std::move(fn)] {
        try {
            fn();
        } catch (const std::exception& e) {
            spdlog::error("journal worker: barrier: {}", e.what());
        }
    });
}

} // namespace provenant::session
