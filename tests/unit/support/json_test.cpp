// Unit tests: JSON text that cannot throw, and the JSON-path field readers.
#include "support/json_fields.h"
#include "support/json_text.h"

#include <doctest/doctest.h>

using namespace provenant;
using nlohmann::json;

TEST_CASE("JSON text: strict is an error on invalid UTF-8, lossy replaces it; neither throws") {
    json j = {{"path", std::string("a\xff.c")}, {"n", 1}};
    Result<std::string> strict = Error(ErrorKind::internal, "unset");
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

TEST_CASE("JSON fields: the Reader never throws, keeps the first error and names its path") {
    using json_fields::Reader;
    const json j = json::parse(R"({"doc":{"uri":"u","n":-1,"big":18446744073709551615,
        "f":1.5,"t":true,"z":null},"list":[{"a":1},{"a":"x"}],
        "deep":{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":1}}}}}}}}}})");
    auto error_of = [&](auto&& read) {
        std::optional<Error> err;
        CHECK_NOTHROW(read(Reader(&j, "params", err)));
        return err ? err->message : std::string("(no error)");
    };
    auto read_string = [](const Reader& r) {
        std::string s;
        r.read(s);
    };
    auto read_int = [](const Reader& r) {
        int64_t v = 0;
        r.read(v);
    };
    auto read_count = [](const Reader& r) {
        uint64_t v = 0;
        r.read(v);
    };
    CHECK(error_of([&](const Reader& r) { read_string(r.field("doc").field("uri")); }) ==
          "(no error)");
    CHECK(error_of([&](const Reader& r) { read_string(r.field("doc").field("n")); }) ==
          "params.doc.n: expected a string, got number");
    CHECK(error_of([&](const Reader& r) { read_count(r.field("doc").field("n")); }) ==
          "params.doc.n: expected a non-negative integer, got -1");
    CHECK(error_of([&](const Reader& r) { read_int(r.field("doc").field("big")); }) ==
          "params.doc.big: out of range: 18446744073709551615");
    CHECK(error_of([&](const Reader& r) { read_int(r.field("doc").field("f")); }) ==
          "params.doc.f: expected an integer, got 1.5");
    CHECK(error_of([&](const Reader& r) {
              uint64_t v = 0;
              r.field("list").at(0).field("a").read_count(v, 0);
          }) == "params.list[0].a: out of range: 1");
    // A null member is absent; a missing ancestor is named, not its descendant.
    CHECK(error_of([&](const Reader& r) { read_string(r.field("doc").field("z")); }) ==
          "params.doc.z: missing");
    CHECK(error_of([&](const Reader& r) { read_string(r.field("no").field("uri")); }) ==
          "params.no: missing");
    CHECK(error_of([&](const Reader& r) { read_string(r.field("doc").field("uri").field("x")); }) ==
          "params.doc.uri: expected an object, got string");
    // The first error wins: later reads do nothing.
    CHECK(error_of([&](const Reader& r) {
              read_string(r.field("doc").field("n"));
              read_string(r.field("doc").field("t"));
          }) == "params.doc.n: expected a string, got number");
    CHECK(error_of([&](const Reader& r) {
              std::vector<std::string> out;
              r.field("list").each(
                  out, [](const Reader& item, std::string& s) { item.field("a").read(s); });
          }) == "params.list[0].a: expected a string, got number");
    // Paths deeper than the Reader keeps end in "...".
    CHECK(error_of([&](const Reader& r) {
              std::optional<Reader> at(r.field("deep")); // (a Reader is not assignable)
              for (const char* key : {"a", "b", "c", "d", "e", "f", "g", "h", "i"})
                  at.emplace(at->field(key));
              read_string(*at);
          }) == "params.deep.a.b.c.d.e.f.g...: expected a string, got number");
    // An empty root names members bare and itself "payload".
    std::optional<Error> err;
    const json arr = json::array();
    std::string s;
    Reader(&arr, "", err).field("file_path").read(s);
    REQUIRE(err);
    CHECK(err->message == "payload: expected an object, got array");
    CHECK(err->kind == ErrorKind::invalid_input);
}

TEST_CASE("JSON text: quoted writes names that are not UTF-8 as git quotes them; never throws") {
    json j = {{"path", std::string("caf\xff.txt")},
              {"other", std::string("caf\xfe.txt")},
              {"plain", "é.txt"},
              {"quote", "\"a"},
              {std::string("k\xff"), json::array({std::string("\x80"), 1})}};
    std::string text;
    CHECK_NOTHROW(text = json_text_quoted(j));
    json back = json::parse(text);
    CHECK(back["path"] == "\"caf\\377.txt\"");
    CHECK(back["other"] == "\"caf\\376.txt\""); // two names stay two (U+FFFD would merge them)
    CHECK(back["plain"] == "é.txt");            // UTF-8 is itself
    CHECK(back["quote"] == "\"\\\"a\"");        // a leading quote is quoted: one form per name
    CHECK(back["\"k\\377\""][0] == "\"\\200\"");
    CHECK(back["\"k\\377\""][1] == 1);
    CHECK(unquote_path(back["path"].get<std::string>()) == std::string("caf\xff.txt"));
    // Nothing to quote: the same text as a plain dump, indented or not.
    json ok = {{"a", "é"}, {"n", {1, 2}}};
    CHECK(json_text_quoted(ok) == ok.dump());
    CHECK(json_text_quoted(ok, 2) == ok.dump(2));
}

TEST_CASE("quoted paths: valid_utf8 refuses overlong forms and surrogates") {
    CHECK(valid_utf8("plain é €"));
    CHECK_FALSE(valid_utf8("\xc0\x80"));     // overlong NUL
    CHECK_FALSE(valid_utf8("\xed\xa0\x80")); // a surrogate
    CHECK_FALSE(valid_utf8("\xf4\x90\x80\x80"));
    CHECK_FALSE(valid_utf8("\xe2\x82")); // cut short
    CHECK(quote_path("\xc0\x80") == "\"\\300\\200\"");
    CHECK(unquote_path("\"\\300\\200\"") == std::string("\xc0\x80"));
    CHECK_FALSE(unquote_path("\"abc\"").has_value()); // not canonical: abc needs no quotes
}
