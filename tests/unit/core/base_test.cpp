// Unit tests: HEAD's text as a document's base (Document::set_base, head_meaning,
// restore_reopened) and a restore that arrives after edits (Document::apply_restored).
#include "core/base.h"
#include "core/document.h"

#include <doctest/doctest.h>

using namespace provenant;

namespace {

const OriginRecord kClaude{OriginClass::Ai, "claude-code", "agent", "claude-sonnet-4-5", "s2", ""};
constexpr uint32_t kNow = 1'800'000'000;

/// One letter per byte: a(i) h(uman) p(aste) u(nknown), upper case when fresh.
std::string classes(const Document& d) {
    const Snapshot s = d.snapshot();
    std::string out;
    for (const Attr& a : s.expand()) {
        char c = 'u';
        switch (s.origins.class_of(a.origin)) {
        case OriginClass::Ai:
            c = 'a';
            break;
        case OriginClass::Human:
            c = 'h';
            break;
        case OriginClass::Paste:
            c = 'p';
            break;
        case OriginClass::Unknown:
            break;
        }
        out += a.fresh ? static_cast<char>(c - 'a' + 'A') : c;
    }
    return out;
}

/// HEAD's "a = 1\nb = 2\n" with its first line committed as the agent's.
std::shared_ptr<const Snapshot> head_base() {
    Snapshot s;
    s.text = "a = 1\nb = 2\n";
    const uint32_t ai = s.origins.intern(kClaude);
    s.push_run(6, Attr{ai, Evidence::Recorded, false, kNow - 100});
    s.push_run(6, Attr{});
    return std::make_shared<const Snapshot>(std::move(s));
}

TextRange rng(uint32_t l0, uint32_t c0, uint32_t l1, uint32_t c1) {
    return {{l0, c0}, {l1, c1}};
}

} // namespace

TEST_CASE("a reload back to HEAD's text is HEAD's, not typing") {
    const auto base = head_base();
    Document d(*base, 1, PositionEncoding::Utf8);
    d.set_clock([] { return kNow; });
    d.set_base(base);
    SUBCASE("full text") {
        // A reload of an outside change to line 2 (one small place: taken as typing).
        REQUIRE(d.apply_change(2, std::nullopt, "a = 1\nb = 3\n"));
        CHECK(classes(d) == "aaaaaauuuuHu");
        // `git checkout -- FILE`, reloaded: the text is HEAD's again.
        REQUIRE(d.apply_change(3, std::nullopt, "a = 1\nb = 2\n"));
        CHECK(classes(d) == "aaaaaauuuuuu");
        CHECK(d.take_base_reset() == kNow);
        CHECK(!d.take_base_reset());
    }
    SUBCASE("one range replaced, as VS Code sends a reload") {
        REQUIRE(d.apply_change(2, rng(1, 0, 2, 0), "b = 345\n"));
        CHECK(classes(d) == "aaaaaauuuuHHHu");
        REQUIRE(d.apply_change(3, rng(1, 0, 2, 0), "b = 2\n"));
        CHECK(classes(d) == "aaaaaauuuuuu");
        CHECK(d.take_base_reset());
    }
    SUBCASE("an agent's text the reload keeps is HEAD's") {
        REQUIRE(d.apply_change(2, std::nullopt, "a = 1\nb = 3\n"));
        REQUIRE(d.annotate(2, kClaude, {rng(1, 0, 1, 5)})); // the agent's "b = 3"
        REQUIRE(d.apply_change(3, std::nullopt, "a = 1\nb = 2\n"));
        CHECK(classes(d) == "aaaaaauuuuuu");
    }
    SUBCASE("an agent's reloaded line removed again") {
        REQUIRE(d.apply_change(2, std::nullopt, "a = 1\nb = 2\nc = compute(a, b) * 2 + offset\n"));
        REQUIRE(d.apply_change(3, rng(2, 0, 3, 0), ""));
        CHECK(classes(d) == "aaaaaauuuuuu");
        CHECK(d.take_base_reset());
    }
}

TEST_CASE("typing is never HEAD's: keystrokes that spell HEAD's text again stay typed") {
    const auto base = head_base();
    Document d(*base, 1, PositionEncoding::Utf8);
    d.set_clock([] { return kNow; });
    d.set_base(base);
    // The person deletes the agent's "1" and types it again: the text is HEAD's, the "1" is
    // the person's (a keystroke), never the agent's.
    REQUIRE(d.apply_change(2, rng(0, 4, 0, 5), ""));
    REQUIRE(d.apply_change(3, rng(0, 4, 0, 4), "1"));
    CHECK(classes(d) == "aaaaHauuuuuu");
    CHECK(!d.take_base_reset());
    // A line equal to one of HEAD's typed elsewhere: not HEAD's text as a whole.
    REQUIRE(d.apply_change(4, rng(2, 0, 2, 0), "a"));
    CHECK(classes(d) == "aaaaHauuuuuuH");
    CHECK(!d.take_base_reset());
}

TEST_CASE("head_meaning keeps the entry's committed attribution, never its pending evidence") {
    // The entry: line 1 committed by the agent (not fresh), line 2 an agent's pending rewrite.
    Snapshot entry;
    entry.text = "a = 1\nb = 2\n";
    const uint32_t ai = entry.origins.intern(kClaude);
    entry.push_run(6, Attr{ai, Evidence::Recorded, false, kNow - 100});
    entry.push_run(6, Attr{ai, Evidence::Recorded, true, kNow});
    const Snapshot h = head_meaning(&entry, "a = 1\nb = 2\n");
    Document d(h, 1, PositionEncoding::Utf8);
    CHECK(classes(d) == "aaaaaauuuuuu");
    CHECK(classes(Document(head_meaning(nullptr, "x\n"), 1, PositionEncoding::Utf8)) == "uu");
}

TEST_CASE("head_meaning carries no span that HEAD's changed lines spell twice") {
    // Property seed 8096, step 143, reduced. HEAD holds an agent's line and, after it, a
    // person's near copy of it (one character differs). Since the commit the person deleted
    // the agent's line and typed into their own copy: the entry holds only that copy, human and
    // committed but for the word typed since. Its long common part is in both of HEAD's lines;
    // the diff's first choice put it on the agent's line, which came out `human`.
    const std::string agent_line =
        "    if in FEAT= load(path).srip().loload(path).strip().lower()wer()URE V = item "
        "inVERSION\n";
    const std::string typed_line =
        "   i if in FEAT= load(path).srip().loload(path).strip().lower()wer()URE V = item "
        "inVERSION\n";
    const std::string edited_line =
        "   i if in FEAT= load(path).srip().loload(path).strip().lower()wer()URE V cart= item "
        "inVERSION\n";
    const std::string top = "def f(items):\n";
    Snapshot entry;
    entry.text = top + edited_line;
    const size_t cart = edited_line.find("cart");
    entry.push_run(static_cast<uint32_t>(top.size()), Attr{});
    entry.push_run(static_cast<uint32_t>(cart),
                   Attr{kHumanOrigin, Evidence::Inferred, false, kNow});
    entry.push_run(4, Attr{kHumanOrigin, Evidence::Inferred, true, kNow + 60});
    entry.push_run(static_cast<uint32_t>(edited_line.size() - cart - 4),
                   Attr{kHumanOrigin, Evidence::Inferred, false, kNow});
    const std::string head = top + agent_line + typed_line;
    Document d(head_meaning(&entry, head), 1, PositionEncoding::Utf8);
    const std::string got = classes(d).substr(top.size(), agent_line.size());
    // Nothing tells which of HEAD's two lines the entry's copy is: a gap, never the person's.
    CHECK(got.find('h') == std::string::npos);
}

TEST_CASE("head_meaning carries no line that equals another of HEAD's only but for spaces") {
    // Issue 9 §3, property seed 6096, step 122, reduced. HEAD holds an agent's committed line
    // and a person's line that differs from it only in spaces once the agent's trailing " i"
    // is gone. Since the commit the person deleted that "i" and rewrote their own line: the
    // entry holds the agent's line, committed, without its "i". A whitespace-blind line diff
    // from the entry to HEAD put it on the person's line, which came out `ai` after a
    // `git checkout -f`. Only lines equal byte for byte (or long spans) are the same text.
    const std::string top = "def f(items):\n";
    const std::string agent_line = "    d iteims:ef forf(items):for i\n";
    const std::string typed_line = "d iteims:ef forf(items):for\n";
    const std::string edited_line = "    d iteims:ef forf(items):for \n";
    Snapshot entry;
    entry.text = top + edited_line + "    x = 1\n";
    const uint32_t ai = entry.origins.intern(kClaude);
    entry.push_run(static_cast<uint32_t>(top.size()), Attr{});
    entry.push_run(static_cast<uint32_t>(edited_line.size()),
                   Attr{ai, Evidence::Recorded, false, kNow});
    entry.push_run(10, Attr{kHumanOrigin, Evidence::Inferred, true, kNow + 60});
    const std::string head = top + agent_line + typed_line;
    Document d(head_meaning(&entry, head), 1, PositionEncoding::Utf8);
    const std::string got = classes(d).substr(top.size() + agent_line.size(), typed_line.size());
    CHECK(got.find('a') == std::string::npos);
}

TEST_CASE("a reopen after a checkout: HEAD's text takes none of the entry's pending evidence") {
    // HEAD: "def f():\n    return 0\n". The entry (the agent's uncommitted work) holds HEAD's
    // line 2 again, as a line the agent wrote (it moved it), and a new line.
    const std::string head = "def f():\n    return 0\n";
    Snapshot entry;
    entry.text = "def f():\nx = compute()\n    return 0\n";
    const uint32_t ai = entry.origins.intern(kClaude);
    entry.push_run(9, Attr{});
    entry.push_run(static_cast<uint32_t>(entry.text.size() - 9),
                   Attr{ai, Evidence::Recorded, true, kNow});
    SUBCASE("the file is HEAD's: nothing is the agent's") {
        const Restore r = restore_reopened(entry, head, SavedTyping{}, &head);
        CHECK(r.entry_stale);
        CHECK(classes(Document(r.snapshot, 1, PositionEncoding::Utf8)) ==
              std::string(head.size(), 'u'));
        // Without HEAD (the old rule): the line HEAD explains took the agent's evidence.
        const Restore old = restore_reopened(entry, head, SavedTyping{}, nullptr);
        CHECK(!old.entry_stale);
        CHECK(classes(Document(old.snapshot, 1, PositionEncoding::Utf8)).find('A') !=
              std::string::npos);
    }
    SUBCASE("text HEAD does not explain may take it by whole lines") {
        const std::string file = "def f():\nx = compute()\n";
        const Restore r = restore_reopened(entry, file, SavedTyping{}, &head);
        CHECK(r.entry_stale);
        CHECK(classes(Document(r.snapshot, 1, PositionEncoding::Utf8)) ==
              "uuuuuuuuu" + std::string(14, 'A'));
    }
    SUBCASE("the entry's own text is restored as it is") {
        const Restore r = restore_reopened(entry, entry.text, SavedTyping{}, &head);
        CHECK(!r.entry_stale);
        CHECK(classes(Document(r.snapshot, 1, PositionEncoding::Utf8)) ==
              "uuuuuuuuu" + std::string(entry.text.size() - 9, 'A'));
    }
}

TEST_CASE("a restore that arrives after edits keeps what they observed") {
    // Opened at version 1 with no attribution yet; the person types and deletes before the
    // journal's restore of version 1 arrives.
    Document d("abc\ndef\n", 1, PositionEncoding::Utf8);
    d.set_clock([] { return kNow; });
    REQUIRE(d.apply_change(2, rng(0, 0, 0, 0), "X")); // typed at the start
    REQUIRE(d.apply_change(3, rng(1, 0, 1, 1), ""));  // "d" deleted
    REQUIRE(d.apply_change(4, rng(1, 1, 1, 1), "Y")); // typed inside "ef"
    Snapshot restored = Snapshot::uniform("abc\ndef\n", kClaude, Evidence::Recorded, true);
    REQUIRE(d.apply_restored(1, restored) == Document::Restored::Exact);
    CHECK(d.text() == "Xabc\neYf\n");
    CHECK(classes(d) == "HAAAAAHAA");
    // A restore that does not fit its version is refused.
    CHECK(d.apply_restored(4, restored) == Document::Restored::Misfit);
}

TEST_CASE("a restore that arrives after many edits still maps through every one of them") {
    // A restart after a crash: the saved file holds the person's typing of earlier sessions
    // (the journal's entry, restored at open). On a loaded machine the restore arrives after
    // the person typed on, on the same lines, more edits than the ordinary history keeps (64
    // versions): it must still map exactly, not fall back to a merge by whole lines that
    // leaves every line edited meanwhile `unknown`.
    const std::string opened = "// header\nsaved one\nsaved two\n";
    // The typed lines as the earlier session saw them (typing, observed).
    Snapshot restored;
    restored.text = opened;
    const Attr typed{kHumanOrigin, Evidence::Inferred, true, kNow - 100};
    restored.push_run(10, Attr{});
    restored.push_run(9, typed);
    restored.push_run(1, Attr{});
    restored.push_run(9, typed);
    restored.push_run(1, Attr{});
    REQUIRE(restored.validate());
    for (bool expected : {true, false}) {
        CAPTURE(expected);
        Document d(opened, 1, PositionEncoding::Utf8);
        d.set_clock([] { return kNow; });
        if (expected) d.expect_restore();
        // 200 keystrokes typed into both saved lines (the restore has not arrived).
        int64_t v = 1;
        for (int i = 0; i < 100; ++i) {
            REQUIRE(d.apply_change(++v, rng(1, 5, 1, 5), "x"));
            REQUIRE(d.apply_change(++v, rng(2, 0, 2, 0), "y"));
        }
        // (Without expect_restore it falls back to absorb(), a merge by content.)
        const Document::Restored applied = d.apply_restored(1, restored);
        REQUIRE(applied == (expected ? Document::Restored::Exact : Document::Restored::Merged));
        const std::string got = classes(d);
        CAPTURE(got);
        if (expected) {
            // Every byte of the saved lines is the person's: the restored typing and the new.
            CHECK(got ==
                  "uuuuuuuuuu" + std::string(9 + 100, 'H') + "u" + std::string(100 + 9, 'H') + "u");
        } else {
            // Without expect_restore the ordinary history (64 versions) no longer reaches the
            // open: the fallback merge by content cannot place the restored typing of lines
            // edited since (a gap, which is why the server expects its restores).
            CHECK(got !=
                  "uuuuuuuuuu" + std::string(9 + 100, 'H') + "u" + std::string(100 + 9, 'H') + "u");
        }
    }
}

TEST_CASE("edits inserted before a late restore keep their own attribution, in order") {
    // The replay onto the restored text marks what each later edit inserted, also text
    // inserted and then deleted again, or inserted inside an earlier insert.
    Document d("abcdef\n", 1, PositionEncoding::Utf8);
    d.set_clock([] { return kNow; });
    d.expect_restore();
    REQUIRE(d.apply_change(2, rng(0, 3, 0, 3), "XY")); // abcXYdef
    REQUIRE(d.apply_change(3, rng(0, 4, 0, 4), "Z"));  // abcXZYdef
    REQUIRE(d.apply_change(4, rng(0, 0, 0, 2), ""));   // cXZYdef
    REQUIRE(d.apply_change(5, rng(0, 6, 0, 6), "W"));  // cXZYdeWf
    Snapshot restored = Snapshot::uniform("abcdef\n", kClaude, Evidence::Recorded, true);
    REQUIRE(d.apply_restored(1, restored) == Document::Restored::Exact);
    CHECK(d.text() == "cXZYdeWf\n");
    CHECK(classes(d) == "AHHHAAHAA");
}

TEST_CASE("after a commit moved HEAD, the committed lines are not new any more") {
    // HEAD had "a = 1\n"; the agent's "c = 3\n" is pending (fresh) when it is committed.
    Snapshot before;
    before.text = "a = 1\n";
    before.push_run(6, Attr{});
    Snapshot doc_text;
    doc_text.text = "a = 1\nc = 3\n";
    const uint32_t ai = doc_text.origins.intern(kClaude);
    doc_text.push_run(6, Attr{});
    doc_text.push_run(6, Attr{ai, Evidence::Recorded, true, kNow - 10});
    // HEAD after the commit, with the commit's meaning (the attach retired the entry's line).
    Snapshot after;
    after.text = "a = 1\nc = 3\n";
    const uint32_t ai2 = after.origins.intern(kClaude);
    after.push_run(6, Attr{});
    after.push_run(6, Attr{ai2, Evidence::Recorded, false, kNow - 10});
    for (bool use_rebase : {true, false}) {
        CAPTURE(use_rebase);
        Document d(doc_text, 1, PositionEncoding::Utf8);
        d.set_clock([] { return kNow; });
        d.set_base(std::make_shared<const Snapshot>(before));
        CHECK(classes(d) == "uuuuuuAAAAAA");
        // A line typed after the commit, before the sidecar sees the commit: it stays new.
        REQUIRE(d.apply_change(2, rng(2, 0, 2, 0), "d"));
        if (use_rebase)
            d.rebase(std::make_shared<const Snapshot>(after));
        else
            d.set_base(std::make_shared<const Snapshot>(after));
        if (use_rebase) {
            CHECK(classes(d) == "uuuuuuaaaaaaH");
            // HEAD unchanged (another writer's entry change): nothing more is taken.
            REQUIRE(d.apply_change(3, rng(1, 0, 1, 0), "e"));
            d.rebase(std::make_shared<const Snapshot>(after));
            CHECK(classes(d) == "uuuuuuHaaaaaaH");
        } else {
            CHECK(classes(d) == "uuuuuuAAAAAAH"); // the old behaviour: still pending
        }
    }
}

TEST_CASE("rebase takes the diff made off the documents thread, only for the text it is of") {
    // JournalSync's poll makes the rebase's diff on the journal thread, for the entry's text
    // (HeadShare). The document uses it when that is still its text; edited since, it diffs
    // itself. (A share with no kept ranges shows which one was used.)
    const std::string head = "a = 1\nc = 3\n";
    auto after = std::make_shared<const Snapshot>(
        Snapshot::uniform(head, kClaude, Evidence::Recorded, false));
    auto before = std::make_shared<const Snapshot>(
        Snapshot::uniform("a = 1\n", OriginRecord{}, Evidence::None, false));
    const Snapshot pending = Snapshot::uniform(head, kClaude, Evidence::Recorded, true);
    const HeadShare computed{head, shared_with_head(head, head)};
    REQUIRE(computed.kept == std::vector<std::pair<size_t, size_t>>{{0, head.size()}});
    const HeadShare none{head, {}};
    for (const HeadShare* share : {&computed, &none}) {
        Document d(pending, 1, PositionEncoding::Utf8);
        d.set_base(before);
        d.rebase(after, share);
        CHECK(classes(d) == (share == &computed ? "aaaaaaaaaaaa" : "AAAAAAAAAAAA"));
    }
    // Edited since the share was made: it is not of this text, and the document diffs itself.
    Document d(pending, 1, PositionEncoding::Utf8);
    d.set_clock([] { return kNow; });
    d.set_base(before);
    REQUIRE(d.apply_change(2, rng(2, 0, 2, 0), "d"));
    d.rebase(after, &none);
    CHECK(classes(d) == "aaaaaaaaaaaaH");
}

TEST_CASE("a reload that brings back the text a reload to HEAD threw away gets its class back") {
    // `git stash`, then `git stash pop`, with the file open: the stash's reload makes the text
    // HEAD's (HEAD's meaning), the pop's reload brings back exactly the text it threw away. An
    // agent changed one character of line 1 (its hook and the editor reload); the pop inserts that
    // one character, the size of a keystroke: it is not typing (a reload is a replacement), it is
    // the agent's again. Old code: the pop's character was typed (`human`), so the agent's
    // line came back a person's. Keystrokes after the reload stay typing.
    const auto base = head_base();
    Document d(*base, 1, PositionEncoding::Utf8);
    uint32_t now = kNow;
    d.set_clock([&now] { return now; });
    d.set_base(base);
    // The agent's edit, "b = 2" -> "b = 20", and its record (the journal's, merged by absorb).
    const std::string agent = "a = 1\nb = 20\n";
    REQUIRE(d.apply_change(2, std::nullopt, agent));
    {
        Snapshot rec = d.snapshot();
        const uint32_t ai = rec.origins.intern(kClaude);
        Snapshot r;
        r.text = rec.text;
        r.origins = rec.origins;
        r.push_run(6, rec.runs[0].attr);
        r.push_run(5, Attr{});
        r.push_run(1, Attr{ai, Evidence::Recorded, true, kNow}); // the reload race
        r.push_run(1, Attr{});
        (void)d.absorb(r);
    }
    const std::string with_agent = classes(d);
    CHECK(with_agent == "aaaaaauuuuuAu");
    now = kNow + 5;
    SUBCASE("full text") {
        REQUIRE(d.apply_change(3, std::nullopt, base->text)); // git stash
        CHECK(classes(d) == "aaaaaauuuuuu");
        now = kNow + 8;
        REQUIRE(d.apply_change(4, std::nullopt, agent)); // git stash pop
        CHECK(classes(d) == with_agent);
    }
    SUBCASE("a change over the line, as VS Code sends a reload") {
        REQUIRE(d.apply_change(3, rng(1, 0, 2, 0), "b = 2\n"));
        CHECK(classes(d) == "aaaaaauuuuuu");
        REQUIRE(d.apply_change(4, rng(1, 0, 2, 0), "b = 20\n"));
        CHECK(classes(d) == with_agent);
    }
    SUBCASE("typed back, it is typing") {
        REQUIRE(d.apply_change(3, std::nullopt, base->text));
        REQUIRE(d.apply_change(4, rng(1, 5, 1, 5), "0"));
        CHECK(classes(d) == "aaaaaauuuuuHu");
    }
}

TEST_CASE("typing that was a reload from disk is no one's: unknown, or HEAD's text again") {
    // An editor reloading a changed file a hunk at a time sends hunks the size of typing; the
    // session finds the file held that text before they came (reloads.cpp) and says since
    // when. Old code: no way to take the inference back, the hunks stayed `human`.
    const auto base = head_base();
    Document d(*base, 1, PositionEncoding::Utf8);
    uint32_t now = kNow;
    d.set_clock([&now] { return now; });
    d.set_base(base);
    REQUIRE(d.apply_change(2, rng(2, 0, 2, 0), "x")); // typed a while before the write
    CHECK(d.last_typed_version() == 2);
    now = kNow + 30;
    SUBCASE("text HEAD does not explain: unknown, typing before the write kept") {
        REQUIRE(d.apply_change(3, rng(1, 0, 1, 0), "z = 9\n")); // the reload's hunk
        CHECK(d.last_typed_version() == 3);
        CHECK(classes(d) == "aaaaaaHHHHHHuuuuuuH");
        CHECK(d.reloaded_from_disk(2, 3, kNow + 29));
        CHECK(classes(d) == "aaaaaaUUUUUUuuuuuuH");
        CHECK(!d.reloaded_from_disk(2, 3, kNow + 29)); // nothing left to take back
        CHECK(!d.take_base_reset());
    }
    SUBCASE("text that is HEAD's again takes HEAD's meaning") {
        REQUIRE(d.apply_change(3, rng(2, 0, 2, 1), "")); // the reload removes the "x"
        REQUIRE(d.apply_change(4, rng(0, 4, 0, 5), "")); // and rewrites the agent's "1"
        REQUIRE(d.apply_change(5, rng(0, 4, 0, 4), "1"));
        CHECK(classes(d) == "aaaaHauuuuuu");
        CHECK(d.reloaded_from_disk(2, 5, kNow + 30));
        CHECK(classes(d) == "aaaaaauuuuuu");
        CHECK(d.take_base_reset() == kNow + 30);
    }
}

TEST_CASE("a reload's own edits are taken by version: typing in the same second keeps its own") {
    // An agent writes the file, the editor reloads it a hunk at a time, and the person typed
    // just before (and goes on typing just after), all in one second. The reload is exactly
    // the edits after the version the document had when the file was written, up to the one
    // that made it the file's. Old code: every typing seen in the write's second was taken,
    // the person's too (`unknown`, a gap in everyday use).
    const auto base = head_base();
    Document d(*base, 1, PositionEncoding::Utf8);
    d.set_clock([] { return kNow; }); // one second throughout
    d.set_base(base);
    REQUIRE(d.apply_change(2, rng(2, 0, 2, 0), "x")); // the person types
    REQUIRE(d.apply_change(3, rng(2, 1, 2, 1), "y"));
    // The file is written here (the document at version 3); the editor reloads its hunk.
    REQUIRE(d.apply_change(4, rng(1, 0, 1, 0), "z = 9\n"));
    CHECK(d.last_typed_version() == 4);
    CHECK(classes(d) == "aaaaaaHHHHHHuuuuuuHH");
    SUBCASE("only the reload's hunk") {
        CHECK(d.reloaded_from_disk(3, 4, kNow));
        CHECK(classes(d) == "aaaaaaUUUUUUuuuuuuHH");
        CHECK(!d.reloaded_from_disk(3, 4, kNow)); // nothing left to take back
    }
    SUBCASE("typing after it, before and inside it, keeps its own") {
        // During the grace period the person types at the start and inside the reloaded line,
        // and deletes part of it: the later edits move and cut the reload's range.
        REQUIRE(d.apply_change(5, rng(0, 0, 0, 0), "q"));
        REQUIRE(d.apply_change(6, rng(1, 2, 1, 2), "w"));
        REQUIRE(d.apply_change(7, rng(1, 0, 1, 1), ""));
        CHECK(d.text() == "qa = 1\n w= 9\nb = 2\nxy");
        CHECK(classes(d) == "HaaaaaaHHHHHHuuuuuuHH");
        CHECK(d.reloaded_from_disk(3, 4, kNow));
        CHECK(classes(d) == "HaaaaaaUHUUUUuuuuuuHH");
    }
    SUBCASE("several hunks, the last one first") {
        REQUIRE(d.apply_change(5, rng(3, 2, 3, 2), "t = 0\n")); // another hunk, after the typing
        CHECK(d.text() == "a = 1\nz = 9\nb = 2\nxyt = 0\n");
        CHECK(d.reloaded_from_disk(3, 5, kNow));
        CHECK(classes(d) == "aaaaaaUUUUUUuuuuuuHHUUUUUU");
    }
    SUBCASE("a history that no longer reaches the write: all typing of that second (a gap)") {
        CHECK(d.reloaded_from_disk(0, 4, kNow));
        CHECK(classes(d) == "aaaaaaUUUUUUuuuuuuUU");
    }
}

TEST_CASE("a line deleted before a late restore, then brought back, gets the restored origin") {
    // Opened at version 1; the line is deleted before the journal's restore of version 1
    // arrives (it says the agent wrote it); then an undo or a reload brings exactly that line
    // back. Old code: the deleted-span store held it as the document had it then (`unknown`,
    // before the restore), so it came back `unknown`.
    const std::string opened = "x = 1\ny = compute(x)\n";
    Document d(opened, 1, PositionEncoding::Utf8);
    d.set_clock([] { return kNow; });
    d.expect_restore();
    REQUIRE(d.apply_change(2, rng(1, 0, 2, 0), ""));  // the line is deleted
    REQUIRE(d.apply_change(3, rng(0, 0, 0, 0), "#")); // and something typed
    Snapshot restored;
    restored.text = opened;
    const uint32_t ai = restored.origins.intern(kClaude);
    restored.push_run(6, Attr{});
    restored.push_run(15, Attr{ai, Evidence::Recorded, true, kNow - 100});
    REQUIRE(d.apply_restored(1, restored) == Document::Restored::Exact);
    CHECK(classes(d) == "Huuuuuu");
    SUBCASE("an undo") {
        REQUIRE(d.apply_change(4, rng(1, 0, 1, 0), "y = compute(x)\n", EditReason::Undo));
    }
    SUBCASE("a reload's insert") {
        REQUIRE(d.apply_change(4, rng(1, 0, 1, 0), "y = compute(x)\n"));
    }
    CHECK(classes(d) == "Huuuuuu" + std::string(15, 'A'));
}

TEST_CASE("a late restore gives deleted text its origin only where it had none") {
    // Text typed since the open and deleted with the restored text keeps what it had.
    Document d("abc\n", 1, PositionEncoding::Utf8);
    d.set_clock([] { return kNow; });
    d.expect_restore();
    REQUIRE(d.apply_change(2, rng(0, 1, 0, 1), "X")); // aXbc
    REQUIRE(d.apply_change(3, rng(0, 0, 0, 4), ""));  // "aXbc" deleted
    Snapshot restored = Snapshot::uniform("abc\n", kClaude, Evidence::Recorded, true);
    REQUIRE(d.apply_restored(1, restored) == Document::Restored::Exact);
    REQUIRE(d.apply_change(4, rng(0, 0, 0, 0), "aXbc", EditReason::Undo));
    CHECK(classes(d) == "AHAAA");
}

TEST_CASE("the text a reset to HEAD threw away is remembered as it was, not as the reset left it") {
    // Property seed 5014, reduced. HEAD's line 2 is codex's; claude-code rewrites it into a line
    // that keeps a span of it (its hook's record says the whole line is its own). `git stash`
    // is reloaded (two places: no typing): the reload's line equals the line the agent's write
    // replaced a version before, so the moved-line match gives it codex's runs, and it is HEAD's
    // text. `git stash pop` brings back exactly the text the stash threw away. Old code rebuilt
    // that text from the text after the stash, so the characters the stash kept came back with
    // the labels the stash gave them (codex): the agent's line came back half codex's.
    const OriginRecord codex{OriginClass::Ai, "codex", "agent", "gpt-5-codex", "s3", ""};
    Snapshot head;
    head.text = "a = 1\n    FEATURE FEATURtax=rate)E\n";
    const uint32_t cx = head.origins.intern(codex);
    head.push_run(6, Attr{});
    head.push_run(29, Attr{cx, Evidence::Recorded, false, kNow - 100});
    const auto base = std::make_shared<const Snapshot>(head);
    Document d(head, 1, PositionEncoding::Utf8);
    uint32_t now = kNow;
    d.set_clock([&now] { return now; });
    d.set_base(base);
    int64_t v = 1;
    uint32_t at = 5;
    for (char c : std::string(" return")) { // the person types at the end of line 1
        REQUIRE(d.apply_change(++v, rng(0, at, 0, at), std::string(1, c)));
        ++at;
    }
    REQUIRE(d.apply_change(++v, rng(0, 0, 0, 1), "")); // and deletes its first character
    const std::string agent = " = 1 return\n    sum( FEATURtax=rate)E\n";
    REQUIRE(d.apply_change(++v, std::nullopt, agent)); // the agent's write, reloaded
    {
        // The agent's record of its whole line, merged from the journal (the reload race).
        Snapshot rec = d.snapshot();
        const uint32_t ai = rec.origins.intern(kClaude);
        Snapshot r;
        r.text = rec.text;
        r.origins = rec.origins;
        r.push_run(12, Attr{});
        r.push_run(26, Attr{ai, Evidence::Recorded, true, kNow});
        (void)d.absorb(r);
    }
    const auto tools = [&d] {
        const Snapshot s = d.snapshot();
        std::string out;
        for (const Attr& a : s.expand()) {
            const OriginRecord& o = s.origins.at(a.origin);
            out += o.tool == "codex" ? 'x' : o.tool == "claude-code" ? 'c' : '.';
        }
        return out;
    };
    const std::string with_agent = tools();
    REQUIRE(with_agent == std::string(12, '.') + std::string(26, 'c'));
    now = kNow + 20;
    REQUIRE(d.apply_change(++v, std::nullopt, head.text)); // git stash, reloaded
    CHECK(tools() == "......" + std::string(29, 'x'));
    CHECK(d.take_base_reset());
    now = kNow + 40;
    SUBCASE("the pop as the whole text") {
        REQUIRE(d.apply_change(v + 1, std::nullopt, agent));
    }
    SUBCASE("the pop as one range, as VS Code sends it") {
        REQUIRE(d.apply_change(v + 1, rng(0, 0, 2, 0), agent));
    }
    CHECK(tools() == with_agent);
    CHECK(classes(d).substr(4, 7) == "HHHHHHH"); // the person's typing is the person's again
}

TEST_CASE("text that comes back after a reset takes what it had, not HEAD's committed typing") {
    // Property seed 5018, reduced. HEAD's line 2 is codex's with a word a person typed before
    // the commit (committed `human`, seen). claude-code rewrites the line, keeping that word
    // (its record says the whole line is its own). `git stash` makes the text HEAD's, with
    // HEAD's meaning; `git stash pop` brings back exactly the text the stash threw away. Old
    // code kept what looked like a person's typing at the pop, and HEAD's committed word is
    // such: the agent's characters came back `human`. Typing since the reset keeps its own.
    const OriginRecord codex{OriginClass::Ai, "codex", "agent", "gpt-5-codex", "s3", ""};
    Snapshot head;
    head.text = "a = 1\n    b = compute(items)\n";
    const uint32_t cx = head.origins.intern(codex);
    head.push_run(6, Attr{});
    head.push_run(16, Attr{cx, Evidence::Recorded, false, kNow - 300});
    head.push_run(5, Attr{kHumanOrigin, Evidence::Inferred, false, kNow - 200}); // "items"
    head.push_run(2, Attr{cx, Evidence::Recorded, false, kNow - 300});
    const auto base = std::make_shared<const Snapshot>(head);
    Document d(head, 1, PositionEncoding::Utf8);
    uint32_t now = kNow;
    d.set_clock([&now] { return now; });
    d.set_base(base);
    const std::string agent = "a = 1\n    c = compute(items)\n";
    REQUIRE(d.apply_change(2, std::nullopt, agent)); // the agent's write, reloaded
    {
        Snapshot rec = d.snapshot();
        const uint32_t ai = rec.origins.intern(kClaude);
        Snapshot r;
        r.text = rec.text;
        r.origins = rec.origins;
        r.push_run(6, Attr{});
        r.push_run(23, Attr{ai, Evidence::Recorded, true, kNow});
        (void)d.absorb(r);
    }
    CHECK(classes(d) == "uuuuuu" + std::string(23, 'A'));
    const Snapshot with_agent = d.snapshot();
    now = kNow + 20;
    REQUIRE(d.apply_change(3, std::nullopt, head.text)); // git stash, reloaded
    CHECK(classes(d) == "uuuuuu" + std::string(16, 'a') + "hhhhhaa");
    now = kNow + 40;
    SUBCASE("the pop") {
        REQUIRE(d.apply_change(4, std::nullopt, agent));
        CHECK(classes(d) == "uuuuuu" + std::string(23, 'A'));
        CHECK(d.snapshot().expand() == with_agent.expand());
    }
    SUBCASE("typed since the reset, then the pop") {
        // The person deletes "a" of line 1 and types it again: typing since the reset.
        REQUIRE(d.apply_change(4, rng(0, 0, 0, 1), ""));
        REQUIRE(d.apply_change(5, rng(0, 0, 0, 0), "a"));
        REQUIRE(d.apply_change(6, std::nullopt, agent));
        CHECK(classes(d) == "Huuuuu" + std::string(23, 'A'));
    }
}

TEST_CASE("a reload whose last change only deletes brings back the text a reset threw away") {
    // Property seed 8034, reduced: an editor reloads `git stash pop` a hunk at a time, and
    // the diff of the last hunk only deletes. Old code looked for the text it threw away only
    // after a change that inserts: the agent's line kept HEAD's meaning, a person's typing.
    Snapshot head;
    head.text = "a = compute(x, y)\n";
    head.push_run(18, Attr{kHumanOrigin, Evidence::Inferred, false, kNow - 200});
    const auto base = std::make_shared<const Snapshot>(head);
    Document d(head, 1, PositionEncoding::Utf8);
    uint32_t now = kNow;
    d.set_clock([&now] { return now; });
    d.set_base(base);
    const std::string agent = "a = compute(x)\n";
    REQUIRE(d.apply_change(2, std::nullopt, agent)); // the agent's write, reloaded
    {
        Snapshot r;
        r.text = agent;
        const uint32_t ai = r.origins.intern(kClaude);
        r.push_run(15, Attr{ai, Evidence::Recorded, true, kNow}); // the hook's record
        (void)d.absorb(r);
    }
    CHECK(classes(d) == std::string(15, 'A'));
    now = kNow + 20;
    REQUIRE(d.apply_change(3, std::nullopt, head.text)); // git stash, reloaded
    CHECK(classes(d) == std::string(18, 'h'));
    now = kNow + 40;
    REQUIRE(d.apply_change(4, rng(0, 0, 1, 0), agent)); // git stash pop: deletes ", y"
    CHECK(classes(d) == std::string(15, 'A'));
}

TEST_CASE("typing the deleted-span store gives back during a pop is not typing since the reset") {
    // Property seed 6007, reduced: the pop's reload, a change at a time, first inserts "for",
    // which the deleted-span store gives back as a person's (typed and deleted before the
    // stash), then the change that makes the text the one the stash threw away. Old code kept
    // any pending typing there: the agent's "for" stayed the person's.
    Snapshot head;
    head.text = "x = y)\nz\n";
    head.push_run(9, Attr{});
    const auto base = std::make_shared<const Snapshot>(head);
    Document d(head, 1, PositionEncoding::Utf8);
    uint32_t now = kNow;
    d.set_clock([&now] { return now; });
    d.set_base(base);
    const std::string agent = "x = for(y)\nz\n";
    REQUIRE(d.apply_change(2, std::nullopt, agent)); // the agent's write, reloaded
    {
        Snapshot r;
        r.text = agent;
        const uint32_t ai = r.origins.intern(kClaude);
        r.push_run(10, Attr{ai, Evidence::Recorded, true, kNow});
        r.push_run(3, Attr{});
        (void)d.absorb(r);
    }
    REQUIRE(d.apply_change(3, rng(1, 1, 1, 1), "f")); // the person types "for" and deletes it
    REQUIRE(d.apply_change(4, rng(1, 2, 1, 2), "o"));
    REQUIRE(d.apply_change(5, rng(1, 3, 1, 3), "r"));
    REQUIRE(d.apply_change(6, rng(1, 1, 1, 4), ""));
    const std::string with_agent = classes(d);
    CHECK(with_agent == std::string(10, 'A') + "uuu");
    now = kNow + 20;
    REQUIRE(d.apply_change(7, std::nullopt, head.text)); // git stash, reloaded
    now = kNow + 40;
    REQUIRE(d.apply_change(8, rng(0, 4, 0, 4), "for")); // the pop, a change at a time
    CHECK(classes(d).substr(4, 3) == "HHH");            // given back as the person's
    REQUIRE(d.apply_change(9, rng(0, 7, 0, 8), "(y"));
    CHECK(d.text() == agent);
    CHECK(classes(d) == with_agent);
}
