// Note path keys (issue 12 §1): every byte string is a path with exactly one key, and back.
#include "protocol/note.h"

#include <doctest/doctest.h>

using namespace provenant;

TEST_CASE("UTF-8 paths are their own key; others are quoted as git quotes them") {
    CHECK(note_path_key("src/a.c") == "src/a.c");
    CHECK(note_path_key("caf\xc3\xa9.txt") == "caf\xc3\xa9.txt");
    CHECK(note_path_key("caf\xff.txt") == "\"caf\\377.txt\"");
    CHECK(note_path_key("\"a") == "\"\\\"a\"");
    CHECK(note_path_key("x\xc3") == "\"x\\303\""); // truncated sequence
    CHECK(note_path_key("tab\there\xff") == "\"tab\\011here\\377\"");
    CHECK(note_path_key("back\\slash\xfe") == "\"back\\\\slash\\376\"");
}

TEST_CASE("keys decode to their path; non-canonical quoted keys are refused") {
    for (std::string p :
         {"a.c", "caf\xff.txt", "\"q", "d/\x01\x7f\x80\xff", "\\\xff\"", "\xed\xa0\x80"}) {
        auto back = path_from_note_key(note_path_key(p));
        REQUIRE(back.has_value());
        CHECK(*back == p);
    }
    CHECK_FALSE(path_from_note_key("\"abc").has_value());         // no closing quote
    CHECK_FALSE(path_from_note_key("\"abc\"").has_value());       // quoting not needed
    CHECK_FALSE(path_from_note_key("\"a\\x41\"").has_value());    // unknown escape
    CHECK_FALSE(path_from_note_key("\"a\\477\"").has_value());    // above \377
    CHECK_FALSE(path_from_note_key("\"a\"b\\377\"").has_value()); // bare quote inside
}

TEST_CASE("a note with a non-UTF-8 path serialises without throwing and reads back") {
    Note n;
    n.commit = std::string(40, 'a');
    NoteFile f;
    f.blob = std::string(40, 'b');
    n.files["caf\xff.txt"] = f;
    std::string text;
    CHECK_NOTHROW(text = serialize_note(n));
    auto back = parse_note(text);
    REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : back.error().message));
    CHECK(back->files.count("caf\xff.txt") == 1);
}
