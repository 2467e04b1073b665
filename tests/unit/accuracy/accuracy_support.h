// Test support for the accuracy tests: a journal in a temp git directory, the sidecar's
// journal side (session::JournalSync, in process, in order), an agent's hook write.
#pragma once

#include "agents/hook_runner.h"
#include "core/base.h"
#include "core/carry.h"
#include "core/document.h"
#include "core/line_classifier.h"
#include "core/restore.h"
#include "journal/journal.h"
#include "session/journal_sync.h"
#include "session/reopen.h"
#include "support/process.h"

#include <deque>
#include <doctest/doctest.h>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace provenant::accuracy {

inline const OriginRecord kAgentA{OriginClass::Ai,     "claude-code", "agent",
                                  "claude-sonnet-4-5", "sa",          ""};
inline const OriginRecord kAgentB{OriginClass::Ai, "codex", "agent", "gpt-5-codex", "sb", ""};
inline constexpr uint32_t kT0 = 1'800'000'000;

/// A fresh directory standing for a git directory (the journal needs no repository).
struct TempGitdir {
    static std::filesystem::path make() {
        static std::vector<std::unique_ptr<test::TempDir>> dirs; // live until the process ends
        dirs.push_back(std::make_unique<test::TempDir>());
        return dirs.back()->path();
    }
};

/// The sidecar's journal side for one document: the real session::JournalSync, its journal and
/// documents tasks run in order on this thread after each call, driven as session::Session
/// drives it (documents.cpp, reloads.cpp): the restore at didOpen (apply_restored, hold() when
/// exact, the base and the lines left), saves with the typing the file holds, the reset and
/// the reload, polls that absorb and rebase on HEAD's text. Its held entries and reload
/// handling are the session's own, not a copy that can drift from it. One thread.
class Sidecar {
public:
    /// `workdir`: the worktree (HEAD's text is read from it; empty: not known). `restore`: the
    /// document was just opened on its file's text and takes its restore from the journal.
    Sidecar(std::filesystem::path gitdir, std::string path, Document& doc,
            std::filesystem::path workdir = {}, bool restore = false)
        : target_{std::move(gitdir), std::move(path), std::move(workdir)}, doc_(doc) {
        if (restore) {
            doc_.expect_restore();
            const int64_t version = doc_.version();
            sync_.restore(kDoc, target_, doc_.text(), [this, version](Result<session::Reopened> r) {
                REQUIRE(r.ok());
                if (r->snapshot) {
                    const Document::Restored applied = doc_.apply_restored(version, *r->snapshot);
                    REQUIRE(applied != Document::Restored::Misfit);
                    if (applied == Document::Restored::Exact && r->exact) sync_.hold(kDoc);
                }
                doc_.set_base(std::move(r->base));
                doc_.remember_left(r->left);
            });
        }
        sync_.track(kDoc, target_);
        run();
    }
    /// A write of the document's snapshot (`on_disk`: a didSave, the file holds it).
    /// `reloaded`: Document::reloaded_from_disk found typing since that second was a reload.
    void save(bool on_disk = true, std::optional<uint32_t> reloaded = std::nullopt) {
        Snapshot s = doc_.snapshot();
        std::optional<SavedTyping> saved;
        if (on_disk) saved = saved_typing(s);
        sync_.save_as(kDoc, target_, std::move(s), saved, doc_.take_base_reset(), reloaded);
        run();
    }
    /// The poll timer: another writer's entry is absorbed, the base follows HEAD.
    void poll() {
        sync_.poll_now();
        run();
    }

private:
    static constexpr uint64_t kDoc = 1;
    void run() {
        while (!tasks_.empty()) {
            auto fn = std::move(tasks_.front());
            tasks_.pop_front();
            fn();
        }
    }
    session::Executor executor() {
        return [this](std::function<void()> fn) { tasks_.push_back(std::move(fn)); };
    }

    session::JournalTarget target_;
    Document& doc_;
    std::deque<std::function<void()>> tasks_;
    session::JournalSync sync_{
        executor(), executor(),
        session::JournalSync::Callbacks{[this](uint64_t, std::shared_ptr<const Snapshot> evidence) {
                                            bool held = false;
                                            doc_.absorb(*evidence, &held);
                                            return held;
                                        },
                                        [this](uint64_t, std::shared_ptr<const Snapshot> base,
                                               const std::shared_ptr<const HeadShare>& share) {
                                            doc_.rebase(std::move(base), share.get());
                                        },
                                        {}}};
};

/// An agent's post-tool hook writing `before` -> `after` (agents::record_edit).
inline void record(Journal& journal, const std::string& path, const std::string& before,
                   const std::string& after, const OriginRecord& agent, uint32_t seen) {
    agents::EditEvidence ev;
    ev.path = path;
    ev.head_text = [before] { return std::optional<std::string>(before); };
    ev.before = before;
    ev.after = after;
    ev.agent = agent;
    ev.seen = seen;
    auto r = agents::record_edit(journal, ev);
    REQUIRE(r.ok());
}

/// Per line: "blank", "unknown", "human", "paste", or the tool of an ai / ai_modified line.
inline std::vector<std::string> line_tools(const Snapshot& s) {
    std::vector<std::string> out;
    for (const LineVerdict& v : classify_lines(s)) {
        switch (v.cls) {
        case LineClass::Ai:
        case LineClass::AiModified:
            out.push_back(v.origin ? s.origins.at(*v.origin).tool : "ai?");
            break;
        case LineClass::Human:
            out.push_back("human");
            break;
        case LineClass::Paste:
            out.push_back("paste");
            break;
        case LineClass::Unknown:
            out.push_back("unknown");
            break;
        case LineClass::Blank:
            out.push_back("blank");
            break;
        }
    }
    while (!out.empty() && out.back() == "blank")
        out.pop_back();
    return out;
}

} // namespace provenant::accuracy
