// Unit tests of JSON-RPC classification, parameter reading with JSON paths, and file URIs.
#include "lsp/jsonrpc.h"
#include "lsp/protocol.h"
#include "session/uri.h"

#include <doctest/doctest.h>

using namespace provenant;
using namespace provenant::lsp;
using provenant::session::file_uri_to_path;
using provenant::session::path_to_file_uri;

namespace {

template <typename T> std::string error_of(const json& params) {
    T out;
    auto err = from_json(&params, out);
    return err ? err->message : std::string();
}

} // namespace

TEST_CASE("parse_body: invalid JSON and excessive nesting are errors") {
    std::string err;
    CHECK(parse_body("{\"a\": [1, 2]}", &err).has_value());
    CHECK_FALSE(parse_body("{\"a\": ", &err).has_value());
    CHECK(!err.empty());
    CHECK_FALSE(parse_body(std::string(100000, '['), &err).has_value());
    CHECK(err.find("nested") != std::string::npos);
    // Brackets inside strings do not count.
    CHECK(parse_body("{\"s\": \"" + std::string(1000, '[') + "\\\"\"}", &err).has_value());
    CHECK_FALSE(parse_body("\"\xff\"", &err).has_value()); // not UTF-8
}

TEST_CASE("classify: requests, notifications, responses and invalid shapes") {
    auto req = json::parse(R"({"jsonrpc":"2.0","id":3,"method":"shutdown"})");
    CHECK(classify(req).kind == Incoming::Request);
    auto note = json::parse(R"({"jsonrpc":"2.0","method":"exit","params":null})");
    CHECK(classify(note).kind == Incoming::Notification);
    CHECK(classify(note).params == nullptr);
    auto resp = json::parse(R"({"jsonrpc":"2.0","id":"x","result":null})");
    CHECK(classify(resp).kind == Incoming::Response);
    for (const char* bad :
         {R"([1,2])", R"(42)", R"({"id":1,"method":"x"})",
          R"({"jsonrpc":"2.0","id":1.5,"method":"x"})", R"({"jsonrpc":"2.0","id":1,"method":7})",
          R"({"jsonrpc":"2.0","id":1,"method":"x","params":"s"})", R"({"jsonrpc":"2.0","id":1})"}) {
        CAPTURE(bad);
        Incoming in = classify(json::parse(bad));
        CHECK(in.kind == Incoming::Invalid);
        CHECK(!in.problem.empty());
    }
    // The id survives an invalid message so the error can name the request.
    CHECK(classify(json::parse(R"({"jsonrpc":"1.0","id":9,"method":"x"})")).id == 9);
}

TEST_CASE("didChange params: errors name the JSON path of the bad field") {
    CHECK(
        error_of<DidChangeParams>(
            json::parse(
                R"({"textDocument":{"uri":"file:///a","version":2},"contentChanges":[{"text":"x"}]})"))
            .empty());
    CHECK(error_of<DidChangeParams>(json::parse(R"({"textDocument":{"uri":"file:///a","version":2},
        "contentChanges":[{"text":"x"},{"range":{"start":{"line":0,"character":-1},
        "end":{"line":0,"character":0}},"text":"y"}]})")) ==
          "params.contentChanges[1].range.start.character: expected a non-negative integer, "
          "got -1");
    CHECK(error_of<DidChangeParams>(
              json::parse(R"({"textDocument":{"uri":5,"version":2},"contentChanges":[]})")) ==
          "params.textDocument.uri: expected a string, got number");
    CHECK(error_of<DidChangeParams>(json::parse(R"({"contentChanges":[]})")) ==
          "params.textDocument: missing");
    CHECK(error_of<DidChangeParams>(
              json::parse(R"({"textDocument":{"uri":"u","version":"2"},"contentChanges":[]})")) ==
          "params.textDocument.version: expected an integer, got string");
    CHECK(error_of<DidChangeParams>(
              json::parse(R"({"textDocument":{"uri":"u","version":2},"contentChanges":{}})")) ==
          "params.contentChanges: expected an array, got object");
    CHECK(error_of<DidChangeParams>(json::parse(R"({"textDocument":{"uri":"u","version":2},
        "contentChanges":[{"range":{"start":{"line":2,"character":0},
        "end":{"line":1,"character":0}},"text":""}]})")) ==
          "params.contentChanges[0].range: end before start");
}

TEST_CASE("didChange params: reason on the params or on a change") {
    DidChangeParams p;
    json j = json::parse(R"({"textDocument":{"uri":"u","version":2},"reason":"undo",
        "contentChanges":[{"text":"a"},{"text":"b","reason":"redo"}]})");
    REQUIRE_FALSE(from_json(&j, p).has_value());
    REQUIRE(p.changes.size() == 2);
    CHECK(p.changes[0].reason == EditReason::Undo);
    CHECK(p.changes[1].reason == EditReason::Redo);
    CHECK_FALSE(p.changes[0].range.has_value());
}

TEST_CASE("annotate params") {
    AnnotateParams p;
    json ok = json::parse(R"({"textDocument":{"uri":"u","version":4},
        "origin":{"class":"ai","tool":"copilot","kind":"completion","model":"m"},
        "ranges":[{"start":{"line":0,"character":0},"end":{"line":1,"character":0}}]})");
    REQUIRE_FALSE(from_json(&ok, p).has_value());
    CHECK(p.origin.cls == OriginClass::Ai);
    CHECK(p.origin.tool == "copilot");
    CHECK(p.ranges.size() == 1);
    CHECK(error_of<AnnotateParams>(json::parse(R"({"textDocument":{"uri":"u","version":4},
        "origin":{"class":"unknown"},"ranges":[]})")) ==
          "params.origin.class: expected ai, paste or human");
    CHECK(error_of<AnnotateParams>(json::parse(R"({"textDocument":{"uri":"u","version":4},
        "origin":{"class":"ai","kind":"magic"},"ranges":[]})")) ==
          "params.origin.kind: expected completion, agent or chat, got 'magic'");
    // The origin is read by the same reader as the rest, so its fields have their full path.
    CHECK(error_of<AnnotateParams>(json::parse(R"({"textDocument":{"uri":"u","version":4},
        "origin":{"class":"ai","tool":7},"ranges":[]})")) ==
          "params.origin.tool: expected a string, got number");
    CHECK(error_of<AnnotateParams>(json::parse(R"({"textDocument":{"uri":"u","version":4},
        "ranges":[]})")) == "params.origin: missing");
    CHECK(error_of<AnnotateParams>(json::parse(R"({"textDocument":{"uri":"u","version":4},
        "origin":{"class":"paste"},"ranges":[{"start":{"line":0}}]})")) ==
          "params.ranges[0].start.character: missing");
}

TEST_CASE("positionEncoding negotiation") {
    CHECK(negotiate_encoding({}) == PositionEncoding::Utf16);
    CHECK(negotiate_encoding({"utf-16"}) == PositionEncoding::Utf16);
    CHECK(negotiate_encoding({"utf-32", "utf-16"}) == PositionEncoding::Utf32);
    CHECK(negotiate_encoding({"utf-16", "utf-32", "utf-8"}) == PositionEncoding::Utf8);
    InitializeParams p;
    json j = json::parse(R"({"capabilities":{"general":{"positionEncodings":["utf-8"]}}})");
    REQUIRE_FALSE(from_json(&j, p).has_value());
    CHECK(p.position_encodings == std::vector<std::string>{"utf-8"});
    json none = json::parse(R"({"capabilities":{}})");
    CHECK_FALSE(from_json(&none, p).has_value());
    CHECK(error_of<InitializeParams>(
              json::parse(R"({"capabilities":{"general":{"positionEncodings":[1]}}})")) ==
          "params.capabilities.general.positionEncodings[0]: expected a string, got number");
}

TEST_CASE("file URIs") {
    CHECK(file_uri_to_path("file:///home/a%20b/c.txt") == "/home/a b/c.txt");
    CHECK(file_uri_to_path("file://localhost/x/y") == "/x/y");
    CHECK(file_uri_to_path("FILE:///x/%E2%82%AC.txt") == "/x/\xE2\x82\xAC.txt");
    CHECK_FALSE(file_uri_to_path("untitled:Untitled-1").has_value());
    CHECK_FALSE(file_uri_to_path("file://server/share/x").has_value());
    CHECK_FALSE(file_uri_to_path("file:///x/%zz").has_value());
    CHECK_FALSE(file_uri_to_path("file:///x/%2").has_value());
    CHECK_FALSE(file_uri_to_path("file:///x/%00y").has_value());
    CHECK_FALSE(file_uri_to_path("https://example.com/x").has_value());
    std::string odd = "/tmp/a b#c%d/é.txt";
    CHECK(file_uri_to_path(path_to_file_uri(odd)) == odd);
}
