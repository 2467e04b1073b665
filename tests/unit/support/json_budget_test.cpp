// support/json_budget: the one scan that every JSON text from outside passes before its parse
// (LSP bodies, hook payloads): values counted outside strings, depth capped, and the LSP's
// top-level "method" picked out on the same pass.
#include "support/json_budget.h"

#include <doctest/doctest.h>
#include <string>

using namespace provenant;

TEST_CASE("measure_json counts values outside strings and stops at the first level too deep") {
    CHECK(measure_json("{\"a\":\"\\\"[[[[\",\"b\":[1,2]}", 2).values == 5); // {}, "a", [], 1, 2
    // An upper bound, never less than the values a parse builds: [, three {, two commas, one.
    CHECK(measure_json("[{},{},{}]", 8).values == 7);
    CHECK(measure_json("", 8).values == 1);
    const std::string deep = std::string(65, '[') + std::string(65, ']');
    CHECK(measure_json(deep, kJsonBudget.max_depth).too_deep);
    CHECK_FALSE(measure_json(deep.substr(1, 128), kJsonBudget.max_depth).too_deep);
    // An unterminated string or escape at the end is scanned to the end, never past it.
    CHECK(measure_json("[\"abc\\", 8).values == 2);
    CHECK(measure_json("{\"method\":\"ab", 8, "method").member == "ab");
}

TEST_CASE("measure_json picks out the top-level member's string value, and only that") {
    auto member = [](const std::string& text) {
        return measure_json(text, kJsonBudget.max_depth, "method").member;
    };
    CHECK(member(R"({"jsonrpc":"2.0","id":1,"method":"initialize"})") == "initialize");
    CHECK(member(R"({"method" : "a/b" , "params":{}})") == "a/b");
    // Nested members, a key's name given as a value, arrays and non-string values: none.
    CHECK(member(R"({"params":{"method":"textDocument/didOpen"}})").empty());
    CHECK(member(R"({"x":"method","y":"textDocument/didOpen"})").empty());
    CHECK(member(R"(["method","textDocument/didOpen"])").empty());
    CHECK(member(R"({"method":{"x":"textDocument/didOpen"}})").empty());
    CHECK(member(R"({"method":5,"y":"textDocument/didOpen"})").empty());
    CHECK(member(R"({"method":["textDocument/didOpen"]})").empty());
    // Escaped or overlong values are not taken (a parse would read them differently).
    CHECK(member(R"({"method":"textDocument\/didOpen"})").empty());
    CHECK(member("{\"method\":\"" + std::string(kMaxMemberText + 1, 'm') + "\"}").empty());
    CHECK(member("{\"method\":\"" + std::string(kMaxMemberText, 'm') + "\"}").size() ==
          kMaxMemberText);
    // The nested object ends; the top-level member after it is found.
    CHECK(member(R"({"params":{"method":"no","a":[1,{"b":2}]},"method":"yes"})") == "yes");
    // Without a member name, nothing is picked out.
    CHECK(measure_json(R"({"method":"initialize"})", 8).member.empty());
}
