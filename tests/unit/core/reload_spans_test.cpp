// Unit tests: a reload from disk a hunk at a time (Document::reloaded_from_disk) whose hunks
// the deleted-span store matched by content: the text the reload makes, when it is one the
// document knows (HEAD's, or the one the last reset threw away), decides their attribution.
#include "core/document.h"
#include "support/class_letters.h"

#include <doctest/doctest.h>

using namespace provenant;

namespace {

const OriginRecord kAgent{OriginClass::Ai, "codex", "agent", "gpt-5-codex", "sb", ""};
constexpr uint32_t kNow = 1'800'000'000;

using test::class_letters;

TextRange lines(uint32_t from, uint32_t to) {
    return {{from, 0}, {to, 0}};
}

/// HEAD's text is `head0` and two lines; the stash's is `stash0` (where the agent wrote
/// [agent_at, +agent_len)) and the same two lines with "cart" for "item" (the agent's) and
/// for "2" (a person's, typed earlier). The pop's hunks, last first, end with `last_text` over
/// `last`; `look`: then the session's look finds the file held that text (reloads.cpp).
void stash_pop(const std::string& head0, const std::string& stash0, uint32_t agent_at,
               uint32_t agent_len, TextRange last, const std::string& last_text, bool look) {
    Snapshot head;
    head.text = head0 + "sum(item in items)\nb = 2\n";
    head.push_run(static_cast<uint32_t>(head.text.size()), Attr{});
    const std::string stashed = stash0 + "sum(cart in items)\nb = cart\n";
    Snapshot s;
    s.text = stashed;
    const uint32_t ai = s.origins.intern(kAgent);
    const Attr agent{ai, Evidence::Recorded, true, kNow};
    const Attr typed{kHumanOrigin, Evidence::Inferred, true, kNow - 50};
    s.push_run(agent_at, Attr{});
    s.push_run(agent_len, agent);
    s.push_run(static_cast<uint32_t>(stash0.size()) - agent_at - agent_len + 4, Attr{});
    s.push_run(4, agent); // "cart"
    s.push_run(15, Attr{});
    s.push_run(4, typed); // "cart"
    s.push_run(1, Attr{});
    REQUIRE(s.validate());
    Document d(s, 1, PositionEncoding::Utf8);
    uint32_t now = kNow + 20;
    d.set_clock([&now] { return now; });
    d.set_base(std::make_shared<const Snapshot>(head));
    const std::string before = class_letters(d);
    REQUIRE(d.apply_change(2, std::nullopt, head.text)); // git stash
    CHECK(class_letters(d) == std::string(head.text.size(), 'u'));
    now = kNow + 40;
    REQUIRE(d.apply_change(3, lines(2, 3), "b = cart\n")); // git stash pop, last hunk first
    REQUIRE(d.apply_change(4, lines(1, 2), "sum(cart in items)\n"));
    REQUIRE(d.apply_change(5, last, last_text));
    REQUIRE(d.text() == stashed);
    if (look) CHECK(d.reloaded_from_disk(2, 5, now));
    CHECK(class_letters(d) == before);
}

} // namespace

TEST_CASE("a stash pop's hunks that match a word deleted elsewhere take the stash's class") {
    // Property seed 5022, step 790, reduced. The agent wrote a line (or a character) at the
    // top and "cart" on the next line; a person had typed "cart" on the last. `git stash` (the
    // editor reloads HEAD's text) removes both words in one change: the deleted-span store
    // keeps the last, the person's. `git stash pop`, reloaded a hunk at a time (last first):
    // the middle hunk inserts "cart", which the store gives the person's attribution (and the
    // second it was typed). The text is then the stash's again. Old code: it gave back the
    // stash's attribution to all but what a person was seen typing, and the store's match
    // looked like that: the agent's "cart" came back the person's.
    SUBCASE("the last hunk a keystroke-sized line, then the session's look at the file") {
        stash_pop("a = 1\n", "a = 1\nz\n", 6, 1, lines(1, 1), "z\n", true);
    }
    SUBCASE("the last hunk a replacement (no typing: the reload is recognised at once)") {
        stash_pop("a = 1\n", "a = 10\n", 5, 1, lines(0, 1), "a = 10\n", false);
    }
}
