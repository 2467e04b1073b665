// parse_body's answers for hostile bodies (issue 12 §6, §8): never a throw, a reply for each.
#include "lsp/jsonrpc.h"

#include <doctest/doctest.h>

using namespace provenant::lsp;

TEST_CASE("numbers out of double's range are a ParseError, not an escaped exception") {
    for (const char* body : {"{\"n\":1e400}", "[-1e400]", "{\"a\":[1,2,{\"b\":1e99999}]}"}) {
        std::string err;
        ErrorCode code = ErrorCode::InternalError;
        std::optional<json> j;
        CHECK_NOTHROW(j = parse_body(body, &err, &code));
        CHECK_FALSE(j.has_value());
        CHECK(code == ErrorCode::ParseError);
        CHECK_FALSE(err.empty());
    }
}

TEST_CASE("a body with more values than the budget is refused before it is parsed") {
    std::string many = "[";
    for (size_t i = 0; i <= kMaxJsonValues; ++i)
        many += i ? ",{}" : "{}";
    many += "]";
    std::string err;
    ErrorCode code = ErrorCode::InternalError;
    CHECK_FALSE(parse_body(many, &err, &code).has_value());
    CHECK(code == ErrorCode::InvalidRequest);
    CHECK(err.find("JSON values") != std::string::npos);
    // Commas and brackets inside strings are text, not values.
    std::string text =
        "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"t\":\"" +
        std::string(kMaxJsonValues * 2, ',') + "\"}}";
    CHECK(parse_body(text, &err, &code).has_value());
}

TEST_CASE("only methods that carry document text may exceed the small-message cap") {
    const std::string pad(kMaxSmallMessage + 10, 'x');
    auto body = [&](const std::string& method) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method +
               "\",\"params\":{\"text\":\"" + pad + "\"}}";
    };
    std::string err;
    ErrorCode code = ErrorCode::InternalError;
    for (const char* m : {"textDocument/didOpen", "textDocument/didChange", "textDocument/didSave"})
        CHECK_MESSAGE(parse_body(body(m), &err, &code).has_value(), m);
    for (const char* m : {"initialize", "provenant/annotate", "textDocument/didClose"}) {
        CHECK_FALSE(parse_body(body(m), &err, &code).has_value());
        CHECK(code == ErrorCode::InvalidRequest);
        CHECK(err.find(m) != std::string::npos);
    }
    // The method is the top-level member's: a nested "method" does not count.
    std::string nested = "{\"params\":{\"method\":\"textDocument/didOpen\",\"t\":\"" + pad +
                         "\"},\"method\":\"initialize\",\"jsonrpc\":\"2.0\"}";
    CHECK_FALSE(parse_body(nested, &err, &code).has_value());
    std::string sneaky = "{\"jsonrpc\":\"2.0\",\"x\":\"method\",\"y\":\"textDocument/didOpen\","
                         "\"t\":\"" +
                         pad + "\"}";
    CHECK_FALSE(parse_body(sneaky, &err, &code).has_value());
    // Small messages are parsed whatever their method.
    CHECK(parse_body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}", &err, &code));
}
