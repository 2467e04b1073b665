// End-to-end, issue 12 §8: what one LSP message may cost is bounded before it is parsed;
// over-budget input gets a clear error and the session goes on.
#include "support/lsp_client.h"

#include <doctest/doctest.h>

using namespace provenant::test;

namespace {

const std::string kUri = "file:///tmp/provenant-budget-test/doc.txt";

json next_error(LspClient& c) {
    auto m = c.next_message(std::chrono::seconds(60));
    REQUIRE_MESSAGE(m.has_value(), "no reply; server log:\n" << c.log());
    REQUIRE_MESSAGE(m->contains("error"), m->dump());
    return *m;
}

} // namespace

TEST_CASE("over-budget messages are refused with InvalidRequest; document text may be large") {
    LspClient c;
    c.initialize();

    // 2 M values of `{}`: parsed, this shape costs ~100 bytes a value (~200 MB).
    std::string many = "[";
    for (int i = 0; i < 2'000'000; ++i)
        many += i ? ",{}" : "{}";
    many += "]";
    c.send_raw(lsp_frame(many));
    json e = next_error(c);
    CHECK(e["error"]["code"] == -32600);
    CHECK(e["error"]["message"].get<std::string>().find("JSON values") != std::string::npos);

    // A request that carries no document text has no use for megabytes.
    json big = {
        {"jsonrpc", "2.0"},
        {"id", 77},
        {"method", "provenant/documentProvenance"},
        {"params", {{"textDocument", {{"uri", kUri}}}, {"pad", std::string(2 << 20, 'x')}}}};
    c.send_raw(lsp_frame(big.dump()));
    e = next_error(c);
    CHECK(e["error"]["code"] == -32600);
    CHECK(e["error"]["message"].get<std::string>().find("provenant/documentProvenance") !=
          std::string::npos);

    // Document text is exempt: an 8 MiB didOpen opens.
    std::string text;
    while (text.size() < (8u << 20))
        text += "a line of text that is not short\n";
    c.did_open(kUri, text);
    json r = c.provenance(kUri);
    CHECK(r["uri"] == kUri);
    CHECK(c.shutdown_and_exit() == 0);
}
