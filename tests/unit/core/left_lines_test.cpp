// Unit tests: the lines that left a file on a reset to HEAD (core/left_lines.h): which blocks
// are kept, how they are bounded, and that they come back only exactly, as whole lines, onto
// text no evidence explains.
#include "core/left_lines.h"

#include <algorithm>
#include <doctest/doctest.h>

using namespace provenant;

namespace {

const OriginRecord kClaude{OriginClass::Ai, "claude-code", "agent", "m", "s", ""};
constexpr uint32_t kThen = 1'800'000'000;

/// `text` of lines; the lines in `agent` (0-based) written by the agent, the others base text.
Snapshot lines(const std::vector<std::string>& text, const std::vector<size_t>& agent) {
    Snapshot s;
    const uint32_t id = s.origins.intern(kClaude);
    for (size_t i = 0; i < text.size(); ++i) {
        s.text += text[i];
        const bool ai = std::find(agent.begin(), agent.end(), i) != agent.end();
        s.push_run(static_cast<uint32_t>(text[i].size()),
                   ai ? Attr{id, Evidence::Recorded, true, kThen} : Attr{});
    }
    return s;
}

/// One letter per byte: A the agent, H typed, u unknown.
std::string classes(const Snapshot& s) {
    std::string out;
    for (const Attr& a : s.expand()) {
        const OriginClass c = s.origins.class_of(a.origin);
        out += c == OriginClass::Ai ? 'A' : c == OriginClass::Human ? 'H' : 'u';
    }
    return out;
}

const std::string kL1 = "total = compute_total(order)\n";
const std::string kL2 = "report = render(total, rate)\n";

} // namespace

TEST_CASE("lines that left: whole blocks with uncommitted evidence, long enough to be the same") {
    const Snapshot before =
        lines({"x = 1\n", kL1, "y = 0\n", kL2, "w = 0\n", "z = f(x)\n"}, {1, 3, 5});
    const std::vector<Snapshot> left = lines_that_left(before, "x = 1\ny = 0\nw = 0\n");
    // "z = f(x)" is too short to be told from a coincidence.
    REQUIRE(left.size() == 2);
    CHECK(left[0].text == kL1);
    CHECK(left[1].text == kL2);
    CHECK(classes(left[0]) == std::string(kL1.size(), 'A'));
    // Base text (no evidence) that left is not kept: HEAD explains it wherever it comes back.
    CHECK(lines_that_left(lines({"x = 1\n", kL1}, {}), "x = 1\n").empty());
}

TEST_CASE("merge_left: newest first, no repeats, none that is back, bounded") {
    const Snapshot a = lines({kL1}, {0}), b = lines({kL2}, {0});
    std::vector<Snapshot> m = merge_left({a}, {b, a}, "x = 1\n");
    REQUIRE(m.size() == 2);
    CHECK(m[0].text == kL1);
    CHECK(m[1].text == kL2);
    // Back in the text as whole lines: dropped; inside a longer line it is not back.
    m = merge_left({a}, {b}, "x = 1\n" + kL1);
    REQUIRE(m.size() == 1);
    CHECK(m[0].text == kL2);
    CHECK(merge_left({a}, {}, "# " + kL1).size() == 1);
    // At most kLeftMaxBlocks blocks and kLeftMaxBytes bytes: the oldest go.
    std::vector<Snapshot> many;
    for (size_t i = 0; i < kLeftMaxBlocks + 10; ++i)
        many.push_back(lines({"value_" + std::to_string(i) + " = compute(order)\n"}, {0}));
    m = merge_left(many, {}, "");
    REQUIRE(m.size() == kLeftMaxBlocks);
    CHECK(m.front().text == many.front().text);
    std::string long_line(kLeftMaxBytes - 10, 'q');
    long_line += '\n';
    const Snapshot big = lines({long_line}, {0});
    m = merge_left({big}, {a}, "");
    REQUIRE(m.size() == 1);
    CHECK(m[0].text == big.text);
}

TEST_CASE("merge_left: a line observed again since drops the older block that holds it") {
    // Property seed 8039, step 361, reduced: codex's line left at a reset, alone; claude-code
    // later wrote the same line, which left at the next reset in a longer block. The stash
    // pop's reload brought the line back as a hunk of its own: it must not be codex's.
    const OriginRecord codex{OriginClass::Ai, "codex", "agent", "gpt-5-codex", "sb", ""};
    const std::string line = "    if not items: return 0\n";
    Snapshot older;
    older.text = line;
    older.push_run(static_cast<uint32_t>(line.size()),
                   Attr{older.origins.intern(codex), Evidence::Recorded, true, kThen});
    const Snapshot newer = lines({kL1, line}, {0, 1}); // claude-code's, later
    const std::vector<Snapshot> m = merge_left({newer}, {older}, "x = 1\n");
    REQUIRE(m.size() == 1);
    CHECK(m[0].text == kL1 + line);
    // The line alone, unexplained: nothing gives it codex's attribution back.
    Snapshot s;
    s.text = "x = 1\n" + line;
    s.push_run(6, Attr{});
    s.push_run(static_cast<uint32_t>(line.size()), Attr{kUnknownOrigin, Evidence::None, true});
    CHECK(give_back_left(s, m) == 0);
    // The same attribution again (the block repeats what a newer one says): both kept.
    const Snapshot same = lines({line}, {0});
    CHECK(merge_left({newer}, {same}, "x = 1\n").size() == 2);
}

TEST_CASE("give_back_left: exact whole lines onto text nothing explains, never over evidence") {
    const std::vector<Snapshot> left = {lines({kL1}, {0}), lines({kL2}, {0})};
    // The reopened text: base lines, the agent's lines back unexplained (fresh, no evidence).
    Snapshot s;
    s.text = "x = 1\n" + kL1 + "y = 0\n" + kL2;
    s.push_run(6, Attr{});
    s.push_run(static_cast<uint32_t>(kL1.size()), Attr{kUnknownOrigin, Evidence::None, true});
    s.push_run(6, Attr{});
    s.push_run(static_cast<uint32_t>(kL2.size()), Attr{kUnknownOrigin, Evidence::None, true});
    REQUIRE(s.validate());
    CHECK(give_back_left(s, left) == 2);
    CHECK(s.validate());
    CHECK(classes(s) ==
          "uuuuuu" + std::string(kL1.size(), 'A') + "uuuuuu" + std::string(kL2.size(), 'A'));
    // Typed (observed) text that spells a block keeps its own; so does base text.
    Snapshot typed;
    typed.text = kL1 + kL1;
    typed.push_run(static_cast<uint32_t>(kL1.size()),
                   Attr{kHumanOrigin, Evidence::Inferred, true, kThen + 100});
    typed.push_run(static_cast<uint32_t>(kL1.size()), Attr{});
    CHECK(give_back_left(typed, left) == 0);
    // Not inside a line, and each block once.
    Snapshot inside;
    inside.text = "# " + kL1 + kL1 + kL1;
    inside.push_run(static_cast<uint32_t>(inside.text.size()),
                    Attr{kUnknownOrigin, Evidence::None, true});
    CHECK(give_back_left(inside, left) == 1);
    CHECK(classes(inside) == std::string(2 + kL1.size(), 'u') + std::string(kL1.size(), 'A') +
                                 std::string(kL1.size(), 'u'));
}
