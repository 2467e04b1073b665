// Unit tests: undoing replacements, Codex patch envelopes, generated-line counts.
#include "agents/text_edits.h"

#include <doctest/doctest.h>

using namespace provenant::agents;

TEST_CASE("undo_replacements restores the text before an edit") {
    std::string after =
        "def greet(name):\n    if not name:\n        raise ValueError()\n    return 1\n";
    std::vector<Replacement> r = {
        {"    return 0\n", "    if not name:\n        raise ValueError()\n    return 1\n"}};
    auto before = undo_replacements(after, r);
    REQUIRE(before);
    CHECK(*before == "def greet(name):\n    return 0\n");
}

TEST_CASE("undo_replacements undoes several edits in reverse order (MultiEdit)") {
    std::string after = "def clamp(x: float) -> float:\n    if x:\n        pass\n    return x\n";
    std::vector<Replacement> r = {{"def clamp(x):", "def clamp(x: float) -> float:"},
                                  {"    return x\n", "    if x:\n        pass\n    return x\n"}};
    auto before = undo_replacements(after, r);
    REQUIRE(before);
    CHECK(*before == "def clamp(x):\n    return x\n");
}

TEST_CASE("undo_replacements refuses ambiguous or missing new text") {
    CHECK_FALSE(undo_replacements("a b a", {{"x", "a"}}));
    CHECK_FALSE(undo_replacements("abc", {{"x", "zzz"}}));
    CHECK_FALSE(undo_replacements("abc", {{"x", ""}}));
    auto all = undo_replacements("a b a", {{"x", "a", true}});
    REQUIRE(all);
    CHECK(*all == "x b x");
}

TEST_CASE("undo_replacements uses a line/column hint (Cursor tab edits)") {
    std::string after = "x = 1\n# c\nx = 1\n# c\n";
    Replacement r{"", "# c", false, 4, 1};
    // Empty old text is allowed: the new text is located by its position.
    auto before = undo_replacements(after, {r});
    REQUIRE(before);
    CHECK(*before == "x = 1\n# c\nx = 1\n\n");
}

TEST_CASE("undo_replacements counts the column in the core's characters (an invalid byte is one)") {
    // "\xe2\x82" is a cut-short sequence: two characters, as utf8::token_length counts them.
    const std::string cut = "\xe2\x82";
    std::string after = cut + "abab\n";
    auto before = undo_replacements(after, {Replacement{"X", "ab", false, 1, 3}});
    REQUIRE(before);
    CHECK(*before == cut + "Xab\n");
}

TEST_CASE("locate_new_text finds every occurrence of the new text") {
    auto marks = locate_new_text("a foo b foo", {{"x", "foo"}});
    REQUIRE(marks.size() == 2);
    CHECK(marks[0] == std::make_pair<size_t, size_t>(2, 5));
    CHECK(marks[1] == std::make_pair<size_t, size_t>(8, 11));
}

TEST_CASE("parse_apply_patch reads add, update with move, and delete") {
    std::string patch = "*** Begin Patch\n"
                        "*** Update File: src/app.py\n"
                        "*** Move to: src/main.py\n"
                        "@@ def greet(name):\n"
                        "-    return 1\n"
                        "+    x = 1\n"
                        "+    return x\n"
                        "@@\n"
                        " tail\n"
                        "-old\n"
                        "+new\n"
                        "*** Add File: src/c.py\n"
                        "+A = 1\n"
                        "+B = 2\n"
                        "*** Delete File: src/gone.py\n"
                        "*** End Patch";
    auto ops = parse_apply_patch(patch);
    REQUIRE(ops);
    REQUIRE(ops->size() == 3);
    CHECK((*ops)[0].kind == PatchOp::Kind::Update);
    CHECK((*ops)[0].path == "src/app.py");
    CHECK((*ops)[0].move_to == "src/main.py");
    REQUIRE((*ops)[0].replacements.size() == 2);
    CHECK((*ops)[0].replacements[0].old_text == "    return 1\n");
    CHECK((*ops)[0].replacements[0].new_text == "    x = 1\n    return x\n");
    CHECK((*ops)[0].replacements[1].old_text == "tail\nold\n");
    CHECK((*ops)[0].replacements[1].new_text == "tail\nnew\n");
    CHECK((*ops)[1].kind == PatchOp::Kind::Add);
    CHECK((*ops)[1].added_text == "A = 1\nB = 2\n");
    CHECK((*ops)[2].kind == PatchOp::Kind::Delete);
    CHECK((*ops)[2].path == "src/gone.py");
}

TEST_CASE("parse_apply_patch rejects malformed envelopes with the line") {
    CHECK_FALSE(parse_apply_patch("no patch here"));
    CHECK_FALSE(parse_apply_patch("*** Begin Patch\n*** Add File: a\n+x\n")); // no End Patch
    auto bad = parse_apply_patch("*** Begin Patch\n*** Add File: a\nx\n*** End Patch");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("line 3") != std::string::npos);
    CHECK_FALSE(parse_apply_patch("*** Begin Patch\ngarbage\n*** End Patch"));
}

TEST_CASE("a hunk at the end of a file without a final newline is undone") {
    auto ops =
        parse_apply_patch("*** Begin Patch\n*** Update File: a\n-x = 1\n+x = 2\n*** End Patch");
    REQUIRE(ops);
    auto before = undo_replacements("y\nx = 2", (*ops)[0].replacements);
    REQUIRE(before);
    CHECK(*before == "y\nx = 1");
}

TEST_CASE("count_generated_lines counts non-blank lines with inserted text") {
    CHECK(count_generated_lines("", "a\n\nb\n") == 2);
    CHECK(count_generated_lines("a\nb\n", "a\nb\n") == 0);
    CHECK(count_generated_lines("a\nb\n", "a\nX\nb\n") == 1);
    CHECK(count_generated_lines("a\n", "a\n   \n") == 0); // whitespace only
}
