// End-to-end: edits and annotations through the real sidecar give the attribution of §3.
#include "lsp_test_util.h"

using namespace provenant::test;

namespace {

const json kCopilot = {{"class", "ai"},
                       {"tool", "copilot"},
                       {"kind", "completion"},
                       {"model", "gpt-4.1"},
                       {"session", "s-1"}};
const std::string kBody = "    let x = compute(42);\n    println!(\"{}\", x);\n";

std::string mem_uri(const std::string& name) {
    return "untitled:" + name;
}

} // namespace

TEST_CASE("typing is human; a large un-annotated insert is unknown") {
    LspClient c;
    c.initialize();
    std::string uri = mem_uri("typing");
    c.did_open(uri, "", 1);
    int64_t v = 1;
    type_text(c, uri, v, 0, 0, "int x;\n");
    json p = c.provenance(uri);
    CHECK(p["lines"] == json::array({"human"}));
    CHECK(p["chars"]["human"] == 5);
    CHECK(p["chars"]["unknown"] == 0);
    CHECK(p["version"] == v);

    std::string big;
    for (int i = 0; i < 10; ++i)
        big += "generated line number " + std::to_string(i) + " with some text\n";
    c.did_change(uri, ++v, lsp_range(1, 0, 1, 0), big);
    p = c.provenance(uri);
    REQUIRE(p["lines"].size() == 11);
    CHECK(p["lines"][0] == "human");
    for (int i = 1; i <= 10; ++i)
        CHECK(p["lines"][i] == "unknown");
    CHECK(c.shutdown_and_exit() == 0);
}

TEST_CASE("an AI annotation before or after its didChange gives the same result") {
    LspClient c;
    c.initialize();
    std::string after = mem_uri("after"), before = mem_uri("before");
    for (const auto& uri : {after, before})
        c.did_open(uri, "fn main() {\n}\n", 1);

    c.did_change(after, 2, lsp_range(1, 0, 1, 0), kBody);
    c.annotate(after, 2, kCopilot, json::array({lsp_range(1, 0, 3, 0)}));

    c.annotate(before, 2, kCopilot, json::array({lsp_range(1, 0, 3, 0)}));
    c.did_change(before, 2, lsp_range(1, 0, 1, 0), kBody);

    json a = c.provenance(after), b = c.provenance(before);
    CHECK(without_uri(a) == without_uri(b));
    CHECK(a["lines"] == json::array({"unknown", "ai", "ai", "unknown"}));
    // lineOrigins index the origins array (the shape of status --json too).
    CHECK(a["lineOrigins"] == json::array({nullptr, 0, 0, nullptr}));
    REQUIRE(a["origins"].size() == 1);
    const size_t id = 0;
    std::string where;
    CHECK_MESSAGE(json_subset(json{{"tool", "copilot"},
                                   {"kind", "completion"},
                                   {"model", "gpt-4.1"},
                                   {"session", "s-1"}},
                              a["origins"][id], &where),
                  where);

    // Typing into the annotated range afterwards is not covered by the annotation.
    for (const auto& uri : {after, before})
        c.did_change(uri, 3, lsp_range(1, 4, 1, 4), "mut ");
    a = c.provenance(after);
    b = c.provenance(before);
    CHECK(without_uri(a) == without_uri(b));
    CHECK(a["lines"][1] == "ai_modified");
    CHECK(a["chars"]["human"] == 3);
    CHECK(c.shutdown_and_exit() == 0);
}

TEST_CASE("a formatter-style full replacement keeps origins") {
    LspClient c;
    c.initialize();
    std::string uri = mem_uri("format");
    c.did_open(uri, "", 1);
    std::string ai = "def f(x):\n  return x+1\n";
    c.did_change(uri, 2, lsp_range(0, 0, 0, 0), ai);
    c.annotate(uri, 2, kCopilot, json::array({lsp_range(0, 0, 2, 0)}));
    int64_t v = 2;
    type_text(c, uri, v, 2, 0, "# note\n");
    json before = c.provenance(uri);
    CHECK(before["lines"] == json::array({"ai", "ai", "human"}));

    // Whitespace-only reformat through full-text sync: no line changes class.
    c.did_change_full(uri, ++v, "def f(x):\n    return x + 1\n# note\n");
    json formatted = c.provenance(uri);
    CHECK(formatted["lines"] == before["lines"]);
    CHECK(formatted["chars"] == before["chars"]);

    // One character changed through full-text sync: one character changes origin.
    c.did_change_full(uri, ++v, "def f(y):\n    return x + 1\n# note\n");
    json one = c.provenance(uri);
    CHECK(one["chars"]["ai"] == before["chars"]["ai"].get<int>() - 1);
    CHECK(one["chars"]["human"] == before["chars"]["human"].get<int>() + 1);
    CHECK(one["lines"][1] == "ai");
    CHECK(one["lines"][2] == "human");
    CHECK(c.shutdown_and_exit() == 0);
}

TEST_CASE("undo and redo restore origins") {
    LspClient c;
    c.initialize();
    std::string uri = mem_uri("undo");
    c.did_open(uri, "start\n", 1);
    c.did_change(uri, 2, lsp_range(1, 0, 1, 0), kBody);
    c.annotate(uri, 2, kCopilot, json::array({lsp_range(1, 0, 3, 0)}));
    json with_ai = c.provenance(uri);
    REQUIRE(with_ai["lines"] == json::array({"unknown", "ai", "ai"}));

    c.did_change(uri, 3, lsp_range(1, 0, 3, 0), "");
    CHECK(c.provenance(uri)["lines"] == json::array({"unknown"}));
    c.did_change(uri, 4, lsp_range(1, 0, 1, 0), kBody, "undo");
    CHECK(without_uri(c.provenance(uri))["lines"] == with_ai["lines"]);
    CHECK(c.provenance(uri)["chars"] == with_ai["chars"]);

    c.did_change(uri, 5, lsp_range(1, 0, 3, 0), "", "undo");
    c.did_change(uri, 6, lsp_range(1, 0, 1, 0), kBody, "redo");
    CHECK(c.provenance(uri)["lines"] == with_ai["lines"]);

    // Cut and paste back without any reason: the deleted-span store matches by content.
    c.did_change(uri, 7, lsp_range(1, 0, 3, 0), "");
    c.did_change(uri, 8, lsp_range(0, 0, 0, 0), kBody);
    CHECK(c.provenance(uri)["lines"] == json::array({"ai", "ai", "unknown"}));
    CHECK(c.shutdown_and_exit() == 0);
}

TEST_CASE("a paste annotation makes pasted lines paste") {
    LspClient c;
    c.initialize();
    std::string uri = mem_uri("paste");
    c.did_open(uri, "x = 1\n", 1);
    c.did_change(uri, 2, lsp_range(1, 0, 1, 0), "LIMITS = {\n    \"low\": 0,\n}\n");
    c.annotate(uri, 2, json{{"class", "paste"}}, json::array({lsp_range(1, 0, 4, 0)}));
    CHECK(c.provenance(uri)["lines"] == json::array({"unknown", "paste", "paste", "paste"}));
    CHECK(c.shutdown_and_exit() == 0);
}

TEST_CASE("positions: CRLF, lone CR and surrogate pairs in utf-16, utf-8 and utf-32") {
    struct Case {
        std::string encoding;
        uint32_t after_emoji; // the character offset just after "a😀" on line 0
    };
    for (const Case& k : {Case{"utf-16", 3}, Case{"utf-8", 5}, Case{"utf-32", 2}}) {
        CAPTURE(k.encoding);
        TempRepo repo;
        repo.write("p.txt", "a😀b\r\nc\rd\n");
        std::string uri = file_uri(repo.file("p.txt"));
        LspClient c(LspClient::Options{{}, repo.path()});
        REQUIRE(c.initialize({k.encoding})["capabilities"]["positionEncoding"] == k.encoding);
        c.did_open(uri, "a😀b\r\nc\rd\n", 1);
        c.did_change(uri, 2, lsp_range(0, k.after_emoji, 0, k.after_emoji), "X");
        c.did_change(uri, 3, lsp_range(1, 1, 1, 1), "Y"); // line 1 ends at the lone \r
        c.did_change(uri, 4, lsp_range(2, 0, 2, 1), "D"); // line 2 is "d"
        c.did_change(uri, 5, lsp_range(0, 0, 0, 1), "");  // delete "a"
        if (k.encoding == "utf-16") // inside the surrogate pair: rejected, nothing changes
            c.did_change(uri, 6, lsp_range(0, 1, 0, 1), "!");
        if (k.encoding == "utf-8") // inside the 4-byte sequence
            c.did_change(uri, 6, lsp_range(0, 2, 0, 2), "!");
        c.sync();
        CHECK(journal_entry(repo, "p.txt").snapshot.text == "😀Xb\r\ncY\rD\n");
        CHECK(c.provenance(uri)["lines"].size() == 3);
        CHECK(c.shutdown_and_exit() == 0);
    }
}
