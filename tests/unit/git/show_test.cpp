// git/show: blame_json_text, written directly, is byte for byte the text json_text_quoted
// prints for blame_json, whatever the strings a note brings (quoting, escaping, invalid UTF-8).
#include "git/show.h"
#include "support/json_text.h"

#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace provenant;

TEST_CASE("blame_json_text is json_text_quoted(blame_json) for every kind of string") {
    const std::vector<std::string> odd{"",
                                       "claude-code",
                                       "\"starts with a quote",
                                       "a \" inside and a \\ backslash",
                                       "not UTF-8 \xff\xfe",
                                       std::string("controls \x01\x02\x1f\x7f \b\t\n\f\r", 19),
                                       std::string("a NUL \0 inside", 14),
                                       "UTF-8 \xc3\xa9 \xe2\x80\xa8 \xf0\x9f\x98\x80"};
    std::vector<git::BlameLine> lines;
    CHECK(git::blame_json_text(lines) == json_text_quoted(git::blame_json(lines)));
    uint32_t n = 0;
    for (const auto& tool : odd)
        for (const auto& model : odd) {
            git::BlameLine b;
            b.line = ++n;
            b.commit = std::string(40, 'a');
            b.cls = n % 3 == 0 ? LineClass::Ai : n % 3 == 1 ? LineClass::Blank : LineClass::Human;
            b.tool = tool;
            b.model = model;
            b.session = odd[n % odd.size()];
            b.text = "never printed";
            lines.push_back(b);
        }
    CHECK(git::blame_json_text(lines) == json_text_quoted(git::blame_json(lines)));
    // One line at a time too: each string's own quoting decision, not the whole array's.
    for (const auto& l : lines)
        CHECK(git::blame_json_text({l}) == json_text_quoted(git::blame_json({l})));
}
