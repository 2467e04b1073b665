// Unit tests: the line classifier's rules and tie order; diff, carry and evidence merging.
#include "core/carry.h"
#include "core/line_classifier.h"
#include "core/restore.h"
#include "core/utf8.h"

#include <doctest/doctest.h>
#include <random>

using namespace provenant;

namespace {

const OriginRecord kAi{OriginClass::Ai, "copilot", "completion", "m", "s", ""};
const OriginRecord kAi2{OriginClass::Ai, "cursor", "agent", "m2", "s2", ""};
const OriginRecord kHumanRec{OriginClass::Human, {}, {}, {}, {}, {}};

/// Builds a snapshot from "text|spec" where spec has one letter per byte:
/// a/A ai (fresh/not), b/B second ai origin, h/H human, p/P paste, u/U unknown.
Snapshot make(const std::string& text, const std::string& spec) {
    REQUIRE(text.size() == spec.size());
    Snapshot s;
    s.text = text;
    const uint32_t ai = s.origins.intern(kAi), ai2 = s.origins.intern(kAi2);
    for (char c : spec) {
        const bool fresh = std::islower(static_cast<unsigned char>(c)) != 0;
        uint32_t o = kUnknownOrigin;
        switch (std::tolower(static_cast<unsigned char>(c))) {
        case 'a':
            o = ai;
            break;
        case 'b':
            o = ai2;
            break;
        case 'h':
            o = kHumanOrigin;
            break;
        case 'p':
            o = kPasteOrigin;
            break;
        default:
            break;
        }
        s.push_run(1, Attr{o, o == kUnknownOrigin ? Evidence::None : Evidence::Recorded, fresh});
    }
    return s;
}

LineClass one(const std::string& text, const std::string& spec) {
    auto v = classify_lines(make(text, spec));
    REQUIRE(v.size() == 1);
    return v[0].cls;
}

} // namespace

TEST_CASE("line classifier rules") {
    // Blank lines.
    CHECK(one("  \t", "hhh") == LineClass::Blank);
    // Rule 1: no fresh characters: the class of what is there.
    CHECK(one("abcd", "AAAU") == LineClass::Ai);
    CHECK(one("abcd", "HHHU") == LineClass::Human);
    CHECK(one("abcd", "AAAH") == LineClass::AiModified); // an AI line a person once edited
    // Fresh whitespace does not make a line new.
    CHECK(one("  abcd", "hhAAAA") == LineClass::Ai);
    // Rule 2: ai most common overall and a person typed some new characters.
    CHECK(one("abcdef", "AAAAah") == LineClass::AiModified);
    CHECK(one("abcdef", "aaaaah") == LineClass::AiModified);
    // Rule 3: the most common class of the new characters.
    CHECK(one("abcdef", "HHHHaa") == LineClass::Ai);        // an AI change to a person's line
    CHECK(one("abcdefgh", "hhhhhhaa") == LineClass::Human); // a short completion stays human
    CHECK(one("abcdef", "UUUUpp") == LineClass::Paste);
    CHECK(one("abcdef", "AAAAuu") == LineClass::Unknown);
    // Ties: ai, then human, paste, unknown.
    CHECK(one("ab", "ah") == LineClass::AiModified); // ai ties human overall, a person typed
    CHECK(one("ab", "hp") == LineClass::Human);
    CHECK(one("ab", "pu") == LineClass::Paste);
    CHECK(one("ab", "ap") == LineClass::Ai);
    CHECK(one("ab", "HP") == LineClass::Human);
    // Characters are code points, not bytes: one emoji (4 bytes) against two letters.
    CHECK(one("😀ab", "aaaahh") == LineClass::Human);
}

TEST_CASE("classify_lines splits lines, counts characters and names origins") {
    Snapshot s = make("ab\r\n\ncd\rx\nef", "aaaa"
                                           "h"
                                           "bbhhb"
                                           "hh");
    CharCounts chars;
    auto v = classify_lines(s, &chars);
    REQUIRE(v.size() == 4);
    CHECK(v[0].cls == LineClass::Ai);
    CHECK(v[0].origin == s.origins.intern(kAi));
    CHECK(v[1].cls == LineClass::Blank);
    CHECK(v[2].cls == LineClass::AiModified); // "cd\rx": 2 ai2 and 1 typed character
    CHECK(v[2].origin == s.origins.intern(kAi2));
    CHECK(v[3].cls == LineClass::Human);
    CHECK(chars.ai == 2 + 2);
    CHECK(chars.human == 1 + 2);
    // With LSP lines a lone \r ends a line.
    auto lsp = classify_lines(s, nullptr, true);
    CHECK(lsp.size() == 5);
}

TEST_CASE("diff_edits keeps unchanged characters and stays bounded") {
    auto apply = [](const std::string& a, const std::string& b) {
        std::string out;
        size_t pos = 0;
        for (const ByteEdit& e : diff_edits(a, b)) {
            REQUIRE(e.offset >= pos);
            out += a.substr(pos, e.offset - pos);
            out += b.substr(e.inserted_offset, e.inserted);
            pos = e.offset + e.removed;
        }
        out += a.substr(pos);
        return out;
    };
    std::mt19937_64 rng(7);
    const char* alphabet[] = {"a", "b", " ", "\n", "é", "中", "😀", "\r\n", "{", "}"};
    for (int trial = 0; trial < 300; ++trial) {
        std::string a, b;
        for (int i = 0; i < static_cast<int>(rng() % 200); ++i)
            a += alphabet[rng() % 10];
        b = a;
        for (int k = 0; k < static_cast<int>(rng() % 6); ++k) {
            const size_t at = b.empty() ? 0 : rng() % b.size();
            if (rng() % 2)
                b.insert(at, alphabet[rng() % 10]);
            else
                b.erase(at, std::min<size_t>(b.size() - at, rng() % 5));
        }
        CHECK(apply(a, b) == b);
    }
    // A one-character change is one edit of one character.
    auto e = diff_edits("hello world\nsecond line\n", "hello world\nsecond lime\n");
    REQUIRE(e.size() == 1);
    CHECK(e[0].removed == 1);
    CHECK(e[0].inserted == 1);
    // A re-indent touches whitespace only.
    const std::string a = "if (x) {\nfoo();\nbar();\n}\n",
                      b = "if (x) {\n    foo();\n    bar();\n}\n";
    for (const ByteEdit& ed : diff_edits(a, b)) {
        CHECK(ed.removed == 0);
        CHECK(b.substr(ed.inserted_offset, ed.inserted).find_first_not_of(' ') ==
              std::string::npos);
    }
    // Large unrelated texts finish quickly and still apply.
    std::string big_a, big_b;
    for (size_t i = 0; i < 60000; ++i) {
        big_a += "line a " + std::to_string(i * 7919 % 60000) + "\n";
        big_b += "line b " + std::to_string(i * 104729 % 60000) + "\n";
    }
    CHECK(apply(big_a, big_b) == big_b);
}

TEST_CASE("carry keeps origins of unchanged lines, and a changed short line is new") {
    // Issue 9: carrying by content matches whole lines (or long spans), never the scattered
    // characters two different lines have in common; a document's own edits keep them.
    const Snapshot from = make("abc\ndef\n", "aaaahhhh");
    const Snapshot to =
        carry(from, "abXc\ndef\n", Attr{kHumanOrigin, Evidence::Inferred, true}, kHumanRec);
    CHECK(to.validate().ok());
    auto attrs = to.expand();
    for (size_t i = 0; i < 4; ++i)
        CHECK(to.origins.class_of(attrs[i].origin) == OriginClass::Human);
    CHECK(to.origins.class_of(attrs[5].origin) == OriginClass::Human);
    const Snapshot moved = carry(from, "  abc\ndef\n", Attr{}, OriginRecord{});
    CHECK(moved.origins.class_of(moved.expand()[2].origin) == OriginClass::Ai);
}

TEST_CASE("merge_evidence is commutative and stronger evidence wins") {
    std::mt19937_64 rng(11);
    const char letters[] = "aAbBhHpPuU";
    for (int trial = 0; trial < 200; ++trial) {
        std::string text, s1, s2;
        for (int i = 0; i < 40; ++i) {
            text += static_cast<char>('a' + rng() % 26);
            s1 += letters[rng() % 10];
            s2 += letters[rng() % 10];
        }
        const Snapshot x = make(text, s1), y = make(text, s2);
        const Snapshot xy = merge_evidence(x, y), yx = merge_evidence(y, x);
        REQUIRE(xy.validate().ok());
        const auto a = xy.expand(), b = yx.expand();
        for (size_t i = 0; i < a.size(); ++i) {
            CHECK(xy.origins.at(a[i].origin) == yx.origins.at(b[i].origin));
            CHECK(a[i].evidence == b[i].evidence);
            CHECK(a[i].fresh == b[i].fresh);
        }
    }
    // Recorded beats inferred beats none.
    Snapshot inferred = make("abc", "hhh");
    for (Run& r : inferred.runs)
        r.attr.evidence = Evidence::Inferred;
    const Snapshot recorded = make("abc", "aaa");
    const Snapshot m = merge_evidence(inferred, recorded);
    CHECK(m.origins.class_of(m.runs[0].attr.origin) == OriginClass::Ai);
    // Text the other report does not have is no evidence.
    const Snapshot partial = merge_evidence(make("abc\ndef\n", "uuuuuuuu"), make("abc\n", "aaaa"));
    CHECK(partial.expand()[5].origin == kUnknownOrigin);
    CHECK(partial.origins.class_of(partial.expand()[0].origin) == OriginClass::Ai);
}

TEST_CASE("an unchanged line between two changes keeps its origin") {
    // Reported by the journal: the trimmed common suffix cut "print(x)\n" in two.
    const std::string from_text = "def f():\n    return 42\n\nx = [1, 2, 3]\nprint(x)\n";
    std::string spec(from_text.size(), 'U');
    const size_t at = from_text.find("print(x)");
    for (size_t i = at; i < from_text.size(); ++i)
        spec[i] = 'a';
    const Snapshot from = make(from_text, spec);
    const std::string new_text =
        "def f():\n    return 42\n\nvalues = load_everything()\nprint(x)\nsave(values)\n";
    const Snapshot to = carry(from, new_text, Attr{}, OriginRecord{});
    const auto attrs = to.expand();
    const size_t at2 = new_text.find("print(x)");
    for (size_t i = at2; i < at2 + 9; ++i)
        CHECK(to.origins.class_of(attrs[i].origin) == OriginClass::Ai);
    CHECK(to.origins.class_of(attrs[new_text.find("save")].origin) == OriginClass::Unknown);
}

TEST_CASE("deleting scattered characters keeps every remaining character's origin") {
    // The editor reloads the saved file after unsaved typing was lost: the journal's text
    // has single characters inserted every other position. Nothing is inserted going back,
    // so the characters between the deletions are the old ones, not coincidences.
    const std::string saved = "abcdefgh\nijklmnop\n";
    std::string typed;
    for (char c : saved) {
        typed += c;
        if (c != '\n') typed += 'x';
    }
    // The journal saw that typing (inferred, observed); only characters typed after the last
    // save (saved_seen) are "lost typing".
    Snapshot from;
    from.text = typed;
    for (size_t i = 0; i < typed.size(); ++i)
        from.push_run(1, Attr{kHumanOrigin, Evidence::Inferred, true,
                              i % 2 == 1 && typed[i] == 'x' ? 1'800'000'010u : 1'800'000'000u});
    const Snapshot to = carry_restored(from, saved, Attr{}, OriginRecord{},
                                       SavedTyping{1'800'000'000, saved.size()});
    REQUIRE(to.validate().ok());
    const auto attrs = to.expand();
    for (size_t i = 0; i < saved.size(); ++i) {
        CAPTURE(i);
        CHECK(to.origins.class_of(attrs[i].origin) == OriginClass::Human);
    }
    // Replacements still fold short coincidences: "one" -> "two" keeps no 'o' by accident.
    const Snapshot one = make("one\n", "aaaa");
    const Snapshot two = carry(one, "two\n", Attr{}, OriginRecord{});
    CHECK(two.origins.class_of(two.expand()[2].origin) == OriginClass::Unknown);
}

TEST_CASE("a reopen after lost typing keeps every saved typed character (the kill -9 test)") {
    // e2e_lsp's crash test, in the core: a person types single characters (letters, spaces,
    // newlines) into a file, a few milliseconds apart; the editor saved some state (saved_seen:
    // its latest typing); the journal holds a later state (unsaved typing journaled before a
    // kill -9); the restart reopens the saved file. Every saved typed character must come back
    // `human`. The old hunk-by-hunk rule lost lines when typed newlines and spaces made the line
    // diff align a blank or re-spaced line with the wrong saved line.
    const std::string alphabet = "abcdefghijklmnopqrstuvwxyz      \n";
    const std::string head = "// crash test file\n";
    for (uint32_t seed = 1; seed <= 400; ++seed) {
        CAPTURE(seed);
        std::mt19937 rng(seed);
        uint64_t ms = 1'800'000'000'000ull + rng() % 1000;
        std::string saved = head, journal_text;
        std::vector<Attr> attrs(head.size()), journal_attrs;
        SavedTyping saved_as;
        const size_t n_saved = rng() % 300, n_lost = 1 + rng() % 120;
        for (size_t k = 0; k < n_saved + n_lost; ++k) {
            if (k == n_saved) { // the save: the file holds this text
                journal_text = saved;
                journal_attrs = attrs;
                Snapshot on_disk;
                on_disk.text = saved;
                for (const Attr& a : attrs)
                    on_disk.push_run(1, a);
                saved_as = saved_typing(on_disk);
            }
            std::string& t = k < n_saved ? saved : journal_text;
            std::vector<Attr>& at = k < n_saved ? attrs : journal_attrs;
            const size_t pos = head.size() + rng() % (t.size() - head.size() + 1);
            t.insert(pos, 1, alphabet[rng() % alphabet.size()]);
            ms += rng() % 12;
            at.insert(
                at.begin() + static_cast<std::ptrdiff_t>(pos),
                Attr{kHumanOrigin, Evidence::Inferred, true, static_cast<uint32_t>(ms / 1000)});
        }
        Snapshot from;
        from.text = journal_text;
        for (const Attr& a : journal_attrs)
            from.push_run(1, a);
        const Snapshot to =
            carry_restored(from, saved, Attr{0, Evidence::None, true, 0}, OriginRecord{}, saved_as);
        REQUIRE(to.validate().ok());
        const auto got = to.expand();
        size_t wrong = 0;
        for (size_t i = head.size(); i < saved.size(); ++i)
            if (to.origins.class_of(got[i].origin) != OriginClass::Human &&
                !utf8::is_space(static_cast<unsigned char>(saved[i])))
                ++wrong;
        CHECK(wrong == 0);
    }
}

TEST_CASE("a reopen never takes saved typing that a checkout removed for the older text") {
    // An agent's line "ab", then a person deleted it and typed "xaby" (the journal: typing,
    // observed). The file is reopened holding "ab" again. After a save of the typing (then a
    // `git checkout -- FILE`) or without one (a crash lost it), "ab" is the agent's text, not
    // the typing that happens to spell it: never `human` (unknown is a gap, allowed).
    const OriginRecord agent{OriginClass::Ai, "claude-code", "agent", "m", "s", ""};
    const std::string head = "def f():\n    ab = 1\n";
    const std::string typed = "def f():\n    xaby = 1\n";
    for (const SavedTyping& saved :
         {SavedTyping{}, SavedTyping{1'800'000'005, 4}, SavedTyping{1'800'000'100, 0}}) {
        CAPTURE(saved.seen);
        Snapshot from;
        from.text = typed;
        const uint32_t ai = from.origins.intern(agent);
        const size_t x = typed.find("xaby");
        from.push_run(static_cast<uint32_t>(x), Attr{});
        from.push_run(4, Attr{kHumanOrigin, Evidence::Inferred, true, 1'800'000'005});
        from.push_run(static_cast<uint32_t>(typed.size() - x - 4),
                      Attr{ai, Evidence::Recorded, false, 1'800'000'000});
        const Snapshot to =
            carry_restored(from, head, Attr{0, Evidence::None, true, 0}, OriginRecord{}, saved);
        REQUIRE(to.validate().ok());
        const auto got = to.expand();
        const size_t a = head.find("ab");
        for (size_t i = a; i < a + 2; ++i) {
            CAPTURE(i);
            CHECK(to.origins.class_of(got[i].origin) != OriginClass::Human);
        }
    }
}

TEST_CASE("visible_per_line counts characters as classify_lines does, invalid UTF-8 too") {
    // A stray continuation byte, a truncated sequence, Latin-1, an emoji and whitespace: each
    // invalid byte is one character, so rewrites adjust `chars` by what attach counted.
    const std::string text = "a\x80 b\n\xe2\x82\t\xe9z\n\xf0\x9f\x98\x80 \r\n\n\x80";
    const auto per_line = utf8::visible_per_line(text);
    REQUIRE(per_line.size() == 6);
    CHECK(per_line[1] == 3); // a, \x80, b
    CHECK(per_line[2] == 4); // \xe2, \x82, \xe9, z (the truncated sequence is two characters)
    CHECK(per_line[3] == 1); // the emoji
    CHECK(per_line[4] == 0);
    CHECK(per_line[5] == 1); // a final line with no \n
    Snapshot s = Snapshot::uniform(text, kHumanRec, Evidence::Recorded, true);
    CharCounts chars;
    (void)classify_lines(s, &chars);
    uint64_t sum = 0;
    for (uint64_t n : per_line)
        sum += n;
    CHECK(chars.total() == sum);
}
