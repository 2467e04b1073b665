// The HTML report's page builder: escaping of untrusted text and of the embedded JSON, a page
// for any report shape. (The page in a real browser: tests/e2e/report_outputs.)
#include "analysis/chartjs.h"
#include "analysis/report_format.h"
#include "analysis/report_html.h"

#include <doctest/doctest.h>

using namespace provenant::analysis;
using nlohmann::json;

TEST_CASE("report html: untrusted text is escaped for HTML") {
    CHECK(html_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
    CHECK(html_escape("esc\x1b[31m") == "esc?[31m");
    // Invalid UTF-8 is replaced, valid UTF-8 kept.
    CHECK(html_escape("caf\xC3\xA9") == "caf\xC3\xA9");
    CHECK(html_escape("bad\xFF") == "bad\xEF\xBF\xBD");
}

TEST_CASE("report html: the embedded JSON cannot end its script element and reads back") {
    const json v = {{"model", "x</script><script>alert(1)</script><!--"},
                    {"line", "a\xE2\x80\xA8"
                             "b\xE2\x80\xA9"
                             "c"},
                    {"amp", "&&"},
                    {"n", 3}};
    const std::string s = json_for_script(v);
    CHECK(s.find('<') == std::string::npos);
    CHECK(s.find('>') == std::string::npos);
    CHECK(s.find('&') == std::string::npos);
    CHECK(s.find("\xE2\x80\xA8") == std::string::npos);
    CHECK(s.find("\xE2\x80\xA9") == std::string::npos);
    CHECK(s.find("\\u2028") != std::string::npos);
    CHECK(json::parse(s) == v);
    // Invalid UTF-8 in a note does not throw.
    CHECK(json::parse(json_for_script(json("bad\xFF"))) == json("bad\xEF\xBF\xBD"));
}

TEST_CASE("report html: a page for any report, hostile strings only as text") {
    const std::string hostile = "<img src=x onerror=alert(1)>";
    json report = {
        {"schema", "provenant-report/1"},
        {"totals",
         {{"commits", 2},
          {"commits_with_notes", 1},
          {"lines_added",
           {{"ai", 3}, {"ai_modified", 0}, {"human", 1}, {"paste", 0}, {"unknown", 0}}}}},
        {"funnel",
         {{"generated", 4},
          {"committed", 3},
          {"merged", 3},
          {"released", 0},
          {"alive", 2},
          {"rewritten_before_merge", 0},
          {"retention", 0.75},
          {"production_rate", nullptr}}},
        {"selection", {{"range", hostile}}},
        {"groups",
         json::array(
             {{{"key", {{"tool", hostile}}}, {"commits", 1}, {"funnel", {{"committed", 3}}}}})}};
    HtmlReport in;
    in.report = report;
    in.by_tool = report;
    const std::string page = render_report_html(in);
    CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(page.find(hostile) == std::string::npos);
    CHECK(page.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
    // Totals as text: 3 of 4 lines are AI; a null ratio shows as a gap, not a zero.
    CHECK(page.find("<b data-field=\"ai_share\">75.0%</b>") != std::string::npos);
    CHECK(page.find("data-field=\"funnel.production_rate\">–<") != std::string::npos);
    CHECK(page.find("prefers-color-scheme: dark") != std::string::npos);
    CHECK(page.find("@media print") != std::string::npos);
    CHECK(page.find(chartjs_source()) != std::string::npos);
    // One element per chart.
    for (const char* id :
         {"chart-funnel", "chart-share", "chart-survival", "chart-rework", "chart-spend"})
        CHECK(page.find(std::string("<canvas id=\"") + id + "\"") != std::string::npos);
    // Chart.js is the real library, and the only </script> are the page's own three.
    CHECK(chartjs_version().find('.') != std::string_view::npos);
    CHECK(chartjs_source().size() > 100000);
    size_t closes = 0;
    for (size_t at = page.find("</script"); at != std::string::npos;
         at = page.find("</script", at + 1))
        ++closes;
    CHECK(closes == 3);

    // Through render_report too, and for reports of the wrong shape: never a throw.
    CHECK(*parse_report_format("HTML") == ReportFormat::Html);
    CHECK(render_report(report, ReportFormat::Html).find("chart-funnel") != std::string::npos);
    CHECK_NOTHROW(render_report(json::object(), ReportFormat::Html));
    CHECK_NOTHROW(render_report(json::array(), ReportFormat::Html));
    CHECK_NOTHROW(render_report(json("x"), ReportFormat::Html));
}
