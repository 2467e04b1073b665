// Unit tests: transcript readers (dedupe, sidechains, cumulative Codex totals) and list prices.
#include "agents/transcripts.h"
#include "protocol/prices.h"
#include "support/process.h"

#include <doctest/doctest.h>
#include <fstream>

using namespace provenant;
using namespace provenant::agents;

namespace {
std::string fixture(const std::string& rel) {
    std::string file = PROVENANT_TEST_FIXTURES;
    file += "/agents/";
    file += rel;
    std::ifstream in(file, std::ios::binary);
    REQUIRE(in);
    return std::string(std::istreambuf_iterator<char>(in), {});
}
} // namespace

TEST_CASE("Claude Code transcript: deduplicated, sidechains skipped, malformed line skipped") {
    std::string text = fixture("claude-code/transcript.jsonl");
    if (text.back() != '\n')
        text += '\n'; // make the malformed last line complete so that it is seen and skipped
    SessionRecord rec;
    ChunkResult r = read_claude_chunk(text, rec);
    CHECK(r.consumed == text.size());
    CHECK(r.skipped == 1);
    const TokenUsage& s = rec.tokens["claude-sonnet-4-5-20250929"];
    CHECK(s.input == 1250);
    CHECK(s.output == 500);
    CHECK(s.cache_write_5m == 3000);
    CHECK(s.cache_read == 4200);
    const TokenUsage& o = rec.tokens["claude-opus-4-6"];
    CHECK(o.input == 10);
    CHECK(o.output == 95);
    CHECK(o.cache_write_5m == 500);
    CHECK(o.cache_read == 4700);
    CHECK(rec.model_of_tool("toolu_01Edit0000000000000000001") == "claude-sonnet-4-5-20250929");
    CHECK(rec.model_of_tool("toolu_01Multi000000000000000003") == "claude-opus-4-6");

    const PriceTable& prices = PriceTable::builtin();
    auto cs = prices.cost("claude-sonnet-4-5-20250929", s);
    auto co = prices.cost("claude-opus-4-6", o);
    REQUIRE(cs);
    REQUIRE(co);
    CHECK(*cs == doctest::Approx(0.02376).epsilon(1e-9));
    CHECK(*co == doctest::Approx(0.0079).epsilon(1e-9));
}

TEST_CASE("Claude Code transcript read in pieces counts each message once") {
    std::string text = fixture("claude-code/transcript.jsonl");
    SessionRecord whole, pieces;
    read_claude_chunk(text, whole);
    // Feed the text in arbitrary chunks, as hooks would find it growing.
    size_t off = 0;
    for (size_t cut : {100u, 900u, 1500u, 2600u, 4000u}) {
        ChunkResult r = read_claude_chunk(std::string_view(text).substr(off, cut - off), pieces);
        off += r.consumed;
    }
    read_claude_chunk(std::string_view(text).substr(off), pieces);
    CHECK(pieces.tokens == whole.tokens);
    // Reading everything again (a rewritten transcript) adds nothing.
    read_claude_chunk(text, pieces);
    CHECK(pieces.tokens == whole.tokens);
}

TEST_CASE("Codex rollout: the last cumulative total, input excluding cached tokens") {
    std::string text = fixture("codex/rollout.jsonl");
    SessionRecord rec;
    read_codex_chunk(text, rec);
    const TokenUsage& u = rec.tokens["gpt-5.4"];
    CHECK(u.input == 3000);
    CHECK(u.cache_read == 14000);
    CHECK(u.output == 1000);
    CHECK(u.reasoning == 300);
    REQUIRE(rec.models.size() == 1);
    CHECK(rec.models[0] == "gpt-5.4");
    read_codex_chunk("", rec);
    CHECK(rec.tokens["gpt-5.4"].input == 3000);
}

TEST_CASE("read_transcript reads incrementally from the remembered offset") {
    test::TempDir dir;
    std::string path = dir.path() + "/t.jsonl";
    std::string text = fixture("codex/rollout.jsonl");
    size_t half = text.find("\n", text.size() / 2) + 1;
    test::write_text(path, text.substr(0, half) + text.substr(half, 20)); // a partial last line
    SessionRecord rec;
    auto r1 = read_transcript("codex", path, rec);
    REQUIRE(r1);
    CHECK(rec.transcript.offset == half);
    test::write_text(path, text);
    auto r2 = read_transcript("codex", path, rec);
    REQUIRE(r2);
    CHECK(rec.transcript.offset == text.size());
    CHECK(rec.tokens["gpt-5.4"].input == 3000);
    CHECK_FALSE(read_transcript("claude-code", dir.path() + "/missing.jsonl", rec));
}

TEST_CASE("Gemini recording: totals per model, prompt tokens excluding cached") {
    std::string doc = R"({"sessionId":"s","messages":[
      {"id":"1","type":"user","content":"hi"},
      {"id":"2","type":"gemini","model":"gemini-2.5-pro","tokens":{"input":1000,"output":50,"cached":400,"thoughts":20,"tool":0,"total":1070}},
      {"id":"3","type":"gemini","model":"gemini-2.5-pro","tokens":{"input":2000,"output":10,"cached":1500,"thoughts":0,"tool":0,"total":2010}}]})";
    SessionRecord rec;
    read_gemini_document(doc, rec);
    const TokenUsage& u = rec.tokens["gemini-2.5-pro"];
    CHECK(u.input == 1100);
    CHECK(u.cache_read == 1900);
    CHECK(u.output == 80);
    CHECK(u.reasoning == 20);
    read_gemini_document(doc, rec); // the same document again adds nothing
    CHECK(rec.tokens["gemini-2.5-pro"].input == 1100);
}

TEST_CASE("price table: exact, then longest prefix at a separator, never across a version dot") {
    const PriceTable& t = PriceTable::builtin();
    REQUIRE(t.find("claude-sonnet-4-5-20250929"));
    CHECK(t.find("claude-sonnet-4-5-20250929")->input == 3);
    CHECK(t.find("claude-opus-4-1-20250805")->input == 15);
    CHECK(t.find("claude-opus-4-20250514")->input == 15);
    CHECK(t.find("CLAUDE-OPUS-4-6")->output == 25);
    CHECK(t.find("gpt-5.4")->input == 2.5);
    CHECK(t.find("gpt-5-mini-2025-08-07")->input == 0.25);
    CHECK_FALSE(t.find("gpt-5.9")); // never gpt-5's price
    CHECK_FALSE(t.find("gpt-5xl")); // no separator after the prefix
    CHECK_FALSE(t.find(""));
    CHECK(t.label().find("list-price estimate") == 0);
}

TEST_CASE("price table: a user file overrides and extends, bad files are refused") {
    test::TempDir dir;
    std::string file = dir.path() + "/prices.json";
    test::write_text(file, R"({"schema":"provenant-prices/1","as_of":"2030-01-01","models":{
        "claude-opus-4-6":{"input":1,"output":2},"my-model":{"input":10,"output":20}}})");
    auto t = PriceTable::load(file);
    REQUIRE(t);
    CHECK(t->find("claude-opus-4-6")->input == 1);
    CHECK(t->find("my-model-v2")->output == 20);
    CHECK(t->find("claude-sonnet-4-5")->input == 3); // builtin kept
    CHECK(t->as_of() == "2030-01-01");
    TokenUsage u;
    u.input = 1000000;
    CHECK(*t->cost("my-model", u) == doctest::Approx(10));

    test::write_text(file, R"({"models":{"x":{"input":-1}}})");
    auto bad = PriceTable::load(file);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("models.x.input") != std::string::npos);
    test::write_text(file, "not json");
    CHECK_FALSE(PriceTable::load(file));
    CHECK_FALSE(PriceTable::load(dir.path() + "/missing.json"));
}
