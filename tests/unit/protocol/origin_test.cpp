// OriginRecord and TokenUsage from JSON: what they accept, and errors that name the field.
#include "protocol/origin.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

using namespace provenant;
using nlohmann::json;

namespace {
/// The message from_json throws for `text`, empty when it accepts it.
template <typename T> std::string error_of(const char* text) {
    try {
        (void)json::parse(text).get<T>();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return {};
}
} // namespace

TEST_CASE("origin from_json: fields, defaults and errors that name the field") {
    auto r = json::parse(R"({"tool":"claude-code","kind":"agent","model":"m","session":"s",
                             "request":null})")
                 .get<OriginRecord>();
    CHECK(r.cls == OriginClass::Ai); // an origin with no class is an AI's
    CHECK(r.tool == "claude-code");
    CHECK(r.kind == "agent");
    CHECK(r.session == "s");
    CHECK(r.request.empty()); // null is absent
    CHECK(json::parse(R"({"class":"human","kind":"whatever"})").get<OriginRecord>().cls ==
          OriginClass::Human);

    CHECK(error_of<OriginRecord>("[]") == "origin: expected an object, got array");
    CHECK(error_of<OriginRecord>(R"({"tool":3})") == "origin.tool: expected a string, got number");
    CHECK(error_of<OriginRecord>(R"({"class":"robot"})") == "origin.class: unknown class 'robot'");
    CHECK(error_of<OriginRecord>(R"({"kind":"magic"})") ==
          "origin.kind: expected completion, agent or chat, got 'magic'");
}

TEST_CASE("tokens from_json: counts, absent as zero, errors that name the field") {
    auto u = json::parse(R"({"input":10,"output":2,"reasoning":null})").get<TokenUsage>();
    CHECK(u.input == 10);
    CHECK(u.output == 2);
    CHECK(u.cache_read == 0);
    CHECK(u.reasoning == 0);
    CHECK(error_of<TokenUsage>("3").find("tokens: expected an object") == 0);
    CHECK(error_of<TokenUsage>(R"({"input":-3})").find("tokens.input: expected") == 0);
    CHECK(error_of<TokenUsage>(R"({"output":"x"})").find("tokens.output: expected") == 0);
}
