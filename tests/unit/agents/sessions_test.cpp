// Unit tests: the session store (usage, generated lines, settle, the funnel, bad files).
#include "journal/sessions.h"
#include "support/process.h"

#include <doctest/doctest.h>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

using namespace provenant;

TEST_CASE("session store: unsettled deltas, settle moves baselines by exactly the delta") {
    test::TempDir dir;
    SessionStore store(dir.path());
    SessionKey key{"claude-code", "s1"};
    TokenUsage u;
    u.input = 100;
    u.output = 10;
    auto r = store.update(key, [&](SessionRecord& rec) {
        rec.kind = "agent";
        rec.note_model("m");
        rec.tokens["m"] += u;
        rec.add_generated("a.py", 5);
    });
    REQUIRE(r);
    auto d = store.unsettled();
    REQUIRE(d);
    REQUIRE(d->size() == 1);
    CHECK((*d)[0].key == key);
    CHECK((*d)[0].generated == 5);
    CHECK((*d)[0].tokens.at("m").input == 100);

    // More usage arrives between reading and settling: it stays unsettled.
    REQUIRE(store.update(key, [&](SessionRecord& rec) {
        rec.tokens["m"] += u;
        rec.add_generated("b.py", 2);
    }));
    REQUIRE(store.settle({{(*d)[0], 3}}));
    auto d2 = store.unsettled();
    REQUIRE(d2);
    REQUIRE(d2->size() == 1);
    CHECK((*d2)[0].generated == 2);
    CHECK((*d2)[0].tokens.at("m").input == 100);
    CHECK((*d2)[0].pending_before == 3);

    Funnel f = funnel((*d2)[0], 1, 2);
    CHECK(f.generated == 2);
    CHECK(f.committed == 1);
    CHECK(f.pending == 2);
    CHECK(f.discarded == 2); // 3 pending + 2 generated - 1 committed - 2 pending
}

TEST_CASE("session store: a corrupt record is skipped, never overwritten in place") {
    test::TempDir dir;
    SessionStore store(dir.path());
    SessionKey key{"codex", "s"};
    test::write_text(store.file_of(key).string(), "{not json");
    auto list = store.list();
    REQUIRE(list);
    CHECK(list->empty());
    REQUIRE(store.update(key, [](SessionRecord& rec) { rec.add_generated("x", 1); }));
    CHECK(std::filesystem::exists(store.dir() / "corrupt" / store.file_of(key).filename()));
    auto rec = store.load(key);
    REQUIRE(rec);
    REQUIRE(*rec);
    CHECK((*rec)->generated == 1);
}

TEST_CASE("session record JSON round-trips and rejects bad fields") {
    SessionRecord r;
    r.key = {"gemini", "g"};
    r.tokens["x"].output = 7;
    r.note_tool_model("t1", "x");
    r.unresolved.emplace_back("t2", "a.py");
    r.transcript.path = "/t";
    r.transcript.offset = 9;
    auto back = session_from_json(session_to_json(r));
    REQUIRE(back);
    CHECK(back->tokens.at("x").output == 7);
    CHECK(back->model_of_tool("t1") == "x");
    CHECK(back->unresolved.size() == 1);
    CHECK(back->transcript.offset == 9);
    auto j = session_to_json(r);
    j["tokens"] = 5;
    CHECK_FALSE(session_from_json(j));
    j = session_to_json(r);
    j["schema"] = "other";
    CHECK_FALSE(session_from_json(j));
}

TEST_CASE("session record: a float, a negative or a string where a count belongs is an error") {
    // get<uint64_t> of 3.3e57 is undefined behaviour (a fuzz_journal_entry finding of the same
    // class in the snapshot runs): every number of a record is checked before it is read.
    SessionRecord r;
    r.key = {"claude-code", "s1"};
    r.transcript.path = "/t";
    r.transcript.offset = 9;
    r.generated_by_file["a.py"] = 3;
    const auto good = session_to_json(r);
    REQUIRE(session_from_json(good));
    const nlohmann::json bad_values[] = {3.3e57, -1, "6", 1.5};
    for (const char* field :
         {"generated", "generated_settled", "pending_settled", "first_seen_ms", "last_seen_ms"}) {
        for (const auto& bad : bad_values) {
            if (bad == -1 && std::string(field).ends_with("_ms")) continue; // signed times
            auto j = good;
            j[field] = bad;
            CAPTURE(field);
            CAPTURE(bad.dump());
            auto back = session_from_json(j);
            REQUIRE_FALSE(back);
            CHECK(back.error().message.find(field) != std::string::npos);
        }
    }
    auto j = good;
    j["transcript"]["offset"] = 3.3e57;
    CHECK_FALSE(session_from_json(j));
    j = good;
    j["generated_by_file"]["a.py"] = 3.3e57;
    CHECK_FALSE(session_from_json(j));
    j = good;
    j["last_seen_ms"] = 18446744073709551615ULL; // past int64's range
    CHECK_FALSE(session_from_json(j));
    j = good;
    j["last_seen_ms"] = -5;
    REQUIRE(session_from_json(j));
    CHECK(session_from_json(j)->last_seen_ms == -5);
}
