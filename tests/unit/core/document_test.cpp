// Unit tests: Document edits, typing inference, deleted spans, annotations in either order.
#include "core/document.h"
#include "support/class_letters.h"

#include <doctest/doctest.h>
#include <random>

using namespace provenant;

namespace {

const OriginRecord kCopilot{OriginClass::Ai, "copilot", "completion", "gpt-4o", "s1", ""};
const OriginRecord kClaude{OriginClass::Ai, "claude-code", "agent", "claude-sonnet-4-5", "s2", ""};
const OriginRecord kPasteRec{OriginClass::Paste, {}, {}, {}, {}, {}};

TextRange rng(uint32_t l0, uint32_t c0, uint32_t l1, uint32_t c1) {
    return {{l0, c0}, {l1, c1}};
}
TextRange at(uint32_t l, uint32_t c) {
    return rng(l, c, l, c);
}

/// The class of every byte of the document, as one letter each: a(i) h(uman) p(aste) u(nknown).
using test::class_letters;

/// Snapshots compared by content: text, and per byte the record, evidence and freshness.
bool same_provenance(const Snapshot& a, const Snapshot& b) {
    if (a.text != b.text) return false;
    const auto ea = a.expand(), eb = b.expand();
    for (size_t i = 0; i < ea.size(); ++i)
        if (!(a.origins.at(ea[i].origin) == b.origins.at(eb[i].origin)) ||
            ea[i].evidence != eb[i].evidence || ea[i].fresh != eb[i].fresh)
            return false;
    return true;
}

} // namespace

TEST_CASE("typing is human, a large insert is unknown with a reason") {
    Document d("hello\n", 1, PositionEncoding::Utf16);
    CHECK(class_letters(d) == "uuuuuu");
    REQUIRE(d.apply_change(2, at(0, 5), " world"));
    CHECK(d.text() == "hello world\n");
    CHECK(class_letters(d) == "uuuuuhhhhhhu");
    const Snapshot s = d.snapshot();
    CHECK(s.expand()[6].evidence == Evidence::Inferred);
    CHECK(s.expand()[6].fresh);
    CHECK(s.expand()[0].fresh == false);
    CHECK(d.last_unknown_reason().empty());
    auto lines = d.classify();
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].cls == LineClass::Human);

    const std::string big(400, 'x');
    REQUIRE(d.apply_change(3, at(1, 0), big));
    CHECK(class_letters(d).substr(12) == std::string(400, 'u'));
    CHECK(d.snapshot().expand()[12].fresh);
    CHECK(d.last_unknown_reason().find("400 characters") != std::string::npos);
    // Two lines of text is not typing either, even when short.
    REQUIRE(d.apply_change(4, at(0, 0), "a\nb\nc"));
    CHECK(class_letters(d).substr(0, 5) == "uuuuu");
    // Enter plus indentation is typing.
    REQUIRE(d.apply_change(5, at(0, 0), "\n    "));
    CHECK(class_letters(d).substr(0, 5) == "hhhhh");
}

TEST_CASE("a full replacement keeps the origin of what it does not change") {
    Document d("int f() {\nreturn 1;\n}\n", 1, PositionEncoding::Utf16);
    REQUIRE(d.annotate(1, kCopilot, {rng(1, 0, 1, 9)}));
    CHECK(class_letters(d) == "uuuuuuuuuu"
                              "aaaaaaaaau"
                              "uu");
    // A formatter re-indents: the AI characters stay AI, the new indentation is typing-sized.
    REQUIRE(d.apply_change(2, std::nullopt, "int f() {\n    return 1;\n}\n"));
    CHECK(class_letters(d) == "uuuuuuuuuu"
                              "hhhh"
                              "aaaaaaaaau"
                              "uu");
    auto lines = d.classify();
    REQUIRE(lines.size() == 3);
    CHECK(lines[1].cls == LineClass::Ai); // whitespace never changes a line's class
    // A one-character change relabels one character.
    REQUIRE(d.apply_change(3, std::nullopt, "int f() {\n    return 2;\n}\n"));
    CHECK(class_letters(d) == "uuuuuuuuuu"
                              "hhhh"
                              "aaaaaaaha"
                              "uuu");
    CHECK(d.classify()[1].cls == LineClass::AiModified);
    // A large reload with no evidence is unknown, but unchanged lines keep their origin.
    std::string reloaded = "int f() {\n    return 2;\n}\n";
    for (int i = 0; i < 10; ++i)
        reloaded += "int g" + std::to_string(i) + "() { return " + std::to_string(i) + "; }\n";
    REQUIRE(d.apply_change(4, std::nullopt, reloaded));
    CHECK(class_letters(d).substr(0, 26) == "uuuuuuuuuu"
                                            "hhhh"
                                            "aaaaaaaha"
                                            "uuu");
    CHECK(class_letters(d).substr(26) == std::string(reloaded.size() - 26, 'u'));
}

TEST_CASE("undo and redo restore origins through the deleted-span store") {
    Document d("x\n", 1, PositionEncoding::Utf16);
    REQUIRE(d.apply_change(2, at(0, 1), " = compute(a, b);"));
    REQUIRE(d.annotate(2, kCopilot, {rng(0, 1, 0, 18)}));
    const std::string before = class_letters(d);
    CHECK(before == "uaaaaaaaaaaaaaaaaau");
    REQUIRE(d.apply_change(3, rng(0, 1, 0, 18), ""));
    CHECK(d.text() == "x\n");
    REQUIRE(d.apply_change(4, at(0, 1), " = compute(a, b);", EditReason::Undo));
    CHECK(class_letters(d) == before);
    CHECK(same_provenance(d.snapshot(), d.snapshot()));
    REQUIRE(d.apply_change(5, rng(0, 1, 0, 18), "", EditReason::Undo));
    REQUIRE(d.apply_change(6, at(0, 1), " = compute(a, b);", EditReason::Redo));
    CHECK(class_letters(d) == before);
}

TEST_CASE("cut and paste keeps the origin, and a paste annotation does not override it") {
    Document d("a\nb\n", 1, PositionEncoding::Utf16);
    REQUIRE(d.apply_change(2, at(1, 0), "auto v = std::vector<int>{1, 2, 3};\n"));
    REQUIRE(d.annotate(2, kClaude, {rng(1, 0, 2, 0)}));
    REQUIRE(d.apply_change(3, rng(1, 0, 2, 0), "")); // cut
    CHECK(d.text() == "a\nb\n");
    REQUIRE(d.apply_change(4, at(0, 0), "auto v = std::vector<int>{1, 2, 3};\n")); // paste
    REQUIRE(d.annotate(4, kPasteRec, {rng(0, 0, 1, 0)}));
    CHECK(class_letters(d).substr(0, 36) == std::string(36, 'a'));
    // A new paste is paste.
    const std::string other = "int unrelated_function_name(int argument_one);\n";
    REQUIRE(d.apply_change(5, at(3, 0), other));
    REQUIRE(d.annotate(5, kPasteRec, {rng(3, 0, 4, 0)}));
    CHECK(class_letters(d).substr(class_letters(d).size() - other.size()) ==
          std::string(other.size(), 'p'));
}

TEST_CASE("an annotation gives the same result before or after its didChange") {
    const std::string completion = "for (int i = 0; i < n; ++i) {\n    sum += v[i];\n}";
    auto run = [&](bool annotate_first, bool type_between) {
        Document d("int sum = 0;\n\n", 7, PositionEncoding::Utf16);
        const std::vector<TextRange> ranges{rng(1, 0, 3, 1)};
        if (annotate_first) REQUIRE(d.annotate(8, kCopilot, ranges));
        REQUIRE(d.apply_change(8, at(1, 0), completion));
        if (type_between) REQUIRE(d.apply_change(9, at(2, 4), "// "));
        if (!annotate_first) REQUIRE(d.annotate(8, kCopilot, ranges));
        if (!type_between) REQUIRE(d.apply_change(9, at(2, 4), "// "));
        CHECK(d.take_dropped_annotations().empty());
        return d.snapshot();
    };
    const Snapshot a = run(true, false), b = run(false, false), c = run(false, true),
                   e = run(true, true);
    CHECK(same_provenance(a, b));
    CHECK(same_provenance(a, c));
    CHECK(same_provenance(a, e));
    // The typed comment is human, not covered by the annotation.
    Document d(a.text, 1, PositionEncoding::Utf16);
    const size_t at_comment = a.text.find("// ");
    const auto attrs = a.expand();
    CHECK(a.origins.class_of(attrs[at_comment].origin) == OriginClass::Human);
    CHECK(a.origins.class_of(attrs[at_comment + 3].origin) == OriginClass::Ai);
    CHECK(a.origins.class_of(attrs[at_comment - 1].origin) == OriginClass::Ai);
}

TEST_CASE("a late annotation does not cover text typed into its range afterwards") {
    Document d("\n", 1, PositionEncoding::Utf16);
    REQUIRE(d.apply_change(2, at(0, 0), "foo bar baz"));
    REQUIRE(d.apply_change(3, at(0, 4), "XY"));      // inside the range
    REQUIRE(d.apply_change(4, at(0, 13), "Z"));      // at its end
    REQUIRE(d.apply_change(5, rng(0, 0, 0, 1), "")); // delete 'f'
    REQUIRE(d.annotate(2, kCopilot, {rng(0, 0, 0, 11)}));
    CHECK(d.text() == "oo XYbar bazZ\n");
    CHECK(class_letters(d) == "aaahhaaaaaaahu");
    // Far-future and far-past annotations are refused; a skipped version is dropped.
    CHECK(!d.annotate(1000, kCopilot, {at(0, 0)}));
    REQUIRE(d.annotate(6, kCopilot, {rng(0, 0, 0, 1)}));
    REQUIRE(d.apply_change(7, at(0, 0), "q"));
    auto dropped = d.take_dropped_annotations();
    REQUIRE(dropped.size() == 1);
    CHECK(dropped[0].find("version 6") != std::string::npos);
    CHECK(class_letters(d)[1] == 'a');
}

TEST_CASE("text_at rebuilds an older version from the edit history, and says when it cannot") {
    Document d("one\ntwo\n", 1, PositionEncoding::Utf16);
    REQUIRE(d.apply_change(2, at(1, 0), "x"));             // an insert
    REQUIRE(d.apply_change(3, rng(0, 0, 0, 3), "1"));      // a replacement
    REQUIRE(d.apply_change(4, rng(1, 0, 2, 0), ""));       // a deletion across a line break
    REQUIRE(d.apply_change(5, std::nullopt, "all new\n")); // a whole text
    CHECK(d.text_at(5) == "all new\n");
    CHECK(d.text_at(4) == "1\n");
    CHECK(d.text_at(3) == "1\nxtwo\n");
    CHECK(d.text_at(2) == "one\nxtwo\n");
    CHECK(d.text_at(1) == "one\ntwo\n");
    CHECK(!d.text_at(0)); // before the document was opened
    CHECK(!d.text_at(6)); // not yet
    // An edit too large to keep ends the history: older versions cannot be rebuilt.
    REQUIRE(d.apply_change(6, std::nullopt, std::string(1 << 21, 'y')));
    CHECK(d.text_at(5) == "all new\n");
    REQUIRE(d.apply_change(7, std::nullopt, "z\n"));
    CHECK(d.text_at(7) == "z\n");
    CHECK(!d.text_at(6));
    CHECK(!d.text_at(5));
}

TEST_CASE("bad ranges and versions going backwards leave the document unchanged") {
    Document d("ab\r\ncd😀e\n", 5, PositionEncoding::Utf16);
    const Snapshot before = d.snapshot();
    CHECK(!d.apply_change(4, at(0, 0), "x"));        // version goes back
    CHECK(!d.apply_change(6, at(9, 0), "x"));        // line past the end
    CHECK(!d.apply_change(6, at(0, 3), "x"));        // past the end of line 0
    CHECK(!d.apply_change(6, at(1, 3), "x"));        // inside the surrogate pair
    CHECK(!d.apply_change(6, rng(1, 2, 0, 1), "x")); // start after end
    CHECK(d.version() == 5);
    CHECK(same_provenance(d.snapshot(), before));
    CHECK(!d.annotate(5, kCopilot, {at(7, 0)}));
    CHECK(same_provenance(d.snapshot(), before));
    // Same version continues a batch.
    REQUIRE(d.apply_change(6, at(1, 4), "X"));
    REQUIRE(d.apply_change(6, at(1, 0), "Y"));
    CHECK(d.text() == "ab\r\nYcd😀Xe\n");
}

TEST_CASE("positions in every encoding: CRLF, lone CR, surrogate pairs, CJK") {
    const std::string text = "a😀b\r\n中文x\rz\n";
    for (auto enc : {PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32}) {
        Document d(text, 1, enc);
        CHECK(d.line_count() == 4);
        const uint32_t emoji = enc == PositionEncoding::Utf8    ? 4
                               : enc == PositionEncoding::Utf16 ? 2
                                                                : 1;
        const uint32_t cjk = enc == PositionEncoding::Utf8 ? 3 : 1;
        CHECK(*d.offset_of({0, 1 + emoji}) == 5);
        CHECK(d.position_of(5) == Position{0, 1 + emoji});
        CHECK(*d.offset_of({1, 2 * cjk + 1}) == text.find('\r', 7));
        CHECK(d.position_of(text.find('z')) == Position{2, 0});
        CHECK(*d.offset_of({3, 0}) == text.size());
        CHECK(!d.offset_of({0, 2 + emoji + 1}).ok());
        if (enc != PositionEncoding::Utf32) CHECK(!d.offset_of({0, 2}).ok()); // inside the emoji
    }
}

TEST_CASE("absorb merges stronger evidence by content, and reset_base clears freshness") {
    Document d("head\n", 1, PositionEncoding::Utf16);
    const std::string body = "def agent_wrote_this():\n    return 42\n";
    REQUIRE(d.apply_change(2, at(1, 0), body)); // a reload: unknown
    CHECK(class_letters(d).substr(5) == std::string(body.size(), 'u'));
    Snapshot hook = Snapshot::uniform("head\n" + body, kClaude, Evidence::Recorded, true);
    CHECK(d.absorb(hook));
    CHECK(class_letters(d) == std::string(5 + body.size(), 'a'));
    CHECK(!d.absorb(hook)); // twice changes nothing: never counted twice
    d.reset_base();
    for (const Attr& a : d.snapshot().expand())
        CHECK(!a.fresh);
}

TEST_CASE("a restored journal snapshot is carried onto the opened text") {
    Snapshot j = Snapshot::uniform("one\ntwo\n", kCopilot, Evidence::Recorded, true);
    Document d("one\nTWO\nthree\n", 1, PositionEncoding::Utf16, &j);
    // Only whitespace may be matched across changed lines: "three" shares no origin.
    CHECK(class_letters(d).substr(0, 8) == "aaaa"
                                           "uuuu");
    CHECK(class_letters(d).substr(8, 5) == "uuuuu");
    auto lines = d.classify();
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].cls == LineClass::Ai);
    CHECK(lines[1].cls == LineClass::Unknown);
    CHECK(lines[2].cls == LineClass::Unknown);
}

TEST_CASE("whitespace typed into a line never changes its class") {
    Document d("x\n", 1, PositionEncoding::Utf16);
    REQUIRE(d.apply_change(2, at(0, 1), " = make_widget(config);"));
    REQUIRE(d.annotate(2, kCopilot, {rng(0, 1, 0, 24)}));
    REQUIRE(d.apply_change(3, at(0, 0), "u")); // a person typed one letter: ai_modified
    auto before = d.classify();
    REQUIRE(d.apply_change(4, at(0, 4), "   "));
    REQUIRE(d.apply_change(5, at(0, 0), "\t"));
    CHECK(d.classify()[0].cls == before[0].cls);
    // Enter in the middle splits the line: each part keeps its characters' origins.
    REQUIRE(d.apply_change(6, at(0, 10), "\n    "));
    auto after = d.classify();
    REQUIRE(after.size() == 2);
    CHECK(after[1].cls == LineClass::Ai);
}

TEST_CASE("retyping a character or an auto-pair just deleted is typing, not a restore") {
    Document d("\n", 1, PositionEncoding::Utf16);
    REQUIRE(d.apply_change(2, at(0, 0), "f()"));
    REQUIRE(d.annotate(2, kCopilot, {rng(0, 0, 0, 3)}));
    REQUIRE(d.apply_change(3, rng(0, 1, 0, 3), "")); // delete "()"
    REQUIRE(d.apply_change(4, at(0, 1), "()"));      // an auto-pair typed again
    CHECK(class_letters(d) == "ahhu");
    REQUIRE(d.apply_change(5, rng(0, 1, 0, 3), ""));
    REQUIRE(d.apply_change(6, at(0, 1), "()", EditReason::Undo)); // the client says undo
    CHECK(class_letters(d) == "ahhu"); // the newest deleted "()" was the typed one
}

TEST_CASE("random edits: an annotation early, on time or late gives the same provenance") {
    std::mt19937_64 rng64(99);
    for (int trial = 0; trial < 200; ++trial) {
        // A script: an AI insert at version 2, then typing and deleting (one character each).
        struct Edit {
            TextRange range;
            std::string text;
        };
        std::vector<Edit> later;
        Document probe("int a;\nint b;\n", 1, PositionEncoding::Utf16);
        const std::string completion = "long c = 1;\n😀 x\r\n";
        REQUIRE(probe.apply_change(2, at(1, 0), completion));
        const std::vector<TextRange> ranges{rng(1, 0, 3, 0)};
        for (int k = 0; k < 8; ++k) {
            const std::string t = probe.text();
            size_t off = rng64() % (t.size() + 1);
            while (off > 0 && off < t.size() && (static_cast<unsigned char>(t[off]) & 0xC0) == 0x80)
                --off;
            const Position p = probe.position_of(off);
            Edit e;
            if (rng64() % 2 && off < t.size() && t[off] != '\r' && t[off] != '\n' &&
                static_cast<unsigned char>(t[off]) < 0x80)
                e = Edit{TextRange{p, Position{p.line, p.character + 1}}, ""};
            else if (off > 0 && t[off - 1] == '\r')
                continue; // never split a \r\n pair
            else
                e = Edit{TextRange{p, p}, std::string(1, static_cast<char>('a' + k))};
            REQUIRE(probe.apply_change(3 + static_cast<int64_t>(later.size()), e.range, e.text));
            later.push_back(e);
        }
        auto run = [&](size_t annotate_after) { // annotate after this many later edits
            Document d("int a;\nint b;\n", 1, PositionEncoding::Utf16);
            if (annotate_after == SIZE_MAX) REQUIRE(d.annotate(2, kCopilot, ranges));
            REQUIRE(d.apply_change(2, at(1, 0), completion));
            for (size_t k = 0; k <= later.size(); ++k) {
                if (k == annotate_after) REQUIRE(d.annotate(2, kCopilot, ranges));
                if (k < later.size())
                    REQUIRE(
                        d.apply_change(3 + static_cast<int64_t>(k), later[k].range, later[k].text));
            }
            CHECK(d.take_dropped_annotations().empty());
            return d.snapshot();
        };
        const Snapshot on_time = run(0);
        CHECK(same_provenance(on_time, run(SIZE_MAX)));
        CHECK(same_provenance(on_time, run(later.size())));
        CHECK(same_provenance(on_time, run(later.size() / 2)));
    }
}

TEST_CASE("take_generated counts the non-blank lines an annotation newly attributed to an AI") {
    Document d("x\n", 1, PositionEncoding::Utf16);
    REQUIRE(d.apply_change(2, at(1, 0), "a\n\n  \nb\r\nc").ok());
    // Held until its version arrives: nothing counted before it applies.
    REQUIRE(d.annotate(3, kCopilot, {rng(1, 0, 5, 2)}).ok());
    CHECK(d.take_generated().empty());
    REQUIRE(d.apply_change(3, at(5, 1), "d").ok()); // "c" becomes "cd" at version 3
    auto g = d.take_generated();
    REQUIRE(g.size() == 1);
    CHECK(g[0].first == kCopilot);
    CHECK(g[0].second == 3); // a, b, c: the blank and the whitespace-only lines do not count
    // The same text annotated again, and a paste or a person's annotation: nothing generated.
    REQUIRE(d.annotate(3, kCopilot, {rng(1, 0, 5, 2)}).ok());
    REQUIRE(d.annotate(3, kPasteRec, {rng(0, 0, 1, 0)}).ok());
    CHECK(d.take_generated().empty());
    // Another AI over part of the lines: only the lines it newly holds, for it.
    REQUIRE(d.annotate(3, kClaude, {rng(1, 0, 1, 1), rng(4, 0, 4, 1)}).ok());
    g = d.take_generated();
    REQUIRE(g.size() == 1);
    CHECK(g[0].first == kClaude);
    CHECK(g[0].second == 2);
}
