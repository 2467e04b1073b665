// Unit tests: session::Session with no JSON-RPC, on one thread. A fake runtime queues the
// documents thread's and the journal thread's tasks and holds the timers, so each test decides
// when the journal runs and when a timer fires: open, edit, save, the flush timer, a restore
// that arrives after the edits, a poll, a rename. Real git repositories and journals.
#include "core/document.h"
#include "journal/journal.h"
#include "session/session.h"
#include "session/uri.h"
#include "support/temp_repo.h"

#include <array>
#include <ctime>
#include <deque>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sys/stat.h>

using namespace provenant;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const OriginRecord kClaude{OriginClass::Ai, "claude-code", "agent", "claude-sonnet-4-5", "s", ""};

/// Both threads are queues the test runs; timers fire when the test says.
class FakeRuntime : public session::Runtime {
public:
    class FakeTimer : public session::Timer {
    public:
        explicit FakeTimer(FakeRuntime& runtime) : runtime_(runtime) {}
        ~FakeTimer() override { std::erase(runtime_.timers_, this); }
        FakeTimer(const FakeTimer&) = delete;
        FakeTimer& operator=(const FakeTimer&) = delete;
        void start(std::chrono::milliseconds delay, std::function<void()> fn) override {
            delay_ = delay;
            pending_ = std::move(fn);
        }
        void cancel() override { pending_.reset(); }

    private:
        friend class FakeRuntime;
        FakeRuntime& runtime_;
        std::chrono::milliseconds delay_{0};
        std::optional<std::function<void()>> pending_;
    };

    void post(std::function<void()> fn) override { documents_.push_back(std::move(fn)); }
    void post_journal(std::function<void()> fn) override {
        if (!journal_stopped_) journal_.push_back(std::move(fn));
    }
    void stop_journal() override {
        run(journal_);
        journal_stopped_ = true;
    }
    std::unique_ptr<session::Timer> make_timer() override {
        auto t = std::make_unique<FakeTimer>(*this);
        timers_.push_back(t.get());
        return t;
    }

    size_t journal_tasks() const { return journal_.size(); }
    /// Runs only the journal thread's queue (what it answers waits on the documents thread).
    void run_journal() { run(journal_); }
    /// Runs only the documents thread's queue.
    void run_documents() { run(documents_); }
    /// Runs the journal thread's queue, then the documents thread's, until both are empty.
    void run() {
        while (!journal_.empty() || !documents_.empty()) {
            run(journal_);
            run(documents_);
        }
    }
    /// Whether a timer waits `delay` (the flush delay or the poll interval).
    bool armed(std::chrono::milliseconds delay) const {
        for (const FakeTimer* t : timers_)
            if (t->pending_ && t->delay_ == delay) return true;
        return false;
    }
    /// Fires the timer waiting `delay`, as its expiry would on the documents thread.
    void fire(std::chrono::milliseconds delay) {
        for (FakeTimer* t : timers_)
            if (t->pending_ && t->delay_ == delay) {
                auto fn = std::move(*t->pending_);
                t->pending_.reset();
                fn();
                return;
            }
        FAIL("no timer waits " << delay.count() << " ms");
    }

private:
    static void run(std::deque<std::function<void()>>& q) {
        while (!q.empty()) {
            auto fn = std::move(q.front());
            q.pop_front();
            fn();
        }
    }
    std::deque<std::function<void()>> documents_, journal_;
    std::vector<FakeTimer*> timers_;
    bool journal_stopped_ = false;
};

constexpr auto kFlush = 400ms;
constexpr auto kPoll = 1000ms;

session::Options options() {
    session::Options o;
    o.flush_delay = kFlush;
    o.poll_interval = kPoll;
    return o;
}

/// A repository with `a.py` committed as "x = 1\n".
struct Fixture {
    test::TempRepo repo;
    std::string uri;
    std::optional<Journal> journal;
    FakeRuntime runtime;
    Fixture() {
        repo.write("a.py", "x = 1\n");
        repo.commit_all("initial");
        uri = session::path_to_file_uri(repo.file("a.py"));
        auto loc = find_repository(repo.path());
        REQUIRE(loc);
        journal.emplace(loc->gitdir);
    }
    std::optional<JournalEntry> entry(const std::string& rel) {
        auto e = journal->load(rel);
        REQUIRE(e.ok());
        return *e;
    }
};

/// The answer to provenance(), if it came.
struct Answer {
    std::optional<Result<session::DocumentProvenance>> result;
    std::function<void(Result<session::DocumentProvenance>)> callback() {
        return [this](Result<session::DocumentProvenance> r) { result.emplace(std::move(r)); };
    }
    const std::vector<std::string>& lines() const {
        REQUIRE(result);
        REQUIRE(result->ok());
        return (*result)->attribution.lines();
    }
};

session::TextChange insert(uint32_t line, uint32_t character, std::string_view text) {
    return session::TextChange{TextRange{{line, character}, {line, character}}, text,
                               EditReason::None};
}

using Lines = std::vector<std::string>;

} // namespace

TEST_CASE("open does not wait for the journal: edits before the restore keep what they saw") {
    Fixture f;
    // An agent wrote line 2 (its hook's journal entry); the file holds it.
    const std::string text = "x = 1\ny = compute(x)\n";
    f.repo.write("a.py", text);
    auto stored = f.journal->update("a.py", [&](std::optional<JournalEntry>) {
        JournalEntry e;
        e.path = "a.py";
        e.writer = "hook:claude-code";
        e.snapshot.text = text;
        const uint32_t ai = e.snapshot.origins.intern(kClaude);
        e.snapshot.push_run(6, Attr{kUnknownOrigin, Evidence::None, false});
        e.snapshot.push_run(static_cast<uint32_t>(text.size() - 6),
                            Attr{ai, Evidence::Recorded, true, 1'800'000'000});
        return std::optional<JournalEntry>(std::move(e));
    });
    REQUIRE(stored.ok());

    session::Session s(f.runtime, options());
    s.open(f.uri, 1, text);
    // Open at once, with nothing run on the journal thread: the restore is still queued.
    REQUIRE(s.document(f.uri));
    CHECK(f.runtime.journal_tasks() > 0);
    Answer before;
    s.provenance(f.uri, before.callback());
    CHECK(!before.result); // waits for the restore: it would report the entry's lines wrong
    s.change(f.uri, 2, {insert(2, 0, "z")});
    CHECK(s.document(f.uri)->text() == text + "z");

    f.runtime.run(); // the restore arrives after the keystroke
    CHECK(before.lines() == Lines{"unknown", "ai", "human"});
    REQUIRE((*before.result)->attribution.origins().size() == 1);
    CHECK((*before.result)->attribution.origins()[0].tool == "claude-code");
    CHECK((*before.result)->attribution.line_origins() ==
          std::vector<std::optional<uint32_t>>{std::nullopt, 0, std::nullopt});
    CHECK((*before.result)->version == 2);
}

TEST_CASE("unsaved edits reach the journal when the flush timer fires; a save at once") {
    Fixture f;
    session::Session s(f.runtime, options());
    s.open(f.uri, 1, "x = 1\n");
    f.runtime.run();
    CHECK(!f.runtime.armed(kFlush));
    s.change(f.uri, 2, {insert(1, 0, "y = 2\n")});
    CHECK(f.runtime.armed(kFlush));
    f.runtime.run();
    CHECK(!f.entry("a.py")); // nothing written before the delay

    f.runtime.fire(kFlush);
    f.runtime.run();
    auto e = f.entry("a.py");
    REQUIRE(e);
    CHECK(e->snapshot.text == "x = 1\ny = 2\n");
    CHECK(!e->saved); // the file does not hold it

    s.change(f.uri, 3, {insert(2, 0, "z = 3\n")});
    s.save(f.uri, std::nullopt); // no timer needed
    f.runtime.run();
    e = f.entry("a.py");
    REQUIRE(e);
    CHECK(e->snapshot.text == "x = 1\ny = 2\nz = 3\n");
    CHECK(e->saved);
}

TEST_CASE("a save while the restore is on its way is written once it arrives") {
    Fixture f;
    session::Session s(f.runtime, options());
    s.open(f.uri, 1, "x = 1\n");
    s.change(f.uri, 2, {insert(1, 0, "y")});
    s.save(f.uri, std::nullopt);
    // A write now would lack the restored attribution: it waits for the restore.
    bool synced = false;
    s.sync([&] { synced = true; });
    CHECK(!synced);
    f.runtime.run();
    CHECK(synced); // after the write the restore released
    auto e = f.entry("a.py");
    REQUIRE(e);
    CHECK(e->snapshot.text == "x = 1\ny");
    CHECK(e->saved);
}

TEST_CASE("the poll brings an agent's journal record into the open document") {
    Fixture f;
    session::Session s(f.runtime, options());
    s.open(f.uri, 1, "x = 1\n");
    s.change(f.uri, 2, {insert(1, 0, "y\n")});
    s.save(f.uri, std::nullopt);
    f.runtime.run();

    // An agent appends a line (its hook writes the journal); the editor reloads the file.
    const std::string with_agent = "x = 1\ny\nz = compute(x)\n";
    auto stored = f.journal->update("a.py", [&](std::optional<JournalEntry> cur) {
        REQUIRE(cur);
        JournalEntry e = *cur;
        const uint32_t ai = e.snapshot.origins.intern(kClaude);
        e.snapshot.push_run(static_cast<uint32_t>(with_agent.size() - e.snapshot.text.size()),
                            Attr{ai, Evidence::Recorded, true, 1'800'000'000});
        e.snapshot.text = with_agent;
        e.writer = "hook:claude-code";
        return std::optional<JournalEntry>(std::move(e));
    });
    REQUIRE(stored.ok());
    s.change(f.uri, 3, {session::TextChange{std::nullopt, with_agent, EditReason::None}});

    REQUIRE(f.runtime.armed(kPoll));
    f.runtime.fire(kPoll);
    f.runtime.run();
    Answer a;
    s.provenance(f.uri, a.callback());
    CHECK(a.lines() == Lines{"unknown", "human", "ai"});
    CHECK(f.runtime.armed(kPoll)); // polls again

    // After finish() the poll stops: nothing re-arms it.
    s.finish();
    CHECK(!f.runtime.armed(kPoll));
    CHECK(!f.runtime.armed(kFlush));
}

TEST_CASE("a rename moves the pending provenance, and the open document follows it") {
    Fixture f;
    session::Session s(f.runtime, options());
    s.open(f.uri, 1, "x = 1\n");
    s.change(f.uri, 2, {insert(1, 0, "y = 2\n")});
    s.save(f.uri, std::nullopt);
    f.runtime.run();
    REQUIRE(f.entry("a.py"));

    fs::rename(f.repo.file("a.py"), f.repo.file("b.py"));
    const std::string renamed = session::path_to_file_uri(f.repo.file("b.py"));
    s.rename(f.uri, renamed);
    f.runtime.run();
    CHECK(!s.document(f.uri));
    REQUIRE(s.document(renamed));
    CHECK(!f.entry("a.py"));
    auto e = f.entry("b.py");
    REQUIRE(e);
    CHECK(e->snapshot.text == "x = 1\ny = 2\n");

    // Later edits go to the new name's entry.
    s.change(renamed, 3, {insert(2, 0, "z")});
    s.save(renamed, std::nullopt);
    f.runtime.run();
    CHECK(f.entry("b.py")->snapshot.text == "x = 1\ny = 2\nz");
    CHECK(!f.entry("a.py"));
}

TEST_CASE("provenance of a document that is not open is not_found") {
    Fixture f;
    session::Session s(f.runtime, options());
    Answer a;
    s.provenance(f.uri, a.callback());
    REQUIRE(a.result);
    REQUIRE(!a.result->ok());
    CHECK(a.result->error().kind == ErrorKind::not_found);
}

namespace {

constexpr auto kGrace = 300ms;

/// Writes `text` to `file` with an exact mtime of now (not the kernel's coarse tick, which
/// may fall before the session's last note of the disk), as another writer would.
void write_now(const fs::path& file, const std::string& text) {
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out << text;
    }
    timespec now{};
    REQUIRE(clock_gettime(CLOCK_REALTIME, &now) == 0);
    const std::array<timespec, 2> times{now, now};
    REQUIRE(utimensat(AT_FDCWD, file.c_str(), times.data(), 0) == 0);
}

} // namespace

TEST_CASE("a reload found on disk takes its own edits only: typing before and after stays human") {
    // Issue 9: the person types and saves, another writer (a script, `git checkout`) changes
    // the file in the same second, the editor reloads it a hunk at a time (a keystroke's size),
    // and the person may type on at once. The reload is the edits after the write up to the one
    // that made the buffer the file's. Old code: every typing seen in the write's second was
    // taken (the person's saved line `unknown`), and typing during the grace period cancelled
    // the reload (its hunk stayed `human`).
    Fixture f;
    session::Options o = options();
    o.reload_grace = kGrace;
    session::Session s(f.runtime, o);
    s.open(f.uri, 1, "x = 1\n");
    f.runtime.run();
    s.change(f.uri, 2, {insert(1, 0, "y = 2\n")}); // the person types a line
    f.repo.write("a.py", "x = 1\ny = 2\n");
    s.save(f.uri, std::nullopt);
    f.runtime.run();
    write_now(f.repo.file("a.py"), "x = 1\nz = 3\ny = 2\n"); // another writer
    s.change(f.uri, 3, {insert(1, 0, "z = 3\n")});           // the editor's reload
    f.runtime.run(); // the look at the file: it holds the text; the grace period begins
    REQUIRE(f.runtime.armed(kGrace));
    Lines expected{"unknown", "unknown", "human"};
    SUBCASE("nothing typed after it") {}
    SUBCASE("typing during the grace period") {
        s.change(f.uri, 4, {insert(3, 0, "w = 4\n")});
        expected.push_back("human");
    }
    f.runtime.fire(kGrace);
    f.runtime.run();
    Answer a;
    s.provenance(f.uri, a.callback());
    f.runtime.run();
    const auto joined = [](const Lines& l) {
        std::string out;
        for (const std::string& c : l)
            out += c + " ";
        return out;
    };
    CHECK(joined(a.lines()) == joined(expected));
    s.save(f.uri, std::nullopt);
    f.runtime.run();
    auto e = f.entry("a.py"); // the journal agrees: the reload's line is no one's typing
    REQUIRE(e);
    Document written(e->snapshot, 1, PositionEncoding::Utf8);
    std::vector<std::string> classes;
    for (const LineVerdict& v : written.classify())
        classes.push_back(std::string(to_string(v.cls)));
    CHECK(joined(classes) == joined(expected));
}

TEST_CASE("a look at the file that typing overtook still finds the reload") {
    // Issue 9: the editor reloads a file another writer changed (one hunk, a keystroke's size)
    // and the person types on at once, before the journal thread's look at the file answers
    // (a stat, then the text). Old code: the look was void once the document moved on, and a
    // new look at the text with the typing never matched the file, so the reload's hunk stayed
    // the person's typing (`human`: text the person did not write credited to them).
    Fixture f;
    session::Options o = options();
    o.reload_grace = kGrace;
    session::Session s(f.runtime, o);
    s.open(f.uri, 1, "x = 1\n");
    f.runtime.run();
    write_now(f.repo.file("a.py"), "x = 1\nz = 3\n"); // another writer
    s.change(f.uri, 2, {insert(1, 0, "z = 3\n")});    // the editor's reload
    SUBCASE("typing before the stat's answer") {
        f.runtime.run_journal(); // the stat: its answer waits on the documents thread
        s.change(f.uri, 3, {insert(2, 0, "w = 4\n")});
    }
    SUBCASE("typing before the text's answer") {
        f.runtime.run_journal();
        f.runtime.run_documents(); // the stat's answer: the text look is asked for
        REQUIRE(f.runtime.journal_tasks() == 1);
        s.change(f.uri, 3, {insert(2, 0, "w = 4\n")});
    }
    SUBCASE("two keystrokes, each before an answer") {
        f.runtime.run_journal();
        s.change(f.uri, 3, {insert(2, 0, "w = ")});
        f.runtime.run_documents();
        f.runtime.run_journal();
        s.change(f.uri, 4, {insert(2, 4, "4\n")});
    }
    f.runtime.run();
    REQUIRE(f.runtime.armed(kGrace)); // found at version 2, though the document moved on
    f.runtime.fire(kGrace);
    f.runtime.run();
    Answer a;
    s.provenance(f.uri, a.callback());
    f.runtime.run();
    CHECK(a.lines() == Lines{"unknown", "unknown", "human"});
    s.save(f.uri, std::nullopt);
    f.runtime.run();
    auto e = f.entry("a.py"); // the journal agrees
    REQUIRE(e);
    CHECK(e->snapshot.text == "x = 1\nz = 3\nw = 4\n");
    Document written(e->snapshot, 1, PositionEncoding::Utf8);
    Lines classes;
    for (const LineVerdict& v : written.classify())
        classes.push_back(std::string(to_string(v.cls)));
    CHECK(classes == Lines{"unknown", "unknown", "human"});
}

TEST_CASE("a look that typing overtook finds no reload where the file does not hold that text") {
    // The other side of the same rule: the look is about the version it was asked for, so a
    // file that does not hold that version's text is no reload, whatever came after.
    Fixture f;
    session::Options o = options();
    o.reload_grace = kGrace;
    session::Session s(f.runtime, o);
    s.open(f.uri, 1, "x = 1\n");
    f.runtime.run();
    write_now(f.repo.file("a.py"), "x = 1\nz = 9\n"); // of the same size, another text
    s.change(f.uri, 2, {insert(1, 0, "z = 3\n")});    // typed
    f.runtime.run_journal();
    s.change(f.uri, 3, {insert(2, 0, "w")});
    f.runtime.run();
    CHECK(!f.runtime.armed(kGrace));
    Answer a;
    s.provenance(f.uri, a.callback());
    f.runtime.run();
    CHECK(a.lines() == Lines{"unknown", "human", "human"});
}
