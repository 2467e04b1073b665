// Test support for the accuracy tests: a journal in a temp git directory, the sidecar's
// journal writes as session::JournalSync does them (in process, in order), an agent's hook write.
#pragma once

#include "agents/hook_runner.h"
#include "core/base.h"
#include "core/carry.h"
#include "core/document.h"
#include "core/line_classifier.h"
#include "core/restore.h"
#include "journal/journal.h"
#include "session/reopen.h"
#include "support/process.h"

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

/// What session::JournalSync does for one document: save = Journal::update with
/// merge_evidence(ours, current) (less the evidence a change back to HEAD's text made stale) and
/// the absorb of what was stored (`on_disk`: the editor saved this text, so the entry learns which
/// typing the file holds, JournalEntry::saved); poll = load and absorb.
struct Sidecar {
    Journal& journal;
    std::string path;
    Document& doc;
    void save(bool on_disk = true) {
        const Snapshot ours = doc.snapshot();
        const std::optional<uint32_t> reset = doc.take_base_reset();
        auto stored = journal.update(path, [&](std::optional<JournalEntry> cur) {
            JournalEntry e;
            e.path = path;
            e.writer = "lsp";
            if (on_disk) e.saved = saved_typing(ours);
            if (cur && reset) cur->snapshot = session::drop_older_evidence(cur->snapshot, *reset);
            e.snapshot = cur ? merge_evidence(ours, cur->snapshot) : ours;
            return std::optional<JournalEntry>(std::move(e));
        });
        REQUIRE(stored.ok());
        if (*stored) doc.absorb((**stored).snapshot);
    }
    /// `head`: HEAD's text of the file, as JournalSync::do_poll reads it when the entry
    /// changed (a commit's attach): the document's base follows HEAD (Document::rebase).
    void poll(const std::string* head = nullptr) {
        auto e = journal.load(path);
        REQUIRE(e.ok());
        if (!*e) return;
        doc.absorb((**e).snapshot);
        if (head)
            doc.rebase(std::make_shared<const Snapshot>(head_meaning(&(**e).snapshot, *head)));
    }
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
