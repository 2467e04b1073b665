// The funnel of AI completions: no hook reports what a completion generated, so the sidecar
// counts the lines the client's annotations attributed (Document::take_generated), and the
// commit's note and the report show generated -> committed -> discarded for completions too.
#include "editor_session.h"
#include "support/lsp_client.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace provenant::test;
using nlohmann::json;

namespace {

const json kCompletion = {
    {"class", "ai"}, {"tool", "copilot"}, {"kind", "completion"}, {"model", "gpt-4.1"}};

/// The note's origin records of `tool` (`provenant show --json`).
std::vector<json> origins_of(const TempRepo& r, const std::string& tool) {
    auto res = r.provenant({"show", "--json"});
    REQUIRE_MESSAGE(res.exit_code == 0, res.err);
    const json note = json::parse(res.out);
    INFO(note.dump(2));
    std::vector<json> out;
    for (const auto& [id, o] : note["origins"].items())
        if (o.value("tool", "") == tool) out.push_back(o);
    return out;
}

} // namespace

TEST_CASE("accepted completions are the completion session's generated lines, once") {
    TempRepo r;
    r.write("a.py", "x = 1\n");
    r.commit_all("initial");
    REQUIRE(r.provenant({"install"}).exit_code == 0);

    LspClient::Options o;
    o.cwd = r.path();
    LspClient lsp(o);
    lsp.initialize();
    const std::string uri = file_uri(r.file("a.py"));
    lsp.did_open(uri, "x = 1\n", 1, "python");
    int64_t v = 1;
    // A completion of three lines (one of them blank) after line 0, accepted.
    const std::string first = "def f(a):\n\n    return a * 2\n";
    lsp.did_change(uri, ++v, range(1, 0, 1, 0), first);
    lsp.annotate(uri, v, kCompletion, json::array({range(1, 0, 4, 0)}));
    // The client annotates the same text again (a duplicate): nothing more was generated.
    lsp.annotate(uri, v, kCompletion, json::array({range(1, 0, 4, 0)}));
    // A second completion of two lines, accepted, then its last line deleted by the person.
    const std::string second = "def g(b):\n    return b + 1\n";
    lsp.did_change(uri, ++v, range(4, 0, 4, 0), second);
    lsp.annotate(uri, v, kCompletion, json::array({range(4, 0, 6, 0)}));
    lsp.did_change(uri, ++v, range(5, 0, 6, 0), "");
    // A person types a line: not generated.
    type_line(lsp, uri, v, 5, "    pass\n");
    const std::string text = "x = 1\n" + first + "def g(b):\n    pass\n";
    r.write("a.py", text);
    lsp.did_save(uri);
    lsp.sync();
    CHECK(lsp.line_classes(uri) ==
          std::vector<std::string>{"unknown", "ai", "blank", "ai", "ai", "human"});
    CHECK(lsp.shutdown_and_exit() == 0);

    r.git({"add", "a.py"});
    r.git({"commit", "-q", "-m", "completions"});
    const auto copilot = origins_of(r, "copilot");
    REQUIRE(copilot.size() == 1);
    REQUIRE(copilot[0].contains("funnel"));
    // Generated: f's two non-blank lines and g's two; committed: three; one deleted.
    CHECK(copilot[0]["funnel"]["generated"] == 4);
    CHECK(copilot[0]["funnel"]["committed"] == 3);
    CHECK(copilot[0]["funnel"]["discarded"] == 1);
    CHECK(copilot[0]["funnel"]["pending"] == 0);

    auto rep = r.provenant({"report", "--format", "json"});
    REQUIRE_MESSAGE(rep.exit_code == 0, rep.err);
    const json report = json::parse(rep.out);
    CHECK(report["funnel"]["generated"] == 4);
    CHECK(report["funnel"]["committed"] == 3);
    CHECK(report["funnel"]["retention"].get<double>() == doctest::Approx(0.75));

    // The next commit, with no completion since, carries no completion funnel again.
    r.write("b.txt", "later\n");
    r.git({"add", "b.txt"});
    r.git({"commit", "-q", "-m", "later"});
    for (const json& c : origins_of(r, "copilot"))
        CHECK_FALSE(c.contains("funnel"));
}
