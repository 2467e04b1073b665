// Journal storage in one process: round trips, validation, corruption handling, bounds,
// and the lock() transaction API.
#include "core/left_lines.h"
#include "journal/entry_format.h"
#include "journal/journal.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <filesystem>
#include <thread>

using namespace provenant;
namespace fs = std::filesystem;
using provenant::test::read_text;
using provenant::test::TempDir;
using provenant::test::write_text;

namespace {

OriginRecord ai_record(const std::string& session = "s1") {
    OriginRecord r;
    r.cls = OriginClass::Ai;
    r.tool = "claude-code";
    r.kind = "agent";
    r.model = "claude-sonnet-4";
    r.session = session;
    return r;
}

/// "human line\n" typed, then an AI line.
Snapshot sample_snapshot() {
    Snapshot s;
    s.text = "int a = 1;\nint b = 2;\n";
    uint32_t ai = s.origins.intern(ai_record());
    s.push_run(11, Attr{kHumanOrigin, Evidence::Inferred, true});
    s.push_run(11, Attr{ai, Evidence::Recorded, true});
    return s;
}

JournalEntry entry(const std::string& path, Snapshot s = sample_snapshot()) {
    JournalEntry e;
    e.path = path;
    e.snapshot = std::move(s);
    e.writer = "test";
    return e;
}

size_t files_in(const fs::path& dir) {
    if (!fs::exists(dir)) return 0;
    size_t n = 0;
    for ([[maybe_unused]] auto& f : fs::directory_iterator(dir))
        ++n;
    return n;
}

/// A fake git dir: the journal only needs a directory.
struct Fixture {
    TempDir tmp;
    fs::path gitdir = fs::path(tmp.path()) / ".git";
    Journal journal{gitdir};
    Status put(const JournalEntry& e) {
        auto r = journal.update(e.path, [&](auto) { return std::optional<JournalEntry>(e); });
        if (!r) return r.error();
        return {};
    }
};

} // namespace

TEST_CASE("journal: store, load, list, remove round trip") {
    Fixture f;
    auto none = f.journal.load("src/a.cpp");
    REQUIRE(none);
    CHECK_FALSE(none->has_value());
    auto listed = f.journal.list();
    REQUIRE(listed);
    CHECK(listed->empty());

    long long before = now_ms();
    REQUIRE(f.put(entry("src/a.cpp")));
    REQUIRE(
        f.put(entry("b.txt", Snapshot::uniform("plain\n", OriginRecord{}, Evidence::None, false))));
    auto got = f.journal.load("src/a.cpp");
    REQUIRE(got);
    REQUIRE(got->has_value());
    const JournalEntry& e = **got;
    CHECK(e.path == "src/a.cpp");
    CHECK(e.writer == "test");
    CHECK(e.updated_ms >= before);
    CHECK(e.snapshot.text == sample_snapshot().text);
    CHECK(e.snapshot.runs == sample_snapshot().runs);
    CHECK(e.snapshot.origins.records() == sample_snapshot().origins.records());
    CHECK(fs::exists(f.journal.entry_file("src/a.cpp")));
    CHECK(f.journal.dir() == f.gitdir / "provenant" / "journal");

    listed = f.journal.list();
    REQUIRE(listed);
    CHECK(*listed == std::vector<std::string>{"b.txt", "src/a.cpp"});

    REQUIRE(f.journal.remove("src/a.cpp"));
    REQUIRE(f.journal.remove("never-there"));
    CHECK_FALSE(f.journal.load("src/a.cpp")->has_value());
    CHECK(*f.journal.list() == std::vector<std::string>{"b.txt"});
}

TEST_CASE("journal: update passes the current entry and nullopt removes") {
    Fixture f;
    int calls = 0;
    auto append = [&](const std::string& piece) {
        return f.journal.update("f.txt", [&](std::optional<JournalEntry> cur) {
            ++calls;
            JournalEntry e = cur ? *cur : entry("f.txt", Snapshot{});
            e.snapshot.text += piece;
            e.snapshot.push_run(static_cast<uint32_t>(piece.size()),
                                Attr{kHumanOrigin, Evidence::Inferred, true});
            return std::optional<JournalEntry>(e);
        });
    };
    REQUIRE(append("one\n"));
    auto stored = append("two\n");
    REQUIRE(stored);
    REQUIRE(stored->has_value());
    CHECK((*stored)->snapshot.text == "one\ntwo\n");
    CHECK(calls == 2);
    // The updater cannot move an entry to another path.
    auto moved = f.journal.update("f.txt", [](std::optional<JournalEntry> cur) {
        if (cur) // it is: "f.txt" was stored above (the check keeps GCC 12 from a false warning)
            cur->path = "elsewhere.txt";
        return cur;
    });
    REQUIRE(moved);
    CHECK((*moved)->path == "f.txt");
    CHECK_FALSE(f.journal.load("elsewhere.txt")->has_value());

    auto removed = f.journal.update("f.txt", [](auto) { return std::optional<JournalEntry>{}; });
    REQUIRE(removed);
    CHECK_FALSE(removed->has_value());
    CHECK_FALSE(f.journal.load("f.txt")->has_value());

    // An exception in the updater is an error and stores nothing.
    REQUIRE(f.put(entry("g.txt")));
    auto thrown = f.journal.update(
        "g.txt", [](auto) -> std::optional<JournalEntry> { throw std::runtime_error("boom"); });
    REQUIRE_FALSE(thrown);
    CHECK(thrown.error().message.find("boom") != std::string::npos);
    CHECK(f.journal.load("g.txt")->value().snapshot.text == sample_snapshot().text);
}

TEST_CASE("journal: bad paths are refused everywhere") {
    Fixture f;
    for (std::string bad : {std::string("../escape"), std::string("/etc/passwd"),
                            std::string("a/../../b"), std::string("a\0b", 3), std::string()}) {
        CAPTURE(bad);
        CHECK_FALSE(f.journal.load(bad));
        CHECK_FALSE(
            f.journal.update(bad, [&](auto) { return std::optional<JournalEntry>(entry(bad)); }));
        CHECK_FALSE(f.journal.remove(bad));
        auto l = f.journal.lock();
        REQUIRE(l);
        CHECK_FALSE(l->store(entry(bad)));
    }
    CHECK(f.journal.list()->empty());
}

TEST_CASE("journal: a corrupt entry is moved aside, reported as absent, and never overwritten") {
    Fixture f;
    REQUIRE(f.put(entry("a.txt")));
    const fs::path file = f.journal.entry_file("a.txt");
    const fs::path corrupt = f.journal.dir() / "corrupt";

    SUBCASE("garbage bytes") {
        write_text(file.string(), "\x01\x02 not json {{{");
    }
    SUBCASE("truncated JSON") {
        std::string good = read_text(file.string());
        write_text(file.string(), good.substr(0, good.size() / 2));
    }
    SUBCASE("runs that do not cover the text") {
        auto j = nlohmann::json::parse(read_text(file.string()));
        j["snapshot"]["text"] = "short";
        write_text(file.string(), j.dump());
    }
    SUBCASE("a run naming a missing origin") {
        auto j = nlohmann::json::parse(read_text(file.string()));
        j["snapshot"]["runs"][0][1] = 99;
        write_text(file.string(), j.dump());
    }
    SUBCASE("wrong types") {
        auto j = nlohmann::json::parse(read_text(file.string()));
        j["updated_ms"] = "yesterday";
        write_text(file.string(), j.dump());
    }
    SUBCASE("a stored path that is not valid") {
        auto j = nlohmann::json::parse(read_text(file.string()));
        j["path"] = "../../etc/passwd";
        write_text(file.string(), j.dump());
    }
    SUBCASE("an empty file") {
        write_text(file.string(), "");
    }

    const std::string bad = read_text(file.string());
    auto got = f.journal.load("a.txt");
    REQUIRE(got);
    CHECK_FALSE(got->has_value());
    CHECK_FALSE(fs::exists(file));
    REQUIRE(files_in(corrupt) == 1);
    CHECK(read_text(fs::directory_iterator(corrupt)->path().string()) == bad);

    // A new entry can be written now; the corrupt bytes are kept aside.
    REQUIRE(f.put(entry("a.txt")));
    CHECK(f.journal.load("a.txt")->has_value());
    CHECK(files_in(corrupt) == 1);
}

TEST_CASE("journal: update and a transaction's store move a corrupt entry aside before writing") {
    Fixture f;
    REQUIRE(f.put(entry("a.txt")));
    write_text(f.journal.entry_file("a.txt").string(), "corrupt");
    bool saw_current = true;
    auto r = f.journal.update("a.txt", [&](std::optional<JournalEntry> cur) {
        saw_current = cur.has_value();
        return std::optional<JournalEntry>(entry("a.txt"));
    });
    REQUIRE(r);
    CHECK_FALSE(saw_current);
    CHECK(files_in(f.journal.dir() / "corrupt") == 1);

    write_text(f.journal.entry_file("a.txt").string(), "corrupt again");
    {
        auto l = f.journal.lock();
        REQUIRE(l);
        REQUIRE(l->store(entry("a.txt")));
    }
    CHECK(files_in(f.journal.dir() / "corrupt") == 2);
    CHECK(f.journal.load("a.txt")->has_value());
}

TEST_CASE("journal: list moves aside files that cannot name their path") {
    Fixture f;
    REQUIRE(f.put(entry("a.txt")));
    // Looks like an entry file but holds garbage; and a valid entry under the wrong name.
    write_text((f.journal.dir() / "0123456789abcdef.json").string(), "garbage");
    write_text((f.journal.dir() / "fedcba9876543210.json").string(),
               read_text(f.journal.entry_file("a.txt").string()));
    write_text((f.journal.dir() / "notes.txt").string(), "not ours: ignored");
    auto listed = f.journal.list();
    REQUIRE(listed);
    CHECK(*listed == std::vector<std::string>{"a.txt"});
    CHECK(files_in(f.journal.dir() / "corrupt") == 2);
    CHECK(fs::exists(f.journal.dir() / "notes.txt"));
}

TEST_CASE("journal: an entry of a newer format or another path is left alone") {
    Fixture f;
    REQUIRE(f.put(entry("a.txt")));
    const fs::path file = f.journal.entry_file("a.txt");
    auto j = nlohmann::json::parse(read_text(file.string()));

    SUBCASE("newer schema") {
        j["schema"] = "provenant-journal/2";
        write_text(file.string(), j.dump());
        // A reader goes on without it (issue 12 §3: it must not stop status or attach);
        // writers below still refuse to replace it.
        auto got = f.journal.load("a.txt");
        REQUIRE(got);
        CHECK_FALSE(got->has_value());
        auto listed = f.journal.list();
        REQUIRE(listed);
        CHECK(*listed == std::vector<std::string>{"a.txt"});
    }
    SUBCASE("hash collision (another path stored under this name)") {
        j["path"] = "other.txt";
        write_text(file.string(), j.dump());
        auto got = f.journal.load("a.txt");
        REQUIRE_FALSE(got);
        CHECK(got.error().message.find("collision") != std::string::npos);
    }
    const std::string kept = read_text(file.string());
    CHECK_FALSE(f.journal.update("a.txt", [](auto c) { return c; }));
    {
        auto l = f.journal.lock();
        REQUIRE(l);
        CHECK_FALSE(l->store(entry("a.txt")));
    }
    CHECK(read_text(file.string()) == kept);
    CHECK(files_in(f.journal.dir() / "corrupt") == 0);
}

TEST_CASE("journal: entries over kMaxEntryBytes are refused and the old entry stays") {
    Fixture f;
    REQUIRE(f.put(entry("big.txt")));
    std::string huge(Journal::kMaxEntryBytes + 1, 'x');
    auto r =
        f.put(entry("big.txt", Snapshot::uniform(huge, OriginRecord{}, Evidence::None, false)));
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("over the limit") != std::string::npos);
    CHECK(f.journal.load("big.txt")->value().snapshot.text == sample_snapshot().text);
    // An oversized file on disk (not written by us) is moved aside without being parsed.
    write_text(f.journal.entry_file("big.txt").string(), huge + huge);
    auto got = f.journal.load("big.txt");
    REQUIRE(got);
    CHECK_FALSE(got->has_value());
    CHECK(files_in(f.journal.dir() / "corrupt") == 1);
}

TEST_CASE("journal: text that is not UTF-8 is refused with an error") {
    Fixture f;
    auto r = f.put(
        entry("latin1.txt", Snapshot::uniform("caf\xe9\n", OriginRecord{}, Evidence::None, false)));
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("latin1.txt") != std::string::npos);
    CHECK_FALSE(f.journal.load("latin1.txt")->has_value());
}

TEST_CASE("journal: the entry cap refuses new paths but keeps updating existing ones") {
    TempDir tmp;
    Journal journal(fs::path(tmp.path()) / ".git", 3);
    auto put = [&](const std::string& p, const std::string& text) {
        return journal.update(p, [&](auto) {
            return std::optional<JournalEntry>(
                entry(p, Snapshot::uniform(text, OriginRecord{}, Evidence::None, false)));
        });
    };
    REQUIRE(put("1", "a"));
    REQUIRE(put("2", "a"));
    REQUIRE(put("3", "a"));
    auto over = put("4", "a");
    REQUIRE_FALSE(over);
    CHECK(over.error().message.find("limit") != std::string::npos);
    CHECK(put("3", "b"));
    REQUIRE(journal.remove("1"));
    CHECK(put("4", "a"));
    CHECK(journal.list()->size() == 3);
}

TEST_CASE("journal: temp files left by a dead writer are cleaned when an entry is added") {
    Fixture f;
    REQUIRE(f.put(entry("a.txt")));
    fs::path stale = f.journal.entry_file("a.txt");
    stale += ".tmp.99999.deadbeef";
    write_text(stale.string(), "{\"half");
    CHECK(*f.journal.list() == std::vector<std::string>{"a.txt"});
    REQUIRE(f.put(entry("b.txt")));
    CHECK_FALSE(fs::exists(stale));
}

TEST_CASE("journal: lock() returns a transaction whose load, store, remove and list are one step") {
    Fixture f;
    REQUIRE(f.put(entry("keep.txt")));
    {
        auto l = f.journal.lock();
        REQUIRE(l);
        auto a = l->load("keep.txt");
        REQUIRE(a);
        REQUIRE(a->has_value());
        JournalEntry moved = **a;
        moved.path = "renamed.txt";
        moved.writer = "attach";
        REQUIRE(l->store(moved));
        REQUIRE(l->remove("keep.txt"));
        auto listed = l->list();
        REQUIRE(listed);
        CHECK(*listed == std::vector<std::string>{"renamed.txt"});
        // A corrupt entry met inside a transaction is moved aside without deadlocking.
        write_text(f.journal.entry_file("bad.txt").string(), "nope");
        auto bad = l->load("bad.txt");
        REQUIRE(bad);
        CHECK_FALSE(bad->has_value());
        write_text((f.journal.dir() / "0000000000000000.json").string(), "nope");
        CHECK(l->list()->size() == 1);
    }
    auto got = f.journal.load("renamed.txt");
    REQUIRE(got);
    REQUIRE(got->has_value());
    CHECK((*got)->writer == "attach");
    CHECK(files_in(f.journal.dir() / "corrupt") == 2);
}

TEST_CASE("journal entry format: schema, field order, strict parsing") {
    JournalEntry e = entry("dir/f.cpp");
    e.updated_ms = 1234;
    auto text = journal_entry_to_text(e);
    REQUIRE(text);
    auto j = nlohmann::json::parse(*text);
    CHECK(j["schema"] == "provenant-journal/1");
    CHECK(j["path"] == "dir/f.cpp");
    CHECK(j["updated_ms"] == 1234);
    CHECK(j["writer"] == "test");
    CHECK(j["snapshot"] == snapshot_to_json(e.snapshot));
    CHECK(text->rfind("{\"path\":", 0) == 0);
    CHECK(entry_path_from_prefix(*text) == std::optional<std::string>("dir/f.cpp"));
    CHECK(entry_path_from_prefix(text->substr(0, 14)) == std::nullopt);
    CHECK(entry_path_from_prefix(
              "{\"schema\":\"x\",\"nested\":{\"path\":\"no\"},\"path\":\"yes\"}") ==
          std::optional<std::string>("yes"));
    CHECK(entry_path_from_prefix("{\"path\":7}") == std::nullopt);
    CHECK(entry_path_from_prefix("[\"path\"]") == std::nullopt);
    CHECK(entry_path_from_prefix("") == std::nullopt);
    auto back = journal_entry_from_text(*text);
    REQUIRE(back);
    CHECK(back->snapshot.runs == e.snapshot.runs);
    CHECK_FALSE(journal_entry_from_text("{}"));
    CHECK_FALSE(journal_entry_from_text("null"));
    CHECK(parse_entry("{\"schema\":\"provenant-journal/9\"}").kind == ParsedEntry::Unsupported);
    CHECK(parse_entry("{\"schema\":\"something-else/1\"}").kind == ParsedEntry::Corrupt);
}

TEST_CASE("journal: `saved` round-trips, is validated, and survives writers that do not know it") {
    Fixture f;
    JournalEntry e = entry("s.py");
    e.saved = SavedTyping{1'800'000'000, 12};
    REQUIRE(f.put(e));
    auto loaded = f.journal.load("s.py");
    REQUIRE(loaded);
    REQUIRE(*loaded);
    REQUIRE((**loaded).saved.has_value());
    CHECK(*(**loaded).saved == SavedTyping{1'800'000'000, 12});
    // A hook or attach rewrites the entry without knowing the last save: it is kept.
    REQUIRE(f.put(entry("s.py")));
    loaded = f.journal.load("s.py");
    REQUIRE(loaded);
    REQUIRE(*loaded);
    CHECK((**loaded).saved == std::optional<SavedTyping>(SavedTyping{1'800'000'000, 12}));
    // A later save replaces it, also with an older second (the newer typing was deleted).
    e.saved = SavedTyping{1'700'000'000, 3};
    REQUIRE(f.put(e));
    loaded = f.journal.load("s.py");
    REQUIRE(loaded);
    REQUIRE(*loaded);
    CHECK((**loaded).saved == std::optional<SavedTyping>(SavedTyping{1'700'000'000, 3}));
    {
        auto l = f.journal.lock();
        REQUIRE(l);
        REQUIRE(l->store(entry("s.py")));
        auto again = l->load("s.py");
        REQUIRE(again);
        REQUIRE(*again);
        CHECK((**again).saved == std::optional<SavedTyping>(SavedTyping{1'700'000'000, 3}));
    }
    // Entries without it read as not known; a malformed one is a corrupt entry.
    auto text = journal_entry_to_text(entry("s.py"));
    REQUIRE(text);
    CHECK(text->find("\"saved\"") == std::string::npos);
    auto j = nlohmann::json::parse(*text);
    for (const nlohmann::json& bad :
         {nlohmann::json(5), nlohmann::json::array({1}), nlohmann::json::array({-1, 2}),
          nlohmann::json::array({1, "x"}), nlohmann::json::array({uint64_t{1} << 40, 1})}) {
        j["saved"] = bad;
        CAPTURE(bad.dump());
        CHECK(parse_entry(j.dump()).kind == ParsedEntry::Corrupt);
    }
}

TEST_CASE("journal: `left` round-trips, is bounded and validated, and survives other writers") {
    Fixture f;
    JournalEntry e = entry("l.py");
    Snapshot block = Snapshot::uniform("total = compute_total(order)\n", OriginRecord{},
                                       Evidence::Recorded, true);
    e.left = std::vector<Snapshot>{block};
    REQUIRE(f.put(e));
    auto loaded = f.journal.load("l.py");
    REQUIRE(loaded);
    REQUIRE(*loaded);
    REQUIRE((**loaded).left.has_value());
    REQUIRE((**loaded).left->size() == 1);
    CHECK((**loaded).left->front().text == block.text);
    CHECK((**loaded).left->front().runs == block.runs);
    // A writer that does not know it (a hook, attach) keeps it; an empty list clears it.
    REQUIRE(f.put(entry("l.py")));
    loaded = f.journal.load("l.py");
    REQUIRE((loaded && *loaded && (**loaded).left && (**loaded).left->size() == 1));
    e.left = std::vector<Snapshot>{};
    REQUIRE(f.put(e));
    loaded = f.journal.load("l.py");
    REQUIRE((loaded && *loaded));
    CHECK((!(**loaded).left || (**loaded).left->empty()));
    // Entries without it (written before it existed) read as none; malformed or oversized
    // ones are corrupt entries.
    auto text = journal_entry_to_text(entry("l.py"));
    REQUIRE(text);
    CHECK(text->find("\"left\"") == std::string::npos);
    CHECK(parse_entry(*text).kind == ParsedEntry::Ok);
    auto j = nlohmann::json::parse(*text);
    const nlohmann::json good = snapshot_to_json(block);
    nlohmann::json too_many = nlohmann::json::array();
    for (size_t i = 0; i <= kLeftMaxBlocks; ++i)
        too_many.push_back(good);
    const nlohmann::json too_big = snapshot_to_json(Snapshot::uniform(
        std::string(kLeftMaxBytes + 1, 'x'), OriginRecord{}, Evidence::Recorded, true));
    const nlohmann::json empty =
        snapshot_to_json(Snapshot::uniform("", OriginRecord{}, Evidence::Recorded, true));
    for (const nlohmann::json& bad :
         {nlohmann::json(5), nlohmann::json::object(), nlohmann::json::array({5}), too_many,
          nlohmann::json::array({too_big}), nlohmann::json::array({empty}),
          nlohmann::json::array({{{"text", "ab"}, {"runs", {{3, 0, 0, 0}}}, {"origins", {}}}})}) {
        j["left"] = bad;
        CAPTURE(bad.dump().substr(0, 200));
        CHECK(parse_entry(j.dump()).kind == ParsedEntry::Corrupt);
    }
}

TEST_CASE("journal: inside a transaction the journal's own operations fail at once, never wait") {
    Fixture f;
    REQUIRE(f.put(entry("a.txt")));
    // A corrupt file: loading it must move it aside, which needs the lock this thread holds.
    write_text(f.journal.entry_file("bad.txt").string(), "nope");
    Journal same_dir(f.gitdir); // another object on the same journal is the same lock
    {
        auto l = f.journal.lock();
        REQUIRE(l);
        for (const Journal* j : {&f.journal, &same_dir}) {
            auto loaded = j->load("bad.txt");
            REQUIRE_FALSE(loaded);
            CHECK(loaded.error().message.find("holds a transaction") != std::string::npos);
            CHECK_FALSE(j->load("a.txt"));
            CHECK_FALSE(j->list());
            CHECK_FALSE(j->lock());
        }
        CHECK_FALSE(f.journal.update("a.txt", [](auto c) { return c; }));
        CHECK_FALSE(f.journal.remove("a.txt"));
        CHECK_FALSE(f.journal.rename("a.txt", "b.txt"));
        // The transaction itself still works, and nothing above changed the journal.
        auto a = l->load("a.txt");
        REQUIRE(a);
        CHECK(a->has_value());
        CHECK(fs::exists(f.journal.entry_file("bad.txt")));
        CHECK(l->list()->size() == 1);
    }
    // Once it ends, the plain operations work again (and the corrupt file goes aside).
    auto bad = f.journal.load("bad.txt");
    REQUIRE(bad);
    CHECK_FALSE(bad->has_value());
    CHECK(files_in(f.journal.dir() / "corrupt") == 1);
    CHECK(f.journal.lock());
}

TEST_CASE("journal: a moved transaction keeps the lock until its last owner ends") {
    Fixture f;
    std::optional<JournalTransaction> kept;
    {
        auto l = f.journal.lock();
        REQUIRE(l);
        JournalTransaction moved = std::move(l).value();
        kept.emplace(std::move(moved));
    } // the moved-from objects end here: they must not release the lock
    CHECK_FALSE(f.journal.lock());
    REQUIRE(kept->store(entry("a.txt")));
    kept.reset();
    auto l = f.journal.lock();
    REQUIRE(l);
    CHECK(*l->list() == std::vector<std::string>{"a.txt"});
}

TEST_CASE("journal: another thread's operation waits for the transaction, it is not refused") {
    Fixture f;
    auto l = f.journal.lock();
    REQUIRE(l);
    std::optional<JournalTransaction> held(std::move(l).value());
    // The other thread appends "C" once it has the lock. Were it refused, the entry would stay
    // "P"; were it not made to wait, the store below would have replaced its "C" by "P".
    bool other_ok = false;
    std::thread other([&] {
        auto r = f.journal.update("f.txt", [](std::optional<JournalEntry> cur) {
            JournalEntry e = cur.value_or(JournalEntry{});
            e.snapshot.text += "C";
            e.snapshot.push_run(1, Attr{kHumanOrigin, Evidence::Inferred, true});
            return std::optional<JournalEntry>(std::move(e));
        });
        other_ok = r.ok();
    });
    JournalEntry e = entry("f.txt", Snapshot::uniform("P", OriginRecord{}, Evidence::None, false));
    REQUIRE(held->store(e));
    CHECK(held->load("f.txt")->value().snapshot.text == "P");
    held.reset();
    other.join();
    CHECK(other_ok);
    CHECK(f.journal.load("f.txt")->value().snapshot.text == "PC");
}
