// The note read straight from its text (protocol/note_text.h) against the reader of the JSON
// document (note_from_json): the same note whenever it reads one, declined otherwise.
#include "protocol/note_text.h"
#include "support/json_scan.h"

#include <cstdio>
#include <doctest/doctest.h>
#include <random>
#include <string>
#include <vector>

using namespace provenant;

namespace {

const std::string kC = "0123456789abcdef0123456789abcdef01234567";
const std::string kB = "fedcba9876543210fedcba9876543210fedcba98";

/// What note.cpp's document reader makes of `text` (nlohmann's parse, then note_from_json).
Result<Note> by_document(const std::string& text) {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) return make_error(ErrorKind::invalid_input, "not JSON");
    return note_from_json(j);
}

/// A note with every field the format has: origins with tokens and funnels, a rewrite, a
/// root commit, quoted and escaped strings.
Note full_note() {
    Note n;
    n.commit = kC;
    n.tool_version = "1.2.3";
    NoteOrigin a;
    a.record = {
        OriginClass::Ai, "claude-code", "agent", "claude \"sonnet\" 4\t\xc3\xa9", "s1", "r1"};
    a.tokens = {100, 50, 7, 3, 2, 9};
    a.funnel = Funnel{10, 5, 3, 2};
    n.origins["o1"] = a;
    NoteOrigin b;
    b.record = {OriginClass::Paste, "", "", "", "", ""};
    n.origins["o.2_x-"] = b;
    NoteFile f;
    f.blob = kB;
    f.ai = {1, 2, 3, 4};
    f.ai_modified = {5};
    f.human = {6, 7};
    f.paste = {8};
    f.unknown = {9, 10, 11};
    f.by_origin["o1"] = {1, 2, 3, 4, 5};
    f.chars = {80, 12, 3, 4};
    n.files["src/a.cpp"] = f;
    NoteFile bin;
    bin.blob = kB;
    bin.skipped = "binary";
    bin.truncated = "too many";
    n.files["caf\xff/\"q\".png"] = bin;                       // quoted key with escapes
    n.files["d\xc3\xa9j\xc3\xa0/\xf0\x9f\x98\x80.txt"] = bin; // UTF-8 as it is
    n.rewrite = NoteRewrite{"rebase", {kC, kB}};
    return n;
}

/// Notes of random shapes, as writers write them.
Note random_note(std::mt19937& rng) {
    Note n;
    n.commit = rng() % 2 ? kC : std::string(64, 'e');
    if (rng() % 2) n.parent = kB;
    const int origins = int(rng() % 3);
    for (int o = 0; o < origins; ++o) {
        NoteOrigin no;
        no.record.cls = static_cast<OriginClass>(rng() % 4);
        no.record.tool = rng() % 2 ? "codex" : "";
        no.record.kind = rng() % 2 ? "chat" : "";
        no.record.model = std::string(rng() % 4, 'm');
        if (rng() % 2) no.tokens.input = rng();
        if (rng() % 2) no.tokens.reasoning = rng() % 10;
        if (rng() % 2) no.funnel = Funnel{rng() % 9, rng() % 9, 0, rng() % 9};
        n.origins["o" + std::to_string(o + 1)] = no;
    }
    const int files = int(rng() % 4);
    for (int k = 0; k < files; ++k) {
        NoteFile f;
        f.blob = kB;
        uint32_t line = 1;
        for (LineClass c : kNoteLineClasses)
            for (int l = int(rng() % 4); l > 0; --l) {
                line += 1 + rng() % 3;
                f.lines(c).push_back(line);
            }
        if (!n.origins.empty() && !f.ai.empty()) f.by_origin["o1"] = f.ai;
        f.chars.ai = rng() % 100;
        if (rng() % 4 == 0) f.skipped = "too large";
        n.files["dir" + std::to_string(k) + "/f.c"] = f;
    }
    if (rng() % 3 == 0) n.rewrite = NoteRewrite{"amend", {kB}};
    return n;
}

} // namespace

TEST_CASE("a note as writers write it is read from its text, as the document reader reads it") {
    const Note full = full_note();
    auto got = read_note_text(serialize_note(full));
    REQUIRE(got);
    CHECK(*got == full);
    REQUIRE(by_document(serialize_note(full)));
    CHECK(*by_document(serialize_note(full)) == full);

    // Every note a writer writes: the fast read is the one taken, never a decline.
    std::mt19937 rng(20261203);
    for (int i = 0; i < 500; ++i) {
        const Note n = random_note(rng);
        const std::string text = serialize_note(n);
        CAPTURE(text);
        auto fast = read_note_text(text);
        REQUIRE(fast);
        CHECK(*fast == n);
    }
    // Written by hand: whitespace, a BOM, members in any order, nulls where the reader
    // treats them as absent, escaped keys, unknown fields of any shape.
    const std::string hand = "\xEF\xBB\xBF { \"files\" : { \"a\\u002ec\" : { \"lines\": {\"ai\": "
                             "\"1-2\", \"blank\": [1, {\"x\": null}]}, \"by_origin\": {\"o1\": "
                             "\"2\"}, \"blob\": \"" +
                             kB +
                             "\", \"skipped\": null, \"chars\": {\"ai\": null, \"human\": 0}}},"
                             " \"origins\": {\"o1\": {\"model\": \"\\ud83d\\ude00\\n\", \"tokens\":"
                             " null, \"funnel\": null, \"x\": -1.5e3}}, \"parent\": null, "
                             "\"rewrite\": null, \"tool\": {\"name\": null}, \"totals\": {}, "
                             "\"s\\u0063hema\": \"provenant/1.9\", \"commit\": \"" +
                             kC + "\", \"future\": [true, false, null, \"\\/\"]}\r\n";
    auto fast = read_note_text(hand);
    REQUIRE(fast);
    auto slow = by_document(hand);
    REQUIRE(slow);
    CHECK(*fast == *slow);
    CHECK(fast->files.count("a.c") == 1);
    CHECK(fast->origins.at("o1").record.model == "\xf0\x9f\x98\x80\n");
    CHECK(fast->tool.empty());
    CHECK(fast->schema == "provenant/1.9");
}

TEST_CASE("forms the text reader leaves to the document reader are read by parse_note as before") {
    const std::string base = serialize_note(full_note());
    auto with = [&](const std::string& from, const std::string& to) {
        std::string t = base;
        const size_t at = t.find(from);
        REQUIRE(at != std::string::npos);
        t.replace(at, from.size(), to);
        return t;
    };
    // A key twice (the document keeps the last), a count with a sign, a count of 20 digits.
    for (const std::string& text : {with("\"schema\":", "\"schema\":\"provenant/2\",\"schema\":"),
                                    with("\"input\":100", "\"input\":-0"),
                                    with("\"input\":100", "\"input\":10000000000000000000"),
                                    with("\"blob\":", "\"blob\":\"x\",\"blob\":")}) {
        CAPTURE(text);
        CHECK_FALSE(read_note_text(text));
        auto slow = by_document(text);
        REQUIRE(slow);
        auto whole = parse_note(text);
        REQUIRE(whole);
        CHECK(*whole == *slow);
    }
}

TEST_CASE("the line budget holds whatever order the ranges are read in") {
    // note.cpp counts the lines each range string expands to after dropping duplicates, in its
    // own order (files by key, classes, then origins); a range string is refused when its
    // expansion, duplicates included, passes what is left. Here one order passes and another
    // does not: the text reader, which reads in text order, must decline, not decide.
    const uint32_t half = kMaxNoteLines / 2;
    const std::string dup_heavy = "1-" + std::to_string(half) + ",1-" + std::to_string(half);
    const std::string big = "1-" + std::to_string(kMaxNoteLines - half); // fits after dup_heavy
    const std::string text = "{\"schema\":\"provenant/1\",\"commit\":\"" + kC +
                             "\",\"files\":{\"b\":{\"blob\":\"" + kB +
                             "\",\"lines\":{\"unknown\":\"" + big + "\"}},\"a\":{\"blob\":\"" + kB +
                             "\",\"lines\":{\"unknown\":\"" + dup_heavy + "\"}}}}";
    // By key, "a" (dup_heavy: 2*half expanded, half kept) comes first, then "b" fits.
    auto slow = by_document(text);
    REQUIRE_MESSAGE(slow, slow.error().message);
    CHECK_FALSE(read_note_text(text)); // in text order "b" first, then "a" would not fit
    auto whole = parse_note(text);
    REQUIRE(whole);
    CHECK(*whole == *slow);
}

TEST_CASE("read_note_text reads what the document reader reads, on 20,000 mutated notes") {
    // Property: on one-byte replacements, insertions and deletions of real notes, and on
    // token-level changes (a value made null, a member doubled, a key escaped), whenever the
    // text reader reads a note the document reader reads the same one; and the text reader
    // reads most texts the document reader reads.
    std::vector<std::string> bases{serialize_note(full_note())};
    std::mt19937 seed_rng(7);
    for (int i = 0; i < 8; ++i)
        bases.push_back(serialize_note(random_note(seed_rng)));
    const std::string alphabet = "{}[]\":,0123456789-.eEatrufnl\\ x\x01\xff\xc3\xa9u/";
    const std::vector<std::string> tokens{
        "null", "\"\"",    "0",      "-1",   "1.0",           "{}",
        "[]",   "\"1-3\"", "\"o1\"", "true", "\"" + kB + "\""};
    std::mt19937 rng(20261203);
    size_t both = 0, declined_valid = 0, declined_doubled = 0, refused = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string m = bases[rng() % bases.size()];
        const int op = int(rng() % 6);
        const size_t pos = rng() % m.size();
        const char byte = alphabet[rng() % alphabet.size()];
        if (op == 0) {
            m[pos] = byte;
        } else if (op == 1) {
            m.insert(m.begin() + std::ptrdiff_t(pos), byte);
        } else if (op == 2) {
            m.erase(pos, 1);
        } else if (op == 3) { // a value (after a colon) replaced by a token
            const size_t colon = m.find(':', pos);
            if (colon == std::string::npos) continue;
            size_t end = colon + 1;
            JsonScanner s(std::string_view(m).substr(end));
            if (!s.value()) continue;
            m.replace(end, s.at(), tokens[rng() % tokens.size()]);
        } else if (op == 4) { // a member doubled: "key":value,"key":value
            const size_t open = m.find("{\"", pos);
            if (open == std::string::npos) continue;
            JsonScanner s(std::string_view(m).substr(open + 1));
            std::string_view key;
            bool escaped = false;
            if (!s.key(key, escaped) || !s.value()) continue;
            m.insert(open + 1, m.substr(open + 1, s.at()) + ",");
        } else { // a character of a string escaped as \u00XX
            const size_t q = m.find('"', pos);
            if (q == std::string::npos || q + 1 >= m.size()) continue;
            const unsigned char c = static_cast<unsigned char>(m[q + 1]);
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') continue;
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\u%04x", c);
            m.replace(q + 1, 1, esc);
        }
        CAPTURE(m);
        auto fast = read_note_text(m);
        auto slow = by_document(m);
        if (fast) {
            ++both;
            REQUIRE_MESSAGE(slow, slow.error().message);
            CHECK(*fast == *slow);
        } else if (slow) {
            ++(op == 4 ? declined_doubled : declined_valid);
        } else {
            ++refused;
        }
        // parse_note is one or the other: the same note, or the same refusal.
        auto whole = parse_note(m);
        CHECK(whole.ok() == slow.ok());
        if (whole && slow) CHECK(*whole == *slow);
        if (!whole && !slow) CHECK(whole.error().message.rfind("invalid provenant note: ", 0) == 0);
    }
    MESSAGE("read by both: " << both << ", declined but valid: " << declined_valid << " (and "
                             << declined_doubled << " with a member doubled)"
                             << ", refused: " << refused);
    CHECK(both > 3000);
    CHECK(refused > 3000);
    CHECK(declined_doubled > 1000);
    CHECK(declined_valid < both / 10); // besides a doubled key, declining is for rare forms
}

TEST_CASE("JsonScanner decodes strings as nlohmann does") {
    for (const std::string& token :
         {std::string(R"("plain")"), std::string(R"("a\"b\\c\/d\b\f\n\r\t")"),
          std::string(R"("\u0000\u001f\u00e9\u20ac\uffff")"), std::string(R"("\ud83d\ude00x")"),
          std::string("\"caf\xc3\xa9 \xf0\x9f\x98\x80\""), std::string(R"("\uDBFF\uDFFF")")}) {
        CAPTURE(token);
        JsonScanner s(token);
        std::string_view out;
        std::string scratch;
        REQUIRE(s.string_text(out, scratch));
        CHECK(s.done());
        CHECK(std::string(out) == nlohmann::json::parse(token).get<std::string>());
    }
    for (const std::string& bad :
         {std::string(R"("\ud83d")"), std::string(R"("\ude00")"), std::string(R"("\x")"),
          std::string("\"\xc3\""), std::string("\"a\x01\""), std::string(R"("abc)")}) {
        CAPTURE(bad);
        JsonScanner s(bad);
        std::string_view out;
        std::string scratch;
        CHECK_FALSE(s.string_text(out, scratch));
        CHECK(nlohmann::json::parse(bad, nullptr, false).is_discarded());
    }
    // Counts: plain digits only.
    for (const auto& count :
         std::vector<std::pair<std::string, bool>>{{"0", true},
                                                   {"42", true},
                                                   {"9999999999999999999", true},
                                                   {"10000000000000000000", false},
                                                   {"01", false},
                                                   {"-1", false},
                                                   {"1.0", false},
                                                   {"1e2", false},
                                                   {"", false}}) {
        const std::string& text = count.first;
        CAPTURE(text);
        JsonScanner s(text);
        uint64_t v = 0;
        CHECK(s.plain_count(v) == count.second);
        if (count.second) CHECK(v == nlohmann::json::parse(text).get<uint64_t>());
    }
}

namespace {

/// What the document reader makes of `text` for a reader of `path` alone: nlohmann's parse,
/// every other entry of "files" dropped, then note_from_json (parse_note_for's selection).
Result<Note> by_document_for(const std::string& text, const std::string& path) {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) return make_error(ErrorKind::invalid_input, "not JSON");
    if (j.is_object())
        if (auto it = j.find("files"); it != j.end() && it->is_object()) {
            const std::string key = note_path_key(path);
            nlohmann::json kept = nlohmann::json::object();
            if (auto e = it->find(key); e != it->end()) kept[key] = *e;
            *it = std::move(kept);
        }
    return note_from_json(j);
}

} // namespace

TEST_CASE("read_note_text_for reads one file's entry and skips the others unread") {
    Note n = full_note();
    NoteFile other;
    other.blob = kB;
    other.human = {2, 3};
    n.files["lib/b.c"] = other;
    const std::string text = serialize_note(n);
    auto got = read_note_text_for(text, "src/a.cpp");
    REQUIRE(got);
    Note want = n;
    std::erase_if(want.files, [](const auto& f) { return f.first != "src/a.cpp"; });
    CHECK(*got == want);
    // A quoted key is matched by the path it stands for.
    auto quoted = read_note_text_for(text, "caf\xff/\"q\".png");
    REQUIRE(quoted);
    REQUIRE(quoted->files.size() == 1);
    CHECK(quoted->files.begin()->first == "caf\xff/\"q\".png");
    // No entry for the path: the note without files.
    auto none = read_note_text_for(text, "no/such.c");
    REQUIRE(none);
    CHECK(none->files.empty());
    CHECK(none->origins == n.origins);

    // A fault inside another file's entry (a line in two classes) is not read; the text is
    // still checked for JSON syntax everywhere.
    std::string faulty = text;
    const size_t at = faulty.find("\"human\":\"2-3\"");
    REQUIRE(at != std::string::npos);
    faulty.replace(at, 13, "\"human\":\"2-3\",\"ai\":\"2\"");
    CHECK_FALSE(read_note_text(faulty));
    CHECK(read_note_text_for(faulty, "src/a.cpp"));
    CHECK_FALSE(read_note_text_for(faulty, "lib/b.c"));
    std::string broken = text;
    broken.insert(broken.find("\"human\":\"2-3\""), "\x01");
    CHECK_FALSE(read_note_text_for(broken, "src/a.cpp"));

    // The wanted entry twice is declined (the document keeps the last one); another doubled
    // entry is not read, so it is no reason to decline.
    const size_t b = text.find("\"lib/b.c\":");
    JsonScanner s(std::string_view(text).substr(b));
    std::string_view key;
    bool escaped = false;
    REQUIRE((s.key(key, escaped) && s.value()));
    std::string doubled = text;
    doubled.insert(b, text.substr(b, s.at()) + ",");
    CHECK_FALSE(read_note_text_for(doubled, "lib/b.c"));
    CHECK(read_note_text_for(doubled, "src/a.cpp"));
}

TEST_CASE("read_note_text_for reads what the document reader reads of one file, on 20,000 "
          "mutated notes") {
    // Property: on one-byte replacements, insertions and deletions of real notes, and on
    // token-level changes, whenever the one-file reader reads a note, the document reader reads
    // the same one from the text with the other entries dropped; and it reads most of those.
    std::vector<std::string> bases{serialize_note(full_note())};
    std::mt19937 seed_rng(11);
    for (int i = 0; i < 8; ++i)
        bases.push_back(serialize_note(random_note(seed_rng)));
    const std::vector<std::string> paths{"src/a.cpp", "caf\xff/\"q\".png", "dir0/f.c", "dir1/f.c",
                                         "no/such.c"};
    const std::string alphabet = "{}[]\":,0123456789-.eEatrufnl\\ x\x01\xff\xc3\xa9u/";
    const std::vector<std::string> tokens{"null", "\"\"",    "0",      "{}",
                                          "[]",   "\"1-3\"", "\"o1\"", "\"" + kB + "\""};
    std::mt19937 rng(20261204);
    size_t both = 0, declined_valid = 0, refused = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string m = bases[rng() % bases.size()];
        const std::string& path = paths[rng() % paths.size()];
        const int op = int(rng() % 4);
        const size_t pos = rng() % m.size();
        const char byte = alphabet[rng() % alphabet.size()];
        if (op == 0) {
            m[pos] = byte;
        } else if (op == 1) {
            m.insert(m.begin() + std::ptrdiff_t(pos), byte);
        } else if (op == 2) {
            m.erase(pos, 1);
        } else { // a value (after a colon) replaced by a token
            const size_t colon = m.find(':', pos);
            if (colon == std::string::npos) continue;
            JsonScanner s(std::string_view(m).substr(colon + 1));
            if (!s.value()) continue;
            m.replace(colon + 1, s.at(), tokens[rng() % tokens.size()]);
        }
        CAPTURE(m);
        CAPTURE(path);
        auto fast = read_note_text_for(m, path);
        auto slow = by_document_for(m, path);
        if (fast) {
            ++both;
            REQUIRE_MESSAGE(slow, slow.error().message);
            CHECK(*fast == *slow);
        } else if (slow) {
            ++declined_valid;
        } else {
            ++refused;
        }
        // parse_note_for is one or the other: the same note, or the same refusal.
        auto one = parse_note_for(m, path);
        CHECK(one.ok() == slow.ok());
        if (one && slow) CHECK(*one == *slow);
    }
    MESSAGE("read by both: " << both << ", declined but valid: " << declined_valid
                             << ", refused: " << refused);
    CHECK(both > 3000);
    CHECK(refused > 3000);
    CHECK(declined_valid < both / 10);
}
