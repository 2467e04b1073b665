// Test support for the accuracy tests: one file's document and its journal side as the sidecar
// session drives them (session/documents.cpp, session/reloads.cpp), through the real
// session::JournalSync, its journal and documents executors run in order on the caller's
// thread. Unlike accuracy::Sidecar (the merge rule alone), it has everything the session's
// journal side does: the exact restore at didOpen and the entry the document then holds
// (saves do not merge it back by content), the lines that left on a reset to HEAD, the
// typing a reload from disk took for its own, the entry stamps that decide what a poll absorbs
// and HEAD read again when the entry changed (a commit's attach).
#pragma once

#include "core/document.h"
#include "core/restore.h"
#include "session/journal_sync.h"

#include <deque>
#include <doctest/doctest.h>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace provenant::accuracy {

/// One thread: the caller's. Not copyable (JournalSync's callbacks point into it).
class SyncedSidecar {
public:
    explicit SyncedSidecar(session::JournalTarget target)
        : target_(std::move(target)),
          sync_(queue(), queue(),
                session::JournalSync::Callbacks{
                    [this](uint64_t id, std::shared_ptr<const Snapshot> evidence) {
                        bool held = false;
                        if (doc_ && id == id_) doc_->absorb(*evidence, &held);
                        return held;
                    },
                    [this](uint64_t id, std::shared_ptr<const Snapshot> base,
                           const std::shared_ptr<const HeadShare>& share) {
                        if (doc_ && id == id_) doc_->rebase(std::move(base), share.get());
                    },
                    {}}) {}
    SyncedSidecar(const SyncedSidecar&) = delete;
    SyncedSidecar& operator=(const SyncedSidecar&) = delete;
    ~SyncedSidecar() { close(); }

    /// didOpen of `text` (a didClose of the document open before): the document at once, the
    /// journal's restore against HEAD's text applied as Session::restored applies it.
    Document& open(std::string_view text, Document::Clock clock) {
        close();
        id_ = next_id_++;
        doc_ = std::make_unique<Document>(text, 1, PositionEncoding::Utf16);
        doc_->set_clock(std::move(clock));
        doc_->expect_restore();
        std::optional<Result<session::Reopened>> restored;
        sync_.restore(id_, target_, std::string(text),
                      [&restored](Result<session::Reopened> r) { restored.emplace(std::move(r)); });
        sync_.track(id_, target_);
        run();
        REQUIRE(restored);
        REQUIRE(restored->ok());
        session::Reopened& r = **restored;
        if (r.snapshot) {
            const Document::Restored applied = doc_->apply_restored(1, *r.snapshot);
            REQUIRE(applied != Document::Restored::Misfit);
            if (applied == Document::Restored::Exact && r.exact) sync_.hold(id_);
        }
        doc_->set_base(std::move(r.base));
        doc_->remember_left(r.left);
        run();
        return *doc_;
    }
    /// didClose: the unsaved edits are written (a forced flush), the entry is no longer watched.
    void close() {
        if (!doc_) return;
        if (dirty_) flush(std::nullopt);
        sync_.untrack(id_);
        run();
        doc_.reset();
    }
    /// The document changed (a didChange): written at the next flush.
    void changed() { dirty_ = true; }
    /// didSave: the file holds the document's text.
    void save() {
        dirty_ = true;
        flush(saved_typing(doc_->snapshot()));
    }
    /// The unsaved-edit flush (no didSave), as after a reload the session found
    /// (Session::reload_confirmed: `reloaded`, the write's second).
    void flush_edits(std::optional<uint32_t> reloaded = std::nullopt) {
        if (reloaded) reloaded_ = std::min(reloaded_.value_or(*reloaded), *reloaded);
        dirty_ = true;
        flush(std::nullopt);
    }
    /// The session's poll: other writers' entries absorbed, HEAD read again when it changed.
    void poll() {
        sync_.poll_now();
        run();
    }
    Document& doc() { return *doc_; }

private:
    session::Executor queue() {
        return [this](std::function<void()> fn) { tasks_.push_back(std::move(fn)); };
    }
    void run() {
        while (!tasks_.empty()) {
            auto fn = std::move(tasks_.front());
            tasks_.pop_front();
            fn();
        }
    }
    /// Session::flush: the snapshot, what the file holds (`on_disk`), the base reset and the
    /// reload's second.
    void flush(std::optional<SavedTyping> on_disk) {
        if (!dirty_) return;
        dirty_ = false;
        sync_.save_as(id_, target_, doc_->snapshot(), on_disk, doc_->take_base_reset(),
                      std::exchange(reloaded_, std::nullopt));
        run();
    }

    session::JournalTarget target_;
    std::deque<std::function<void()>> tasks_;
    session::JournalSync sync_;
    std::unique_ptr<Document> doc_;
    uint64_t id_ = 0;
    uint64_t next_id_ = 1;
    bool dirty_ = false;
    std::optional<uint32_t> reloaded_;
};

} // namespace provenant::accuracy
