// End-to-end: the LSP lifecycle and JSON-RPC error codes of the real `provenant lsp`.
#include "support/lsp_client.h"

#include <doctest/doctest.h>

using namespace provenant::test;

namespace {

int error_code(const json& reply) {
    REQUIRE_MESSAGE(reply.contains("error"), "expected an error reply, got " << reply.dump());
    return reply["error"]["code"].get<int>();
}

} // namespace

TEST_CASE("initialize announces text sync and the negotiated position encoding") {
    LspClient c;
    json result = c.initialize();
    std::string where;
    CHECK_MESSAGE(json_subset(json::parse(R"({"capabilities":{"positionEncoding":"utf-16",
        "textDocumentSync":{"openClose":true,"change":2,"save":{"includeText":false}}},
        "serverInfo":{"name":"provenant"}})"),
                              result, &where),
                  where);
    // Nothing else is offered but rename notifications (rename_test.cpp): no completions, no
    // diagnostics.
    CHECK(result["capabilities"].size() == 3);
    CHECK(result["capabilities"]["workspace"].size() == 1);
    CHECK(result["capabilities"]["workspace"]["fileOperations"].size() == 1);
    CHECK(result["capabilities"]["workspace"]["fileOperations"].contains("didRename"));
    CHECK(c.shutdown_and_exit() == 0);
}

TEST_CASE("positionEncoding: utf-8 when offered, else utf-32, else utf-16") {
    for (auto [offer, expect] : std::vector<std::pair<std::vector<std::string>, std::string>>{
             {{"utf-16", "utf-8"}, "utf-8"},
             {{"utf-32", "utf-16"}, "utf-32"},
             {{"utf-16"}, "utf-16"},
             {{"latin-1"}, "utf-16"}}) {
        LspClient c;
        CHECK(c.initialize(offer)["capabilities"]["positionEncoding"] == expect);
        CHECK(c.shutdown_and_exit() == 0);
    }
}

TEST_CASE("requests before initialize are refused; notifications are dropped") {
    LspClient c;
    CHECK(error_code(c.request("provenant/sync", nullptr)) == -32002);
    CHECK(error_code(c.request("shutdown", nullptr)) == -32002);
    c.did_open("file:///tmp/never-open.txt", "x");
    c.initialize();
    // The didOpen before initialize was not applied.
    CHECK(error_code(c.request("provenant/documentProvenance",
                               json{{"textDocument", {{"uri", "file:///tmp/never-open.txt"}}}})) ==
          -32602);
    CHECK(c.shutdown_and_exit() == 0);
}

TEST_CASE("initialize twice, unknown methods, $/ notifications and responses") {
    LspClient c;
    c.initialize();
    CHECK(error_code(c.request("initialize", json{{"capabilities", json::object()}})) == -32600);
    json unknown = c.request("textDocument/completion", json::object());
    CHECK(error_code(unknown) == -32601);
    CHECK(unknown["error"]["message"].get<std::string>().find("textDocument/completion") !=
          std::string::npos);
    c.notify("$/setTrace", json{{"value", "verbose"}});
    c.notify("$/progress", json{{"token", 1}, {"value", json::object()}});
    c.notify("workspace/didChangeConfiguration", json{{"settings", json::object()}});
    c.send(json{{"jsonrpc", "2.0"}, {"id", 77}, {"result", nullptr}}); // a stray response
    c.sync();
    // None of these produced a message.
    CHECK(c.queued().empty());
    CHECK(c.shutdown_and_exit() == 0);
}

TEST_CASE("after shutdown, requests are invalid and exit ends the process with 0") {
    LspClient c;
    c.initialize();
    CHECK(c.request("shutdown", nullptr).contains("result"));
    CHECK(error_code(c.request("provenant/sync", nullptr)) == -32600);
    CHECK(error_code(c.request("shutdown", nullptr)) == -32600);
    c.notify("exit", nullptr);
    CHECK(c.wait_exit() == 0);
}

TEST_CASE("exit without shutdown, or end of input, ends the process with 1") {
    {
        LspClient c;
        c.initialize();
        c.notify("exit", nullptr);
        CHECK(c.wait_exit() == 1);
    }
    {
        LspClient c;
        c.initialize();
        c.child().close_stdin();
        CHECK(c.wait_exit() == 1);
    }
    {
        LspClient c;
        c.initialize();
        CHECK(c.request("shutdown", nullptr).contains("result"));
        c.child().close_stdin();
        CHECK(c.wait_exit() == 0);
    }
}

TEST_CASE("every request gets exactly one reply, string ids included, cancelled or not") {
    LspClient c;
    c.initialize();
    // A large document keeps the core thread busy while the requests and their cancellations
    // queue up behind it, so some cancellations find their request still waiting.
    std::string big;
    for (int i = 0; i < 200000; ++i)
        big += "line " + std::to_string(i) + " of a large file\n";
    std::string batch = lsp_frame(json{
        {"jsonrpc", "2.0"},
        {"method", "textDocument/didOpen"},
        {"params",
         {{"textDocument",
           {{"uri", "file:///big.txt"},
            {"languageId", "plaintext"},
            {"version", 1},
            {"text", big}}}}}}.dump());
    for (int i = 0; i < 40; ++i) {
        json id = i % 2 ? json("s" + std::to_string(i)) : json(1000 + i);
        batch += lsp_frame(json{{"jsonrpc", "2.0"},
                                {"id", id},
                                {"method", "provenant/documentProvenance"},
                                {"params", {{"textDocument", {{"uri", "file:///nope"}}}}}}
                               .dump());
        if (i % 3 == 0)
            batch += lsp_frame(
                json{{"jsonrpc", "2.0"}, {"method", "$/cancelRequest"}, {"params", {{"id", id}}}}
                    .dump());
    }
    c.send_raw(batch);
    c.sync();
    std::map<std::string, int> replies;
    int cancelled = 0;
    while (auto m = c.next_message(std::chrono::milliseconds(0))) {
        REQUIRE(m->contains("id"));
        replies[(*m)["id"].dump()]++;
        int code = error_code(*m);
        CHECK((code == -32602 || code == -32800));
        cancelled += code == -32800;
    }
    CHECK(replies.size() == 40);
    for (auto& reply : replies) // not a binding: CHECK_MESSAGE captures it in a lambda
        CHECK_MESSAGE(reply.second == 1, reply.first);
    MESSAGE("cancelled before handling: " << cancelled << " of 14");
    CHECK(c.shutdown_and_exit() == 0);
}
