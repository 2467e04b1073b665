// The provenant/1 note: round trip, strict reading, hostile input.
#include "protocol/note.h"

#include <doctest/doctest.h>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace provenant;

namespace {
const std::string kC = "0123456789abcdef0123456789abcdef01234567";
const std::string kP = "89abcdef0123456789abcdef0123456789abcdef";
const std::string kB = "fedcba9876543210fedcba9876543210fedcba98";

Note sample() {
    Note n;
    n.commit = kC;
    n.parent = kP;
    NoteOrigin o;
    o.record.cls = OriginClass::Ai;
    o.record.tool = "claude-code";
    o.record.kind = "agent";
    o.record.model = "claude-sonnet-4";
    o.record.session = "s1";
    o.tokens.input = 100;
    o.tokens.output = 50;
    o.funnel = Funnel{10, 5, 3, 2};
    n.origins["o1"] = o;
    NoteFile f;
    f.blob = kB;
    f.ai = {1, 2, 3, 4};
    f.ai_modified = {5};
    f.human = {6, 7};
    f.unknown = {9};
    f.by_origin["o1"] = {1, 2, 3, 4, 5};
    f.chars.ai = 80;
    f.chars.human = 12;
    n.files["src/a.cpp"] = f;
    NoteFile bin;
    bin.blob = kB;
    bin.skipped = "binary";
    n.files["img.png"] = bin;
    return n;
}

std::string error_of(const std::string& text) {
    auto r = parse_note(text);
    REQUIRE_FALSE(r.ok());
    return r.error().message;
}

nlohmann::json sample_json() {
    return note_to_json(sample());
}
} // namespace

TEST_CASE("a note round-trips through its JSON") {
    Note n = sample();
    std::string text = serialize_note(n);
    CHECK(text.find('\n') == text.size() - 1); // one compact line
    auto back = parse_note(text);
    REQUIRE_MESSAGE(back.ok(), back.error().message);
    CHECK(*back == n);
    auto j = nlohmann::json::parse(text);
    CHECK(j["schema"] == "provenant/1");
    CHECK(j["files"]["src/a.cpp"]["lines"]["ai"] == "1-4");
    CHECK(j["files"]["src/a.cpp"]["by_origin"]["o1"] == "1-5");
    CHECK(j["totals"]["lines"]["ai"] == 4);
    CHECK(j["totals"]["lines"]["unknown"] == 1);
    CHECK(j["totals"]["tokens"]["input"] == 100);
    CHECK_FALSE(j.contains("rewrite"));
}

TEST_CASE("lookup gives a line's class and origin") {
    Note n = sample();
    const NoteFile& f = n.files["src/a.cpp"];
    CHECK(f.lookup(3)->first == LineClass::Ai);
    CHECK(f.lookup(3)->second == "o1");
    CHECK(f.lookup(5)->first == LineClass::AiModified);
    CHECK(f.lookup(6)->first == LineClass::Human);
    CHECK(f.lookup(6)->second.empty());
    CHECK_FALSE(f.lookup(8).has_value());
}

TEST_CASE("a root commit has a null parent; rewrites are kept") {
    Note n = sample();
    n.parent.clear();
    n.rewrite = NoteRewrite{"amend", {kP}};
    auto j = note_to_json(n);
    CHECK(j["parent"].is_null());
    auto back = note_from_json(j);
    REQUIRE(back.ok());
    CHECK(*back == n);
}

TEST_CASE("readers ignore unknown fields and accept minor versions") {
    auto j = sample_json();
    j["future"] = {{"x", 1}};
    j["files"]["src/a.cpp"]["future"] = true;
    j["schema"] = "provenant/1.3";
    auto r = note_from_json(j);
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    CHECK(r->files.size() == 2);
}

TEST_CASE("readers reject unknown major versions and foreign schemas") {
    auto j = sample_json();
    j["schema"] = "provenant/2";
    CHECK(error_of(j.dump()).find("unsupported note schema 'provenant/2'") != std::string::npos);
    j["schema"] = "authorship/3.0.0";
    CHECK(error_of(j.dump()).find("$.schema") != std::string::npos);
    j.erase("schema");
    CHECK(error_of(j.dump()).find("$.schema: missing") != std::string::npos);
}

TEST_CASE("errors name the JSON path of the bad field") {
    auto j = sample_json();
    j["files"]["src/a.cpp"]["lines"]["ai"] = 7;
    CHECK(error_of(j.dump()).find(R"($.files["src/a.cpp"].lines.ai: expected a string)") !=
          std::string::npos);

    j = sample_json();
    j["files"]["src/a.cpp"]["blob"] = "xyz";
    CHECK(error_of(j.dump()).find(R"($.files["src/a.cpp"].blob)") != std::string::npos);

    j = sample_json();
    j["origins"]["o1"]["tokens"]["input"] = -5;
    CHECK(error_of(j.dump()).find(
              R"($.origins["o1"].tokens.input: expected a non-negative integer, got -5)") !=
          std::string::npos);

    j = sample_json();
    j["origins"]["o1"]["kind"] = "magic";
    CHECK(error_of(j.dump()).find(R"($.origins["o1"].kind: expected completion, agent or chat)") !=
          std::string::npos);

    j = sample_json();
    j["origins"]["o1"]["funnel"]["generated"] = "many";
    CHECK(error_of(j.dump()).find(R"($.origins["o1"].funnel.generated)") != std::string::npos);

    j = sample_json();
    j["files"] = nlohmann::json::array();
    CHECK(error_of(j.dump()).find("$.files: expected an object, got array") != std::string::npos);

    j = sample_json();
    j["commit"] = nullptr;
    CHECK(error_of(j.dump()).find("$.commit") != std::string::npos);
}

TEST_CASE("inconsistent notes are rejected") {
    auto j = sample_json();
    j["files"]["src/a.cpp"]["lines"]["human"] = "4-7"; // 4 is also ai
    CHECK(error_of(j.dump()).find("line 4 is in two classes") != std::string::npos);

    j = sample_json();
    j["files"]["src/a.cpp"]["by_origin"]["o9"] = "1";
    CHECK(error_of(j.dump()).find("names no origin") != std::string::npos);

    j = sample_json();
    j["files"]["src/a.cpp"]["by_origin"]["o1"] = "6";
    CHECK(error_of(j.dump()).find("not an ai or ai_modified line") != std::string::npos);

    j = sample_json();
    j["files"]["../etc/passwd"] = j["files"]["src/a.cpp"];
    CHECK(error_of(j.dump()).find("bad file path") != std::string::npos);

    j = sample_json();
    j["origins"]["bad id!"] = j["origins"]["o1"];
    CHECK(error_of(j.dump()).find("bad origin id") != std::string::npos);
}

TEST_CASE("hostile notes get a clear error, not a crash or a huge allocation") {
    auto j = sample_json();
    j["files"]["src/a.cpp"]["lines"] = {{"ai", "1-4294967295"}};
    j["files"]["src/a.cpp"].erase("by_origin");
    CHECK(error_of(j.dump()).find("expand beyond") != std::string::npos);

    // Many files each under the per-range limit still hit the per-note budget.
    j = sample_json();
    for (int i = 0; i < 30; ++i)
        j["files"]["f" + std::to_string(i)] = {{"blob", kB}, {"lines", {{"unknown", "1-1000000"}}}};
    CHECK(error_of(j.dump()).find("expand beyond") != std::string::npos);

    CHECK(error_of("").find("not valid JSON") != std::string::npos);
    CHECK(error_of("{").find("not valid JSON") != std::string::npos);
    CHECK(error_of("[]").find("$: expected an object") != std::string::npos);
    CHECK(error_of("null").find("$: expected an object") != std::string::npos);
    CHECK(error_of(std::string(1000, '[') + std::string(1000, ']')).find("expected an object") !=
          std::string::npos);
    j = sample_json();
    j["files"]["src/a.cpp"]["lines"]["ai"] = "4-1";
    CHECK(error_of(j.dump()).find("bad line range") != std::string::npos);
    j["files"]["src/a.cpp"]["lines"]["ai"] = "0";
    CHECK(error_of(j.dump()).find("bad line range") != std::string::npos);
    j = sample_json();
    j["files"]["src/a.cpp"]["chars"]["ai"] = 1.5;
    CHECK(error_of(j.dump()).find(".chars.ai: expected a non-negative integer") !=
          std::string::npos);
}

TEST_CASE("OriginIds: one id per record, existing ids kept, new ids never collide") {
    Note n;
    OriginRecord a{OriginClass::Ai, "claude-code", "agent", "m", "s1", ""};
    OriginRecord b{OriginClass::Ai, "codex", "agent", "m", "s2", ""};
    OriginRecord c{OriginClass::Ai, "cursor", "agent", "m", "s3", ""};
    n.origins["o2"].record = a; // an id a reader or an older writer chose
    n.origins["o2"].tokens.input = 7;
    OriginIds ids(n);
    bool added = true;
    CHECK(ids.intern(a, &added) == "o2");
    CHECK_FALSE(added);
    CHECK(n.origins["o2"].tokens.input == 7); // an existing origin is not reset
    CHECK(ids.intern(b, &added) == "o1");
    CHECK(added);
    CHECK(ids.intern(c) == "o3"); // o2 is taken
    CHECK(ids.intern(b) == "o1");
    CHECK(n.origins.size() == 3);
    CHECK(n.origins["o3"].record == c);
    CHECK(n.origins["o3"].tokens.empty());
    // Records differ by any field, the request id included.
    OriginRecord b2 = b;
    b2.request = "r";
    CHECK(ids.intern(b2) == "o4");
}

namespace {
/// The byte range [first, last] of `key`'s entry in a compact note text: from its quoted name
/// to its closing brace (the sample's strings hold no braces).
std::pair<size_t, size_t> entry_range(const std::string& text, const std::string& key) {
    const size_t start = text.find("\"" + key + "\":{");
    REQUIRE(start != std::string::npos);
    size_t at = text.find('{', start);
    for (int depth = 0; at < text.size(); ++at) {
        if (text[at] == '{') ++depth;
        if (text[at] == '}' && --depth == 0) break;
    }
    REQUIRE(at < text.size());
    return {start, at};
}
} // namespace

TEST_CASE("parse_note_for reads what parse_note reads, on 4,000 mutated notes (fixed seed)") {
    // Property: on one-byte replacements, insertions and deletions of a real note, whenever
    // parse_note reads the text, parse_note_for reads the same note restricted to its path;
    // and parse_note_for accepts a text parse_note refuses only when the fault is another
    // file's (the entries it does not read): the change lies inside that file's entry, or
    // parse_note_for refuses that file.
    Note base = sample();
    NoteFile other;
    other.blob = kB;
    other.human = {2, 3};
    other.chars.human = 7;
    base.files["lib/b.c"] = other;
    const std::string text = serialize_note(base);
    const std::vector<std::string> paths{"src/a.cpp", "img.png", "lib/b.c", "no/such.c"};
    std::map<std::string, std::pair<size_t, size_t>> ranges;
    for (size_t k = 0; k + 1 < paths.size(); ++k)
        ranges[paths[k]] = entry_range(text, paths[k]);
    const std::string alphabet = "{}[]\":,0123456789-.eatrufnl\\ x\x01\xff";
    std::mt19937 rng(20261202);
    size_t read_whole = 0, read_only_for = 0, refused = 0;
    for (int i = 0; i < 4000; ++i) {
        std::string m = text;
        const int op = int(rng() % 3);
        const size_t pos = rng() % m.size();
        const char byte = alphabet[rng() % alphabet.size()];
        if (op == 0)
            m[pos] = byte;
        else if (op == 1)
            m.insert(m.begin() + std::ptrdiff_t(pos), byte);
        else
            m.erase(pos, 1);
        auto whole = parse_note(m);
        std::map<std::string, Result<Note>> each;
        for (const std::string& path : paths)
            each.emplace(path, parse_note_for(m, path));
        for (const std::string& path : paths) {
            CAPTURE(m);
            CAPTURE(path);
            const Result<Note>& one = each.at(path);
            if (whole) {
                ++read_whole;
                REQUIRE(one);
                Note want = *whole;
                std::erase_if(want.files, [&](const auto& f) { return f.first != path; });
                CHECK(*one == want);
            } else if (one) {
                ++read_only_for;
                // The fault is another file's: the change lies in its entry, or that file's
                // own reading fails (its entry names an origin the change took away).
                bool other_fault = false;
                for (const auto& [p, r] : ranges)
                    other_fault =
                        other_fault ||
                        (p != path && ((pos >= r.first && pos <= r.second) || !each.at(p).ok()));
                CHECK(other_fault);
            } else {
                ++refused;
            }
        }
    }
    // The mutations reach all three outcomes (a property that is never exercised proves
    // nothing).
    CHECK(read_whole > 100);
    CHECK(read_only_for > 100);
    CHECK(refused > 100);
}
