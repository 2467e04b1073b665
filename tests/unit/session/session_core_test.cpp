// Unit tests: the session core with no JSON-RPC, on one thread (a fake executor runs the
// journal's and the documents' tasks in order): open at once and restore later, edit, save,
// absorb an agent's record, restore a second document, retire a stale entry after a checkout.
#include "core/document.h"
#include "core/line_classifier.h"
#include "journal/journal.h"
#include "session/journal_sync.h"
#include "support/temp_repo.h"

#include <deque>
#include <doctest/doctest.h>
#include <unordered_map>

using namespace provenant;

namespace {

const OriginRecord kClaude{OriginClass::Ai, "claude-code", "agent", "claude-sonnet-4-5", "s", ""};
constexpr uint32_t kNow = 1'800'000'000;

/// One thread's task queue: both executors post here; run() runs everything queued, in order.
struct FakeExecutor {
    std::deque<std::function<void()>> tasks;
    session::Executor executor() {
        return [this](std::function<void()> fn) { tasks.push_back(std::move(fn)); };
    }
    void run() {
        while (!tasks.empty()) {
            auto fn = std::move(tasks.front());
            tasks.pop_front();
            fn();
        }
    }
};

std::vector<LineClass> lines(const Document& d) {
    std::vector<LineClass> out;
    for (const LineVerdict& v : d.classify())
        out.push_back(v.cls);
    return out;
}

TextRange at(uint32_t line, uint32_t character) {
    return TextRange{{line, character}, {line, character}};
}

} // namespace

TEST_CASE("the session core opens, restores, edits, saves and absorbs on one thread") {
    test::TempRepo repo;
    const std::string head = "x = 1\n";
    repo.write("a.py", head);
    repo.commit_all("initial");
    auto loc = find_repository(repo.path());
    REQUIRE(loc);
    const session::JournalTarget target{loc->gitdir, "a.py", loc->workdir};
    Journal journal(loc->gitdir);

    FakeExecutor exec;
    std::unordered_map<uint64_t, Document*> docs;
    session::JournalSync sync(
        exec.executor(), exec.executor(),
        session::JournalSync::Callbacks{[&](uint64_t id, std::shared_ptr<const Snapshot> evidence) {
                                            bool held = false;
                                            if (auto it = docs.find(id); it != docs.end())
                                                it->second->absorb(*evidence, &held);
                                            return held;
                                        },
                                        [&](uint64_t id, std::shared_ptr<const Snapshot> base,
                                            const std::shared_ptr<const HeadShare>&) {
                                            if (auto it = docs.find(id); it != docs.end())
                                                it->second->set_base(base);
                                        },
                                        {}});

    // didOpen: the document exists at once; the journal's restore comes later.
    Document doc(head, 1, PositionEncoding::Utf8);
    doc.set_clock([] { return kNow; });
    docs[1] = &doc;
    bool restored = false;
    sync.restore(1, target, head, [&](Result<session::Reopened> r) {
        REQUIRE(r.ok());
        CHECK(!r->snapshot); // no entry yet
        REQUIRE(r->base);    // HEAD's text is known
        CHECK(r->base->text == head);
        doc.set_base(r->base);
        restored = true;
    });
    sync.track(1, target);
    // A keystroke before the restore arrives.
    REQUIRE(doc.apply_change(2, at(1, 0), "y"));
    CHECK(!restored);
    exec.run();
    CHECK(restored);
    CHECK(lines(doc) == std::vector<LineClass>{LineClass::Unknown, LineClass::Human});

    // didSave: the journal gets the document's snapshot.
    sync.save(1, target, doc.snapshot(), /*on_disk=*/true, doc.take_base_reset());
    exec.run();
    {
        auto e = journal.load("a.py");
        REQUIRE(e.ok());
        REQUIRE(*e);
        CHECK((**e).snapshot.text == "x = 1\ny");
        CHECK((**e).saved);
    }

    // An agent's hook (another process) records a line; the editor reloads it; the poll
    // brings the record into the document.
    const std::string with_agent = "x = 1\ny\nz = compute(x)\n";
    auto stored = journal.update("a.py", [&](std::optional<JournalEntry> cur) {
        REQUIRE(cur);
        Snapshot s = cur->snapshot;
        s.text = with_agent;
        const uint32_t ai = s.origins.intern(kClaude);
        s.push_run(static_cast<uint32_t>(with_agent.size() - cur->snapshot.text.size()),
                   Attr{ai, Evidence::Recorded, true, kNow});
        JournalEntry e = *cur;
        e.snapshot = s;
        e.writer = "hook:claude-code";
        return std::optional<JournalEntry>(std::move(e));
    });
    REQUIRE(stored.ok());
    REQUIRE(doc.apply_change(3, std::nullopt, with_agent));
    sync.poll_now();
    exec.run();
    CHECK(lines(doc) ==
          std::vector<LineClass>{LineClass::Unknown, LineClass::Human, LineClass::Ai});
    sync.save(1, target, doc.snapshot(), true, doc.take_base_reset());
    exec.run();

    // A second document opened on the same text gets it all back from the journal.
    Document again(with_agent, 1, PositionEncoding::Utf8);
    docs[2] = &again;
    sync.restore(2, target, with_agent, [&](Result<session::Reopened> r) {
        REQUIRE(r.ok());
        REQUIRE(r->snapshot);
        CHECK(again.apply_restored(1, *r->snapshot) == Document::Restored::Exact);
    });
    exec.run();
    CHECK(lines(again) == lines(doc));

    // `git checkout -f` throws the pending work away; a reopen on HEAD's text is HEAD's, and the
    // stale entry is retired, so its evidence cannot come back.
    repo.git({"checkout", "-f", "--", "a.py"});
    Document reopened(head, 1, PositionEncoding::Utf8);
    docs[3] = &reopened;
    sync.restore(3, target, head, [&](Result<session::Reopened> r) {
        REQUIRE(r.ok());
        REQUIRE(r->snapshot);
        CHECK(reopened.apply_restored(1, *r->snapshot) == Document::Restored::Exact);
    });
    exec.run();
    CHECK(lines(reopened) == std::vector<LineClass>{LineClass::Unknown});
    auto e = journal.load("a.py");
    REQUIRE(e.ok());
    REQUIRE(*e);
    CHECK((**e).snapshot.text == head);
    for (const Run& r : (**e).snapshot.runs)
        CHECK((**e).snapshot.origins.at(r.attr.origin).cls != OriginClass::Ai);
}
