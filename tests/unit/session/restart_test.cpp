// Unit tests: restarts after kill -9 through the session core (JournalSync on a real journal,
// one thread): a document restored exactly from its entry writes what it holds, and its
// entry's lost typing is never carried back by content onto the saved text; a document whose
// restore came too late to map exactly still merges its entry when it writes.
#include "core/carry.h"
#include "core/document.h"
#include "core/line_classifier.h"
#include "journal/journal.h"
#include "session/journal_sync.h"
#include "support/temp_repo.h"

#include <deque>
#include <doctest/doctest.h>
#include <optional>
#include <unordered_map>

using namespace provenant;

namespace {

constexpr uint32_t kSaved = 1'800'000'000; // the second of the last save

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

/// One run of the sidecar: a JournalSync and the one document it has open (a kill -9 is
/// destroying it without a final write).
struct Sidecar {
    FakeExecutor exec;
    Document* doc = nullptr;
    session::JournalSync sync{
        exec.executor(), exec.executor(),
        session::JournalSync::Callbacks{[this](uint64_t, std::shared_ptr<const Snapshot> evidence) {
                                            bool held = false;
                                            if (doc) doc->absorb(*evidence, &held);
                                            return held;
                                        },
                                        {},
                                        {}}};

    /// How the last restore was applied.
    std::optional<Document::Restored> applied;

    /// didOpen of `d` (opened on `text`) and its restore from the journal, queued: it arrives
    /// when `exec` runs.
    void queue_open(Document& d, const session::JournalTarget& target, const std::string& text) {
        doc = &d;
        sync.restore(1, target, text, [this](Result<session::Reopened> r) {
            REQUIRE(r.ok());
            // As Session::restored: the entry is held once the document applied it exactly.
            if (r->snapshot) applied = doc->apply_restored(1, *r->snapshot);
            if (applied == Document::Restored::Exact && r->exact) sync.hold(1);
            doc->set_base(r->base);
        });
        sync.track(1, target);
    }
    void open(Document& d, const session::JournalTarget& target, const std::string& text) {
        queue_open(d, target, text);
        exec.run();
    }
    void save(const session::JournalTarget& target, bool on_disk) {
        sync.save(1, target, doc->snapshot(), on_disk, doc->take_base_reset());
        exec.run();
    }
};

/// Types `s` one keystroke at a time from (line, col), as an editor sends it.
void type(Document& d, int64_t& version, uint32_t line, uint32_t col, std::string_view s) {
    for (char c : s) {
        const TextRange at{{line, col}, {line, col}};
        REQUIRE(d.apply_change(++version, at, std::string(1, c)));
        if (c == '\n') {
            ++line;
            col = 0;
        } else {
            ++col;
        }
    }
}

std::vector<LineClass> lines(const Document& d) {
    std::vector<LineClass> out;
    for (const LineVerdict& v : d.classify())
        out.push_back(v.cls);
    return out;
}
std::vector<LineClass> lines(const Snapshot& s) {
    std::vector<LineClass> out;
    for (const LineVerdict& v : classify_lines(s))
        out.push_back(v.cls);
    return out;
}

} // namespace

TEST_CASE("a restart never takes the entry's lost typing for the saved typing it resembles") {
    // Found by the kill -9 test under load (tests/e2e/lsp/crash_test.cpp): a session restored
    // exactly from its entry wrote by merging that entry back by content. The merge aligned a
    // space typed and lost before the restart with the saved space next to it, and the later
    // observation won: the entry then said the saved space was typed after the save, so the
    // next restart refused the exact restore and the saved typing came back `unknown`.
    test::TempRepo repo;
    const std::string head = "// crash test file\n";
    repo.write("c.txt", head);
    repo.commit_all("initial");
    auto loc = find_repository(repo.path());
    REQUIRE(loc);
    const session::JournalTarget target{loc->gitdir, "c.txt", loc->workdir};
    const std::string saved = head + "ab cd\nef";

    { // Session 1 types two lines and saves them, types one more space, and is killed.
        Sidecar s;
        Document d(head, 1, PositionEncoding::Utf8);
        uint32_t now = kSaved;
        d.set_clock([&now] { return now; });
        s.open(d, target, head);
        int64_t v = 1;
        type(d, v, 1, 0, "ab cd\nef");
        s.save(target, /*on_disk=*/true);
        now = kSaved + 2;
        type(d, v, 1, 2, " "); // "ab  cd": never saved
        s.save(target, /*on_disk=*/false);
    }
    { // Session 2 reopens the saved file, types at the end, and is killed.
        Sidecar s;
        Document d(saved, 1, PositionEncoding::Utf8);
        d.set_clock([] { return kSaved + 100; });
        s.open(d, target, saved);
        CHECK(lines(d) ==
              std::vector<LineClass>{LineClass::Unknown, LineClass::Human, LineClass::Human});
        int64_t v = 1;
        type(d, v, 2, 2, "q"); // "efq": never saved
        s.save(target, /*on_disk=*/false);
        // The entry still says which typing the file holds: none of the saved characters is
        // later than the save.
        Journal journal(loc->gitdir);
        auto e = journal.load("c.txt");
        REQUIRE(e.ok());
        REQUIRE(*e);
        const std::vector<Attr> attrs = (**e).snapshot.expand();
        REQUIRE(attrs.size() == saved.size() + 1);
        for (size_t i = head.size(); i < saved.size(); ++i) {
            CAPTURE(i);
            CHECK(attrs[i].evidence == Evidence::Inferred);
            CHECK(attrs[i].seen == kSaved);
        }
    }
    { // Session 3 reopens the saved file: every typed line is a person's.
        Sidecar s;
        Document d(saved, 1, PositionEncoding::Utf8);
        s.open(d, target, saved);
        CHECK(lines(d) ==
              std::vector<LineClass>{LineClass::Unknown, LineClass::Human, LineClass::Human});
    }
}

TEST_CASE("a restore merged by content after too many edits does not hold the entry") {
    // The restore of an opened document arrives after more edits than the history keeps for
    // it (16k): Document::apply_restored falls back to a merge by content, and the document
    // lacks the evidence of the lines edited meanwhile. Its saves must still merge the entry.
    // Old code: the entry's stamp was recorded as held all the same, the next save wrote the
    // document over it, and the agent's line, edited meanwhile and put back by a deletion
    // (not typing), stayed `unknown` in the journal instead of the agent's.
    test::TempRepo repo;
    const std::string head = "x = 1\n";
    repo.write("a.py", head);
    repo.commit_all("initial");
    auto loc = find_repository(repo.path());
    REQUIRE(loc);
    const session::JournalTarget target{loc->gitdir, "a.py", loc->workdir};
    const std::string agent_line = "z = compute(x, y)"; // shorter than kMinCarrySpan
    const std::string opened = head + agent_line + "\n";
    const OriginRecord claude{OriginClass::Ai, "claude-code", "agent", "m", "s", ""};
    for (const int edits : {100, 17'000}) {
        CAPTURE(edits);
        { // The agent's write, as its hook stores it.
            Journal journal(loc->gitdir);
            JournalEntry e;
            e.path = "a.py";
            e.writer = "hook:claude-code";
            e.snapshot.text = opened;
            e.snapshot.push_run(static_cast<uint32_t>(head.size()), Attr{});
            const uint32_t id = e.snapshot.origins.intern(claude);
            e.snapshot.push_run(static_cast<uint32_t>(agent_line.size() + 1),
                                Attr{id, Evidence::Recorded, true, kSaved});
            REQUIRE(
                journal.update("a.py", [&](auto) { return std::optional<JournalEntry>(e); }).ok());
        }
        Sidecar s;
        Document d(opened, 1, PositionEncoding::Utf8);
        d.set_clock([] { return kSaved + 100; });
        d.expect_restore();
        s.queue_open(d, target, opened);
        // Before the restore arrives: the agent's line gets a "!", then the person types and
        // deletes a character on line 0, again and again.
        int64_t v = 1;
        const auto line1_end = static_cast<uint32_t>(agent_line.size());
        REQUIRE(d.apply_change(++v, TextRange{{1, line1_end}, {1, line1_end}}, "!"));
        for (int i = 1; i < edits; i += 2) {
            REQUIRE(d.apply_change(++v, TextRange{{0, 5}, {0, 5}}, "a"));
            REQUIRE(d.apply_change(++v, TextRange{{0, 5}, {0, 6}}, ""));
        }
        s.exec.run(); // the restore
        CHECK(s.applied ==
              (edits < 16'384 ? Document::Restored::Exact : Document::Restored::Merged));
        // The "!" deleted: the line is the agent's text again, and no one typed it.
        REQUIRE(d.apply_change(++v, TextRange{{1, line1_end}, {1, line1_end + 1}}, ""));
        REQUIRE(d.text() == opened);
        s.save(target, /*on_disk=*/true);
        CHECK(lines(d) == std::vector<LineClass>{LineClass::Unknown, LineClass::Ai});
        Journal journal(loc->gitdir);
        auto e = journal.load("a.py");
        REQUIRE(e.ok());
        REQUIRE(*e);
        CHECK(lines((**e).snapshot) == std::vector<LineClass>{LineClass::Unknown, LineClass::Ai});
    }
}
