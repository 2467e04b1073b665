// Unit tests: the merge rules of issue 9 (docs/journal.md, "The merge rule"): what a document
// observed is never overruled by evidence carried from another text; carrying by content is by
// whole lines and long spans; the agent-write / reload race in both orders; stale evidence;
// moved lines in one change (Neovim's :%!sort, VS Code's Sort Lines and its undo / redo).
#include "core/carry.h"
#include "core/document.h"
#include "support/class_letters.h"

#include <doctest/doctest.h>

using namespace provenant;

namespace {

const OriginRecord kAgentA{OriginClass::Ai, "claude-code", "agent", "claude-sonnet-4-5", "sa", ""};
const OriginRecord kAgentB{OriginClass::Ai, "codex", "agent", "gpt-5-codex", "sb", ""};
const OriginRecord kPasteRec{OriginClass::Paste, {}, {}, {}, {}, {}};

constexpr uint32_t kT0 = 1'800'000'000; // a fixed "now" for the tests' clocks

TextRange rng(uint32_t l0, uint32_t c0, uint32_t l1, uint32_t c1) {
    return {{l0, c0}, {l1, c1}};
}
TextRange at(uint32_t l, uint32_t c) {
    return rng(l, c, l, c);
}

/// A journal snapshot of `text` where the bytes of `agent_text` (first occurrence) are the
/// agent's (recorded, fresh, observed at `seen`) and the rest is unknown base text.
Snapshot with_agent(const std::string& text, const std::string& agent_text,
                    const OriginRecord& agent, uint32_t seen) {
    Snapshot s;
    s.text = text;
    const uint32_t id = s.origins.intern(agent);
    const size_t at = text.find(agent_text);
    REQUIRE(at != std::string::npos);
    s.push_run(static_cast<uint32_t>(at), Attr{});
    s.push_run(static_cast<uint32_t>(agent_text.size()), Attr{id, Evidence::Recorded, true, seen});
    s.push_run(static_cast<uint32_t>(text.size() - at - agent_text.size()), Attr{});
    return s;
}

using test::class_letters;

/// The classes of the bytes of the first occurrence of `part` in the document.
std::string classes_of(const Document& d, const std::string& part) {
    const Snapshot s = d.snapshot();
    const size_t at = s.text.find(part);
    REQUIRE(at != std::string::npos);
    return class_letters(s).substr(at, part.size());
}

/// Types `text` at (line, col) one character per version, as an editor's keystrokes.
void type(Document& d, int64_t& version, uint32_t line, uint32_t col, const std::string& text) {
    for (char c : text) {
        REQUIRE(d.apply_change(++version, at(line, col), std::string(1, c)));
        if (c == '\n') {
            ++line;
            col = 0;
        } else {
            ++col;
        }
    }
}

/// The journal write of the sidecar (session::JournalSync::do_save) and the absorb it delivers.
Snapshot save(Document& d, const Snapshot& journal) {
    Snapshot stored = merge_evidence(d.snapshot(), journal);
    d.absorb(stored);
    return stored;
}

/// A person deletes the agent's line 1 and types `typed` in its place, long after the agent.
void retype_line(const std::string& agent_line, const std::string& typed) {
    const std::string text = "x = 1\n" + agent_line + "\ny = 2\n";
    const Snapshot journal = with_agent(text, agent_line, kAgentA, kT0);
    uint32_t now = kT0 + 600;
    Document d(text, 1, PositionEncoding::Utf16, &journal);
    d.set_clock([&] { return now; });
    CHECK(classes_of(d, agent_line) == std::string(agent_line.size(), 'a'));
    int64_t v = 1;
    REQUIRE(d.apply_change(++v, rng(1, 0, 2, 0), "")); // the line deleted (dd)
    type(d, v, 1, 0, typed + "\n");
    const std::string human(typed.size(), 'h');
    CHECK(classes_of(d, typed) == human);
    // The journal's older entry, merged by the save and absorbed back, changes nothing.
    const Snapshot stored = save(d, journal);
    CHECK(class_letters(stored).substr(6, typed.size()) == human);
    CHECK(classes_of(d, typed) == human);
    CHECK(!d.absorb(journal));
    // Nor does a restart that restores the document from what was stored.
    Document again(d.text(), 1, PositionEncoding::Utf16, &stored);
    CHECK(classes_of(again, typed) == human);
}

} // namespace

TEST_CASE("typed text that shares characters with an agent's old line is the person's") {
    retype_line("CONFLICT FEATURE VERSION", "CONFLICT MAIN VERSION");
    retype_line("    return sum(item.price for item in items)",
                "    return sum(i.price for i in items)");
    // Longer than kMinCarrySpan in common: the typing is still an observation.
    retype_line("    total_price_including_every_tax_and_fee = compute(order)",
                "    total_price_including_every_tax_and_fee = compute(cart)");
    // Retyped exactly, long after the agent wrote it: typing, not the agent's write.
    retype_line("    return sum(item.price for item in items)",
                "    return sum(item.price for item in items)");
}

TEST_CASE("carrying by content matches whole lines and long spans, never coincidences") {
    const std::string agent = "return sum(item.price for item in items)\n";
    const Snapshot from = with_agent("a\n" + agent, agent, kAgentA, kT0);
    const Attr none{};
    // A similar line: nothing of it is the agent's.
    CHECK(class_letters(carry(from, "a\nreturn sum(i.price for i in items)\n", none, {})) ==
          std::string(2 + 35, 'u'));
    // The same line re-indented: every non-whitespace character is.
    const Snapshot indented = carry(from, "a\n    " + agent, none, {});
    CHECK(class_letters(indented).substr(6, agent.size() - 1) ==
          std::string(agent.size() - 1, 'a'));
    // A long span kept inside a changed line (one word changed in a long line).
    const std::string longer =
        "configuration_value = load_settings_from_the_environment_or_the_file(defaults)\n";
    const Snapshot lf = with_agent(longer, longer, kAgentA, kT0);
    const std::string edited =
        "configuration_value = load_settings_from_the_environment_or_the_file(override)\n";
    const std::string got = class_letters(carry(lf, edited, none, {}));
    CHECK(got.substr(0, 64) == std::string(64, 'a'));
    CHECK(got.substr(edited.find("override"), 8) == "uuuuuuuu");
    // Short common ends are not kept.
    const Snapshot c =
        with_agent("CONFLICT FEATURE VERSION\n", "CONFLICT FEATURE VERSION\n", kAgentA, kT0);
    CHECK(class_letters(carry(c, "CONFLICT MAIN VERSION\n", none, {})) == std::string(22, 'u'));
}

TEST_CASE("a line equal to the other text's line is matched before one equal but for spaces") {
    // Property seed 8043, step 370 (a `git checkout -f` reopen): HEAD held an agent's line and,
    // after it, the person's line that differs from it only by a space; the entry held only
    // the person's line. The line diff, by whitespace-blind hashes, aligned the person's line
    // with the agent's one (the first equal but for whitespace), and HEAD's meaning gave the
    // agent's committed line the person's typing: `human`.
    const std::string agent = "    value = items: total load(path)\n";
    const std::string typed = "    value = items: totalload(path)\n";
    const std::string from_text = "x\n" + typed + "y\n";
    const Snapshot from = with_agent(from_text, typed, kAgentA, kT0);
    const std::string to = "x\n" + agent + typed + "y\n";
    const std::string got = class_letters(carry(from, to, Attr{}, {}));
    CHECK(got.substr(2, agent.size()) == std::string(agent.size(), 'u'));
    CHECK(got.substr(2 + agent.size(), typed.size()) == std::string(typed.size(), 'a'));
    // Either order.
    const std::string to2 = "x\n" + typed + agent + "y\n";
    const std::string got2 = class_letters(carry(from, to2, Attr{}, {}));
    CHECK(got2.substr(2, typed.size()) == std::string(typed.size(), 'a'));
    CHECK(got2.substr(2 + typed.size(), agent.size()) == std::string(agent.size(), 'u'));
    // With no exact partner, a re-spaced line still keeps its class (a re-indent).
    const std::string got3 = class_letters(carry(from, "x\n" + agent + "y\n", Attr{}, {}));
    CHECK(got3.substr(2 + 4, 5) == "aaaaa");
}

TEST_CASE("a long common span counts line by line: a short end of another line is no carry") {
    // Property seed 5028, step 178, reduced: the entry holds an agent's line and a changed
    // line after it; the document holds, in its place, a line a person typed earlier that
    // ends as the agent's line does. The span " 0tem.price items:)\n" + the next line's long
    // head is over kMinCarrySpan bytes, but its first part is a coincidence of two different
    // lines: it must not carry the agent's (later) observation onto the typed characters.
    const std::string shared =
        "    shared_setting = load_settings_from_the_environment_or_the_file(defaults)";
    const std::string agent_line = "    tax = rate * 0tem.price items:)\n";
    const std::string typed_line = "    typed in 0tem.price items:)\n";
    Snapshot entry;
    entry.text = agent_line + shared + " OLD\n";
    const uint32_t a = entry.origins.intern(kAgentA), b = entry.origins.intern(kAgentB);
    entry.push_run(static_cast<uint32_t>(agent_line.size()),
                   Attr{a, Evidence::Recorded, true, kT0 + 600});
    entry.push_run(static_cast<uint32_t>(shared.size() + 5),
                   Attr{b, Evidence::Recorded, true, kT0});
    const std::string text = typed_line + shared + " NEW\n";
    // Carried by content: nothing of the agent's line, the shared line's long head.
    const std::string carried = class_letters(carry(entry, text, Attr{}, {}));
    CHECK(carried.substr(0, typed_line.size()) == std::string(typed_line.size(), 'u'));
    CHECK(carried.substr(typed_line.size() + 4, 64) == std::string(64, 'a'));
    // The journal's merge with the document that typed the line (before the agent wrote its
    // own): the typed line stays the person's.
    Snapshot ours;
    ours.text = text;
    ours.push_run(4, Attr{kHumanOrigin, Evidence::Inferred, true, kT0});
    ours.push_run(static_cast<uint32_t>(typed_line.size() - 4),
                  Attr{kHumanOrigin, Evidence::Inferred, true, kT0 + 1});
    ours.push_run(static_cast<uint32_t>(shared.size() + 5), Attr{});
    const std::string merged = class_letters(merge_evidence(ours, entry));
    CHECK(merged.substr(0, typed_line.size()) == std::string(typed_line.size(), 'h'));
    CHECK(merged.substr(typed_line.size() + 4, 64) == std::string(64, 'a'));
}

TEST_CASE("an agent's write reloaded by the editor is the agent's, in either order") {
    const std::string before = "def f():\n    return 1\n";
    const std::string after = "def f():\n    return 2\n"; // a one-character change: "typing"
    const Snapshot hook = with_agent(after, "2", kAgentA, kT0);
    SUBCASE("hook first, then the reload") {
        uint32_t now = kT0;
        Document d(before, 1, PositionEncoding::Utf16);
        d.set_clock([&] { return now; });
        d.absorb(hook); // the poll: nothing of it applies to the old text
        now = kT0 + 1;
        REQUIRE(d.apply_change(2, std::nullopt, after)); // the reload
        CHECK(classes_of(d, "2") == "h");                // looks like typing until merged
        const Snapshot stored = save(d, hook);
        CHECK(classes_of(d, "2") == "a");
        CHECK(class_letters(stored).substr(after.find('2'), 1) == "a");
    }
    SUBCASE("reload first, then the hook") {
        uint32_t now = kT0 - 1;
        Document d(before, 1, PositionEncoding::Utf16);
        d.set_clock([&] { return now; });
        REQUIRE(d.apply_change(2, std::nullopt, after));
        const Snapshot saved = d.snapshot();
        // The hook merges its record with the entry the sidecar saved (record_edit).
        const Snapshot entry = merge_evidence(hook, saved);
        CHECK(class_letters(entry).substr(after.find('2'), 1) == "a");
        d.absorb(entry);
        CHECK(classes_of(d, "2") == "a");
    }
    SUBCASE("the same text typed well after the agent's write is the person's") {
        uint32_t now = kT0 + 60;
        Document d(before, 1, PositionEncoding::Utf16);
        d.set_clock([&] { return now; });
        REQUIRE(d.apply_change(2, rng(1, 11, 1, 12), "2"));
        save(d, hook);
        CHECK(classes_of(d, "2") == "h");
    }
}

TEST_CASE("prevails is an order: the merge does not depend on which report is the base") {
    const Attr typed{kHumanOrigin, Evidence::Inferred, true, kT0};
    const Attr agent{3, Evidence::Recorded, true, kT0 + 5};
    const Attr late_agent{3, Evidence::Recorded, true, kT0 + 100};
    const Attr carried_agent{3, Evidence::Recorded, true, 0};
    const Attr unknown{};
    const OriginRecord human{OriginClass::Human, {}, {}, {}, {}, {}};
    auto both = [&](const Attr& a, const Attr& b) {
        const OriginRecord& ra = a.origin == 3 ? kAgentA : a.origin == 1 ? human : OriginRecord{};
        const OriginRecord& rb = b.origin == 3 ? kAgentA : b.origin == 1 ? human : OriginRecord{};
        return std::pair{prevails(a, ra, b, rb), prevails(b, rb, a, ra)};
    };
    CHECK(both(agent, typed) == std::pair{true, false});         // the race: the record
    CHECK(both(typed, carried_agent) == std::pair{true, false}); // observation over carry
    CHECK(both(late_agent, typed) == std::pair{true, false});    // written again later
    CHECK(both(typed, unknown) == std::pair{true, false});
}

TEST_CASE("stale evidence: gone text does not come back onto similar text; exact text may") {
    const std::string agent_line = "    return sum(item.price for item in items)\n";
    const std::string head = "def total(items):\n    pass\n";
    const std::string worked = "def total(items):\n" + agent_line;
    const Snapshot entry = with_agent(worked, agent_line, kAgentA, kT0);
    // git checkout -f: the file is HEAD again; the entry survives. Opened, then similar typing.
    uint32_t now = kT0 + 3600;
    Document d(head, 1, PositionEncoding::Utf16, &entry);
    d.set_clock([&] { return now; });
    CHECK(class_letters(d).find('a') == std::string::npos);
    int64_t v = 1;
    REQUIRE(d.apply_change(++v, rng(1, 0, 2, 0), ""));
    type(d, v, 1, 0, "    return sum(i.price for i in items)\n");
    save(d, entry);
    CHECK(class_letters(d).find('a') == std::string::npos);
    // Opened without a watcher's history (the file written by some other tool): similar is
    // not the same either.
    Document unwatched("def total(items):\n    return sum(i.price for i in items)\n", 1,
                       PositionEncoding::Utf16, &entry);
    CHECK(class_letters(unwatched).find('a') == std::string::npos);
    // git stash pop brings back exactly the agent's line: its evidence comes back.
    Document popped(worked, 1, PositionEncoding::Utf16, &entry);
    CHECK(classes_of(popped, "return sum(item.price") == std::string(21, 'a'));
}

TEST_CASE("an observed deletion of unsaved typing lost in a crash keeps the saved characters") {
    // The journal saw "abcdef" typed and saved, then "x" typed between each (unsaved, later);
    // the file has "abcdef".
    Snapshot typed;
    typed.text = "axbxcxdxexfx\n";
    for (char c : typed.text)
        typed.push_run(1, Attr{kHumanOrigin, Evidence::Inferred, true, c == 'x' ? kT0 + 5 : kT0});
    Document d("abcdef\n", 1, PositionEncoding::Utf16, &typed, SavedTyping{kT0, 7});
    CHECK(class_letters(d) == "hhhhhhh");
    // The same when the typing after the save fell in the second of the save: the file holds
    // the seven bytes it held then.
    Snapshot same_second = typed;
    for (Run& r : same_second.runs)
        r.attr.seen = kT0;
    Document d2("abcdef\n", 1, PositionEncoding::Utf16, &same_second, SavedTyping{kT0, 7});
    CHECK(class_letters(d2) == "hhhhhhh");
    // Saved typing the file no longer holds was not lost in a crash: the file changed outside
    // (a checkout). Without the last save known, no typing is taken as saved.
    Document d3("abcdef\n", 1, PositionEncoding::Utf16, &same_second, SavedTyping{kT0, 13});
    CHECK(class_letters(d3).find('h') == std::string::npos);
    Document d4("abcdef\n", 1, PositionEncoding::Utf16, &same_second);
    CHECK(class_letters(d4).find('h') == std::string::npos);
    // Not so when what was removed is an agent's text: a subsequence is no evidence.
    const Snapshot agent = with_agent("axbxcxdxexfx\n", "axbxcxdxexfx", kAgentA, kT0);
    Document e("abcdef\n", 1, PositionEncoding::Utf16, &agent);
    CHECK(class_letters(e).substr(0, 6) == "uuuuuu");
}

namespace {

const std::string kAiLine = "zeta = compute_everything()";
const std::string kPasteLine = "alpha = pasted_from_somewhere";
const std::string kHumanLine = "mid = typed_by_hand";

/// A document of three lines: ai, paste, human (each as its evidence makes it).
Document three_lines(uint32_t& now) {
    Snapshot s;
    s.text = kAiLine + "\n" + kPasteLine + "\n" + kHumanLine + "\n";
    const uint32_t ai = s.origins.intern(kAgentA);
    s.push_run(static_cast<uint32_t>(kAiLine.size() + 1), Attr{ai, Evidence::Recorded, true, kT0});
    s.push_run(static_cast<uint32_t>(kPasteLine.size() + 1),
               Attr{kPasteOrigin, Evidence::Recorded, true, kT0});
    s.push_run(static_cast<uint32_t>(kHumanLine.size() + 1),
               Attr{kHumanOrigin, Evidence::Inferred, true, kT0});
    Document d(s.text, 1, PositionEncoding::Utf16, &s);
    d.set_clock([&now] { return now; });
    return d;
}

void check_classes_kept(const Document& d) {
    CHECK(classes_of(d, kAiLine) == std::string(kAiLine.size(), 'a'));
    CHECK(classes_of(d, kPasteLine) == std::string(kPasteLine.size(), 'p'));
    CHECK(classes_of(d, kHumanLine) == std::string(kHumanLine.size(), 'h'));
}

} // namespace

TEST_CASE("Neovim's :%!sort: the filter's output inserted before the originals are deleted") {
    uint32_t now = kT0 + 100;
    Document d = three_lines(now);
    const std::string sorted = kPasteLine + "\n" + kHumanLine + "\n" + kAiLine + "\n";
    SUBCASE("one didChange: insert after the range, then delete the range") {
        REQUIRE(d.apply_change(2, at(3, 0), sorted));
        REQUIRE(d.apply_change(2, rng(0, 0, 3, 0), ""));
    }
    SUBCASE("one didChange, one change per line as on_lines reports them") {
        REQUIRE(d.apply_change(2, at(3, 0), kPasteLine + "\n"));
        REQUIRE(d.apply_change(2, at(4, 0), kHumanLine + "\n"));
        REQUIRE(d.apply_change(2, at(5, 0), kAiLine + "\n"));
        REQUIRE(d.apply_change(2, rng(0, 0, 3, 0), ""));
    }
    SUBCASE("the insert and the delete in two didChanges") {
        REQUIRE(d.apply_change(2, at(3, 0), sorted));
        REQUIRE(d.apply_change(3, rng(0, 0, 3, 0), ""));
    }
    REQUIRE(d.text() == sorted);
    check_classes_kept(d);
    auto lines = d.classify();
    REQUIRE(lines.size() >= 3);
    CHECK(lines[0].cls == LineClass::Paste);
    CHECK(lines[1].cls == LineClass::Human);
    CHECK(lines[2].cls == LineClass::Ai);
}

TEST_CASE("VS Code's Sort Lines: one replacement; its undo and redo keep every class") {
    uint32_t now = kT0 + 100;
    Document d = three_lines(now);
    const std::string original = d.text();
    const std::string sorted = kPasteLine + "\n" + kHumanLine + "\n" + kAiLine;
    const std::string unsorted = kAiLine + "\n" + kPasteLine + "\n" + kHumanLine;
    const auto whole = rng(0, 0, 2, static_cast<uint32_t>(kHumanLine.size()));
    REQUIRE(d.apply_change(2, whole, sorted));
    CHECK(d.text() == sorted + "\n");
    check_classes_kept(d);
    const auto whole_sorted = rng(0, 0, 2, static_cast<uint32_t>(kAiLine.size()));
    REQUIRE(d.apply_change(3, whole_sorted, unsorted, EditReason::Undo));
    CHECK(d.text() == original);
    check_classes_kept(d);
    REQUIRE(d.apply_change(4, whole, sorted, EditReason::Redo));
    check_classes_kept(d);
    // A move-line command (Alt+Up): a delete and an insert, one didChange.
    REQUIRE(d.apply_change(5, rng(2, 0, 3, 0), ""));
    REQUIRE(d.apply_change(5, at(0, 0), kAiLine + "\n"));
    check_classes_kept(d);
}

TEST_CASE("a moved-line match never overrules evidence that came after the insert") {
    // A person joins an agent's line onto the line above (the break deleted: the agent's
    // line is remembered for moved-line matching); another agent then writes that same line
    // again below, and the editor reloads it (longer than typing, so no evidence): the
    // moved-line match gives it the remembered line's origin, and the hook's record (absorbed)
    // then says which agent wrote it. The changes after it must not match the reload's line
    // again over that record.
    const std::string line = "    for item in items: print(item.price, item.name)";
    const std::string text = "alpha = 1\n" + line + "\n";
    const Snapshot journal = with_agent(text, line, kAgentA, kT0);
    uint32_t now = kT0 + 100;
    Document d(text, 1, PositionEncoding::Utf16, &journal);
    d.set_clock([&now] { return now; });
    int64_t v = 1;
    REQUIRE(d.apply_change(++v, rng(0, 5, 1, 1), "")); // " = 1\n " deleted: lines joined
    const std::string joined = d.text();
    REQUIRE(joined == "alpha" + line.substr(1) + "\n");
    now += 20;
    const std::string after = joined + line + "\n";
    REQUIRE(d.apply_change(++v, std::nullopt, after)); // agent B's write, reloaded
    d.absorb(with_agent(after, "\n" + line, kAgentB, now));
    auto tool_of_line = [&d, &line] { // of the last line, the one agent B wrote
        const Snapshot s = d.snapshot();
        REQUIRE(s.text.size() > line.size() + 1);
        REQUIRE(s.text.substr(s.text.size() - line.size() - 1) == line + "\n");
        return s.origins.at(s.expand()[s.text.size() - 4].origin).tool;
    };
    CHECK(tool_of_line() == kAgentB.tool);
    type(d, v, 0, 0, "x"); // a keystroke elsewhere
    CHECK(tool_of_line() == kAgentB.tool);
    REQUIRE(d.apply_change(++v, rng(0, 0, 0, 1), "")); // and a deletion
    CHECK(tool_of_line() == kAgentB.tool);
}

TEST_CASE("moved-line matching never turns typing into a restore across batches") {
    uint32_t now = kT0 + 100;
    Document d = three_lines(now);
    int64_t v = 1;
    REQUIRE(d.apply_change(++v, rng(0, 0, 1, 0), "")); // the ai line deleted
    now += 60;
    type(d, v, 2, 0, kAiLine + "\n"); // and typed again by hand, key by key
    CHECK(classes_of(d, kAiLine) == std::string(kAiLine.size(), 'h'));
    // A 400-character insert with no annotation is still unknown.
    const std::string big(400, 'q');
    REQUIRE(d.apply_change(++v, at(0, 0), big));
    CHECK(classes_of(d, big) == std::string(400, 'u'));
}

TEST_CASE("Attr::seen survives the journal's JSON, and entries without it still load") {
    Snapshot s = with_agent("abc\ndef\n", "def", kAgentA, kT0);
    const auto j = snapshot_to_json(s);
    CHECK(j.contains("seen"));
    auto back = snapshot_from_json(j);
    REQUIRE(back.ok());
    CHECK(back->runs == s.runs);
    auto old = j;
    old.erase("seen");
    auto legacy = snapshot_from_json(old);
    REQUIRE(legacy.ok());
    CHECK(legacy->runs[1].attr.seen == 0);
    auto bad = j;
    bad["seen"] = nlohmann::json::array({1});
    CHECK(!snapshot_from_json(bad).ok());
    bad["seen"] = nlohmann::json::array({0, -5, 0});
    CHECK(!snapshot_from_json(bad).ok());
    // Nothing observed: no "seen" written (an older provenant reads it unchanged).
    CHECK(!snapshot_to_json(Snapshot::uniform("x", {}, Evidence::None, false)).contains("seen"));
}

TEST_CASE("a reload bringing back text changed in several places is not typing") {
    // `git checkout -- FILE` with the file open: the editor reloads the committed text.
    const std::string head = "alpha = compute(1)\nbeta = compute(2)\n";
    uint32_t now = kT0;
    Document d(head, 1, PositionEncoding::Utf16);
    d.set_clock([&] { return now; });
    int64_t v = 1;
    REQUIRE(d.apply_change(++v, rng(0, 16, 0, 17), "9"));
    REQUIRE(d.apply_change(++v, rng(1, 15, 1, 16), "8"));
    CHECK(class_letters(d).find('h') != std::string::npos);
    now += 60;
    REQUIRE(d.apply_change(++v, std::nullopt, head));
    CHECK(class_letters(d).find('h') == std::string::npos);
    for (const Attr& a : d.snapshot().expand())
        CHECK(a.seen == 0);
    CHECK(d.last_unknown_reason().find("2 places") != std::string::npos);
    // An agent then changes the first line: it is the agent's, not a person's.
    const std::string after = "alpha = compute(1, fast=True)\nbeta = compute(2)\n";
    REQUIRE(d.apply_change(++v, std::nullopt, after));
    d.absorb(with_agent(after, "alpha = compute(1, fast=True)", kAgentA, now));
    auto lines = d.classify();
    REQUIRE(lines.size() >= 2);
    CHECK(lines[0].cls == LineClass::Ai);
    CHECK(lines[1].cls == LineClass::Unknown);
}

TEST_CASE("typing is stamped as observed; a large insert with no evidence is not") {
    uint32_t now = kT0 + 7;
    Document d("x\n", 1, PositionEncoding::Utf16);
    d.set_clock([&] { return now; });
    REQUIRE(d.apply_change(2, at(0, 1), "y"));
    REQUIRE(d.apply_change(3, at(1, 0), std::string(400, 'z')));
    const auto attrs = d.snapshot().expand();
    CHECK(attrs[0].seen == 0);
    CHECK(attrs[1].seen == kT0 + 7);
    CHECK(attrs[3].seen == 0);
    REQUIRE(d.annotate(3, kAgentA, {rng(1, 0, 1, 10)}));
    CHECK(d.snapshot().expand()[3].seen == kT0 + 7);
}
