// `provenant report --format html` opened in headless Chromium with no network: every chart
// drew its data (pixels of each series' colour inside the plot area), the numbers the page
// shows equal `report --format json`'s, the embedded data is the JSON report itself, a hostile
// model name stays text, and a screenshot is kept (build/test-artifacts/report-html/).
#include "browser.h"
#include "e2e/analysis/report_support.h"

#include <filesystem>
#include <regex>

using namespace provenant::test;
using nlohmann::json;

namespace {

// A model name that tries to end the data's <script>, run its own script, and break a JS
// string with U+2028.
const std::string kHostileModel =
    "gpt</script><script>document.title='pwned'</script>\xE2\x80\xA8<b>";

/// Several weeks of history: two agents (and a hostile model name), a feature branch merged,
/// a release tag, a person's lines, rework after merge, deletions that bend the survival
/// curves.
struct History {
    ReportRepo repo;
    std::string prices;
};

void build(History& h) {
    ReportRepo& r = h.repo;
    r.write("base.txt", numbered("base", 1, 4));
    r.commit_on(0, "base");
    r.agent_write("src/a.py", "", numbered("a", 1, 6), "aider", "gpt-5.4", 1000, 200);
    r.commit_on(1, "a");
    r.git({"checkout", "-q", "-b", "feat"});
    r.agent_write("src/b.py", "", numbered("b", 1, 5), "claude-code", "claude-sonnet-4-5", 3000,
                  900);
    r.commit_on(2, "b");
    r.write("src/b.py", "b 1\nB TWO\nb 3\nb 4\n");
    r.commit_on(3, "b edited");
    r.git({"checkout", "-q", "main"});
    r.merge_on(5, "feat");
    r.git({"tag", "v1"});
    r.write("notes.md", "one\ntwo\nthree\n");
    const std::string ch = r.commit_on(6, "notes");
    const std::string blob = r.git({"rev-parse", "HEAD:notes.md"}).out.substr(0, 40);
    const json note = {{"schema", "provenant/1"},
                       {"commit", ch},
                       {"parent", r.git({"rev-parse", "HEAD~1"}).out.substr(0, 40)},
                       {"files", {{"notes.md", {{"blob", blob}, {"lines", {{"human", "1-3"}}}}}}},
                       {"origins", json::object()}};
    r.git({"notes", "--ref=provenant", "add", "-f", "-m", note.dump(), ch});
    r.write("src/a.py", numbered("a", 1, 5) + "A SIX\n");
    r.commit_on(9, "a6");
    r.agent_write("src/e.py", "", numbered("e", 1, 4), "claude-code", "claude-sonnet-4-5", 2000,
                  400);
    r.commit_on(15, "e");
    r.agent_write("src/x.py", "", numbered("x", 1, 2), "aider", kHostileModel, 500, 50);
    r.commit_on(16, "x");
    r.write("notes.md", "one\ntwo\n");
    r.commit_on(20, "notes 3");
    r.write("src/a.py", numbered("a", 3, 5) + "A SIX\n");
    r.commit_on(30, "a12");
    h.prices = r.path() + "/../prices.json";
    write_text(
        h.prices,
        json{{"schema", "provenant-prices/1"},
             {"as_of", "2026-01-01"},
             {"models",
              {{"gpt-5.4", {{"vendor", "openai"}, {"input", 1}, {"output", 2}}},
               {"claude-sonnet-4-5", {{"vendor", "anthropic"}, {"input", 3}, {"output", 15}}},
               {kHostileModel, {{"vendor", "x"}, {"input", 1}, {"output", 1}}}}}}
            .dump());
}

// Injected into a copy of the page (the page itself has no test hooks): records script
// errors from the start, and after the page's own script has run writes what it finds into
// <pre id="provenant-check">, which --dump-dom then shows.
const std::string kErrorHook = "<script>window.__errors=[];window.addEventListener('error',"
                               "function(e){window.__errors.push(String(e.message));});</script>";
const std::string kChecker = R"js(<script>
(function () {
  function rgb(hex) { return [1, 3, 5].map(function (i) { return parseInt(hex.substr(i, 2), 16); }); }
  var canvases = Array.prototype.map.call(document.querySelectorAll('canvas'), function (c) {
    var chart = Chart.getChart(c);
    var out = {id: c.id, drawn: !!chart, width: c.width, height: c.height, datasets: []};
    if (!chart) return out;
    var a = chart.chartArea;
    var x0 = Math.floor(a.left), y0 = Math.floor(a.top);
    var w = Math.ceil(a.right) - x0, h = Math.ceil(a.bottom) - y0;
    var px = c.getContext('2d').getImageData(x0, y0, w, h).data;
    chart.data.datasets.forEach(function (ds) {
      var want = rgb(ds.backgroundColor), n = 0;
      for (var p = 0; p < px.length; p += 4)
        if (px[p + 3] > 200 && Math.abs(px[p] - want[0]) <= 6 && Math.abs(px[p + 1] - want[1]) <= 6 &&
            Math.abs(px[p + 2] - want[2]) <= 6) n++;
      var values = (ds.data || []).filter(function (v) {
        return v !== null && (typeof v === 'number' ? v !== 0 : typeof v.y === 'number');
      }).length;
      out.datasets.push({label: ds.label, values: values, pixels: n});
    });
    return out;
  });
  var pre = document.createElement('pre');
  pre.id = 'provenant-check';
  pre.textContent = JSON.stringify({
    canvases: canvases,
    empty: Array.prototype.map.call(document.querySelectorAll('.chart .empty'), function (e) { return e.textContent; }),
    errors: window.__errors,
    title: document.title,
    data: JSON.parse(document.getElementById('report-data').textContent)
  });
  document.body.appendChild(pre);
})();
</script>)js";

std::string html_unescape(std::string s) {
    static const std::pair<const char*, const char*> kEntities[] = {
        {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
    for (const auto& [from, to] : kEntities) {
        for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos;
             pos += std::string(to).size())
            s.replace(pos, std::string(from).size(), to);
    }
    return s;
}

// What the test expects a number to look like, written here independently of the page
// builder: counts with thousands separators, ratios as percentages with one decimal, money
// with a dollar sign; "–" where the report has null.
std::string expected_text(const json& v, const std::string& field) {
    if (v.is_null()) return "–";
    REQUIRE(v.is_number());
    const double d = v.get<double>();
    char buf[64];
    auto ends_with = [&](std::string_view tail) {
        return field.size() >= tail.size() &&
               field.compare(field.size() - tail.size(), tail.size(), tail) == 0;
    };
    const bool ratio = field == "ai_share" || ends_with("rate") || ends_with("retention");
    if (ratio) {
        std::snprintf(buf, sizeof buf, "%.1f%%", d * 100);
        return buf;
    }
    if (field.rfind("spend.cost", 0) == 0 || field.rfind("spend.uncommitted", 0) == 0) {
        const bool per_line = field.find("per_") != std::string::npos;
        std::snprintf(buf, sizeof buf, "$%.*f", per_line || (d != 0 && d < 0.01) ? 4 : 2, d);
        return buf;
    }
    std::string digits = std::to_string(v.get<long long>()), out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

// The report's value for a data-field of the page.
json value_of(const json& report, const std::string& field) {
    if (field == "ai_share") {
        const json& l = report["totals"]["lines_added"];
        double all = 0;
        for (const auto& [k, v] : l.items())
            all += v.get<double>();
        return all == 0 ? json(nullptr)
                        : json((l["ai"].get<double>() + l["ai_modified"].get<double>()) / all);
    }
    json::json_pointer ptr("/" + std::regex_replace(field, std::regex("\\."), "/"));
    if (report.contains(ptr)) return report[ptr];
    json::json_pointer in_totals("/totals" + ptr.to_string());
    if (report.contains(in_totals)) return report[in_totals];
    if (field.rfind("rework.matrix.", 0) == 0) return 0; // a cell the matrix does not have
    FAIL("the page shows a field the report does not have: " << field);
    return nullptr;
}

} // namespace

TEST_CASE("report --format html: every chart draws in headless Chromium and the page's numbers "
          "are the JSON report's") {
    const auto chromium = chromium_path();
    if (!chromium) {
        MESSAGE("skipped: no Chromium (/usr/bin/chromium or $PROVENANT_CHROMIUM); "
                "scripts/setup.sh installs Debian's chromium");
        return;
    }
    History h;
    build(h);
    ReportRepo& r = h.repo;
    const std::vector<std::string> sel = {"--release", "v*", "--prices", h.prices};
    const std::string dir = artifact_dir("report-html");
    const std::string page = dir + "/report.html";
    std::vector<std::string> args = {"report", "--format", "html", "--output", page};
    args.insert(args.end(), sel.begin(), sel.end());
    auto made = r.provenant(args);
    REQUIRE_MESSAGE(made.exit_code == 0, made.err);
    const std::string html = read_text(page);
    const json rep = r.report(sel);
    std::vector<std::string> by_tool_args = sel;
    by_tool_args.insert(by_tool_args.end(), {"--by", "tool"});
    const json by_tool = r.report(by_tool_args);
    INFO(rep.dump(2));

    // Self-contained: the library is inlined and nothing may be loaded from outside.
    CHECK(html.find("Chart.js v") != std::string::npos);
    CHECK(html.find("default-src 'none'") != std::string::npos);
    CHECK(html.find("<script src") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    // The hostile name appears only escaped.
    CHECK(html.find("</script><script>document.title") == std::string::npos);

    std::string checked = html;
    checked.insert(checked.find("<style>"), kErrorHook);
    checked.insert(checked.rfind("</body>"), kChecker);
    const std::string checked_path = dir + "/report-checked.html";
    write_text(checked_path, checked);
    auto dom =
        run_chromium(*chromium, checked_path,
                     {"--window-size=1280,2400", "--virtual-time-budget=5000", "--dump-dom"});
    REQUIRE_MESSAGE(dom.exit_code == 0, dom.err);
    write_text(dir + "/report-dom.html", dom.out);
    std::smatch m;
    REQUIRE_MESSAGE(
        std::regex_search(dom.out, m, std::regex("<pre id=\"provenant-check\">([^<]*)</pre>")),
        "the checker did not run: " << dom.err.substr(0, 2000));
    const json check = json::parse(html_unescape(m[1].str()));
    INFO(check["canvases"].dump(2));

    CHECK(check["errors"] == json::array());
    CHECK(check["title"] == "provenant report");
    CHECK(check["empty"] == json::array());
    // The data in the page is the report `--format json` gives for the same selection.
    CHECK(check["data"]["report"] == rep);
    json tool_groups = by_tool["groups"]; // as embedded: without the curves no chart draws
    for (json& g : tool_groups) {
        g["survival"].erase("curve");
        g["survival"]["human"].erase("curve");
    }
    CHECK(check["data"]["by_tool"] == tool_groups);

    // Five charts, each drew every series that has data, inside its plot area.
    std::vector<std::string> ids;
    for (const json& c : check["canvases"]) {
        ids.push_back(c["id"].get<std::string>());
        CAPTURE(c.dump());
        CHECK(c["drawn"] == true);
        CHECK(c["width"].get<int>() > 200);
        size_t with_data = 0;
        for (const json& d : c["datasets"]) {
            if (d["values"].get<int>() == 0) continue;
            ++with_data;
            CHECK_MESSAGE(d["pixels"].get<int>() >= 20,
                          "series '" << d["label"] << "' drew nothing");
        }
        CHECK(with_data > 0);
    }
    CHECK(ids == std::vector<std::string>{"chart-funnel", "chart-share", "chart-survival",
                                          "chart-rework", "chart-spend"});
    // The funnel has a series per tool with AI lines, the spend chart a bar per priced tool and
    // model.
    size_t tools = 0;
    for (const json& g : by_tool["groups"])
        tools +=
            g["funnel"]["generated"].get<int>() + g["funnel"]["committed"].get<int>() > 0 ? 1 : 0;
    CHECK(tools == 2);
    CHECK(check["canvases"][0]["datasets"].size() == tools);
    CHECK(check["canvases"][4]["datasets"][0]["values"] == 3);

    // Every number shown as text (read back from the browser's DOM) is the report's.
    const std::regex cell("data-field=\"([^\"]+)\">([^<]*)<");
    size_t shown = 0;
    const std::string totals_part = dom.out.substr(0, dom.out.find("<pre id=\"provenant-check\""));
    for (auto it = std::sregex_iterator(totals_part.begin(), totals_part.end(), cell);
         it != std::sregex_iterator(); ++it) {
        const std::string field = (*it)[1], text = html_unescape((*it)[2]);
        CAPTURE(field);
        CHECK(text == expected_text(value_of(rep, field), field));
        ++shown;
    }
    CHECK(shown >= 40);
    // The funnel per tool, row by row.
    const std::regex gcell("data-gfield=\"([^\"]+)\">([^<]*)<");
    for (const json& g : by_tool["groups"]) {
        const std::string tool =
            g["key"]["tool"].is_string() ? g["key"]["tool"].get<std::string>() : "";
        const size_t at = dom.out.find("<tr data-tool=\"" + tool + "\"");
        REQUIRE(at != std::string::npos);
        const std::string tr = dom.out.substr(at, dom.out.find("</tr>", at) - at);
        size_t n = 0;
        for (auto it = std::sregex_iterator(tr.begin(), tr.end(), gcell);
             it != std::sregex_iterator(); ++it) {
            const std::string field = (*it)[1];
            CAPTURE(tool);
            CAPTURE(field);
            CHECK(html_unescape((*it)[2]) == expected_text(value_of(g, field), field));
            ++n;
        }
        CHECK(n == 8);
    }
    // The hostile model name is shown as text in the table by tool and model.
    CHECK(dom.out.find("gpt&lt;/script&gt;&lt;script&gt;document.title") != std::string::npos);

    // The screenshot (docs/report.md shows one made this way).
    const std::string png = dir + "/report.png";
    std::filesystem::remove(png);
    auto shot = run_chromium(
        *chromium, page,
        {"--window-size=1280,2400", "--virtual-time-budget=5000", "--screenshot=" + png});
    REQUIRE_MESSAGE(shot.exit_code == 0, shot.err);
    REQUIRE(std::filesystem::exists(png));
    CHECK(std::filesystem::file_size(png) > 20000);
    MESSAGE("screenshot: " << png);
}
