// End-to-end, issue 12 §6: a number out of double's range once threw out of the reader and
// left `provenant lsp` deaf and alive forever; it is answered, and the end of stdin is seen.
#include "support/lsp_client.h"

#include <doctest/doctest.h>

using namespace provenant::test;

TEST_CASE("after an out-of-range number the server still answers and sees the end of its input") {
    const std::string uri = "file:///tmp/provenant-exit-test/doc.txt";
    LspClient c;
    c.initialize();
    for (const char* body :
         {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"n\":1e400}", "[-1e400]",
          "{\"jsonrpc\":\"2.0\",\"method\":\"y\",\"params\":[1e999]}"}) {
        c.send_raw(lsp_frame(body));
        auto m = c.next_message(std::chrono::seconds(20));
        REQUIRE_MESSAGE(m.has_value(), "no reply to " << body << "; log:\n" << c.log());
        CHECK((*m)["error"]["code"] == -32700);
        CHECK((*m)["id"].is_null());
    }
    c.did_open(uri, "hello\n");
    CHECK(c.provenance(uri)["uri"] == uri);
    // No shutdown/exit: the end of stdin alone must end the process.
    c.child().close_stdin();
    auto code = c.wait_exit();
    REQUIRE_MESSAGE(code.has_value(), "still running after stdin closed; log:\n" << c.log());
}
