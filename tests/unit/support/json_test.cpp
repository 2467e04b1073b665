// Unit tests: JSON text that cannot throw, and the JSON-path field readers.
#include "support/json_fields.h"
#include "support/json_text.h"

#include <doctest/doctest.h>

using namespace provenant;
using nlohmann::json;

TEST_CASE("JSON text: strict is an error on invalid UTF-8, lossy replaces it; neither throws") {
    json j = {{"path", std::string("a\xff.c")}, {"n", 1}};
    Result<std::string> strict = Error("unset");
    CHECK_NOTHROW(strict = json_text(j));
    REQUIRE_FALSE(strict.ok());
    CHECK(strict.error().message.find("not UTF-8") != std::string::npos);
    std::string lossy;
    CHECK_NOTHROW(lossy = json_text_lossy(j));
    CHECK(lossy == "{\"n\":1,\"path\":\"a\xef\xbf\xbd.c\"}");
    CHECK(json::parse(lossy)["path"] == "a\xef\xbf\xbd.c");
    // Valid text is written as it is, compact or indented, for ordered_json too.
    auto ok = json_text(json{{"a", "é"}});
    REQUIRE(ok.ok());
    CHECK(*ok == "{\"a\":\"é\"}");
    nlohmann::ordered_json o;
    o["z"] = 1;
    o["a"] = std::string("\xc3");
    CHECK(json_text_lossy(o, 2) == "{\n  \"z\": 1,\n  \"a\": \"\xef\xbf\xbd\"\n}");
    CHECK_FALSE(json_text(o).ok());
}

TEST_CASE("JSON fields: typed reads whose errors name the JSON path") {
    using namespace json_fields;
    auto error_of = [](auto&& read) -> std::string {
        try {
            read();
        } catch (const PathError& e) {
            return e.what();
        }
        return "(no error)";
    };
    const json j = json::parse(R"({"s":"x","n":3,"neg":-1,"z":null,"o":{"k":[1]},"a":[1]})");
    CHECK(member_path("", "file_path") == "file_path");
    CHECK(member_path("$.files", "blob") == "$.files.blob");
    CHECK(quoted_path("$.files", "a \"b\".c") == R"($.files["a \"b\".c"])");
    CHECK(index_path("files", 2) == "files[2]");
    CHECK(string(j, "s", "$") == "x");
    CHECK(opt_string(j, "z", "$") == std::nullopt); // null is absent
    CHECK(opt_string(j, "none", "$") == std::nullopt);
    CHECK(first_string(j, {"none", "z", "s"}, "$") == "x");
    CHECK(opt_count(j, "n", "$") == 3);
    CHECK(opt_count(j, "none", "$") == 0);
    CHECK(opt_object(j, "none", "$").empty());
    CHECK(object(j, "o", "$").contains("k"));
    CHECK(require(j, "z", "$").is_null()); // present, as written
    CHECK(find(j, "z", "$") == nullptr);
    CHECK(error_of([&] { (void)string(j, "z", "tool_input"); }) == "tool_input.z: missing");
    CHECK(error_of([&] { (void)string(j, "n", ""); }) == "n: expected a string, got number");
    CHECK(error_of([&] { (void)opt_count(j, "neg", "$"); }) ==
          "$.neg: expected a non-negative integer, got -1");
    CHECK(error_of([&] { (void)object(j, "a", "$"); }) == "$.a: expected an object, got array");
    CHECK(error_of([&] { (void)require(j, "none", "$.o"); }) == "$.o.none: missing");
    CHECK(error_of([&] { (void)opt_string(j["a"], "k", ""); }) ==
          "payload: expected an object, got array");
    CHECK(error_of([&] { expect_array(j["o"], "$.o"); }) == "$.o: expected an array, got object");
}
