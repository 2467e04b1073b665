// terminal_safe (issue 12 §13): nothing a terminal acts on passes raw.
#include "support/terminal_text.h"

#include <doctest/doctest.h>

using provenant::terminal_safe;

TEST_CASE("terminal_safe escapes C0, DEL, C1 and invalid UTF-8; keeps printable UTF-8") {
    CHECK(terminal_safe("claude-sonnet-4") == "claude-sonnet-4");
    CHECK(terminal_safe("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80") ==
          "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80");
    CHECK(terminal_safe("\x1b]0;title\x07") == "\\x1b]0;title\\x07");
    CHECK(terminal_safe("\x1b[2J") == "\\x1b[2J");
    CHECK(terminal_safe("a\nb\tc\rd") == "a\\nb\\tc\\rd");
    CHECK(terminal_safe(std::string("nul\0x", 5)) == "nul\\x00x");
    CHECK(terminal_safe("\x7f") == "\\x7f");
    CHECK(terminal_safe("\xc2\x9b"
                        "31m") == "\\u009b31m"); // C1 CSI, UTF-8 encoded
    CHECK(terminal_safe("\x9b"
                        "31m") == "\\x9b31m"); // raw 8-bit CSI byte
    CHECK(terminal_safe("\xff\xfe") == "\\xff\\xfe");
    CHECK(terminal_safe("\xe2\x9c") == "\\xe2\\x9c");          // truncated sequence
    CHECK(terminal_safe("\xed\xa0\x80") == "\\xed\\xa0\\x80"); // a surrogate
    CHECK(terminal_safe("\xc0\xaf") == "\\xc0\\xaf");          // overlong '/'
    CHECK(terminal_safe("back\\slash") == "back\\\\slash");
}

TEST_CASE("terminal_safe output never holds a control byte") {
    std::string all;
    for (int c = 0; c < 256; ++c)
        all += static_cast<char>(c);
    std::string out = terminal_safe(all + all);
    for (size_t i = 0; i < out.size(); ++i) {
        auto c = static_cast<unsigned char>(out[i]);
        CHECK_MESSAGE((c >= 0x20 && c != 0x7f && c < 0x80), "byte " << int(c) << " at " << i);
    }
}
