// The HTML report. The numbers are written as text by this file (readable with scripts off,
// printable, searchable); the charts are drawn by the page's script from the same JSON, which
// is embedded once. Every string from the report may come from a hostile note.
#include "analysis/report_html.h"

#include "analysis/chartjs.h"
#include "analysis/report_html_script.h"
#include "support/json_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>

namespace provenant::analysis {

namespace {

using json = nlohmann::json;

const char* const kClasses[] = {"ai", "ai_modified", "human", "paste", "unknown"};
const char* const kReworkTo[] = {"human", "ai", "paste", "unknown", "deleted"};

// The value at a dotted path ("funnel.merged"), or nullptr. `totals.*` fields are also found
// at the top (a group may carry them either way, as report-v1.schema.json allows).
const json* at(const json& j, std::string_view path) {
    const json* cur = &j;
    size_t pos = 0;
    while (true) {
        const size_t dot = path.find('.', pos);
        const std::string key(
            path.substr(pos, dot == std::string_view::npos ? path.npos : dot - pos));
        if (!cur->is_object()) return nullptr;
        auto it = cur->find(key);
        if (it == cur->end()) {
            if (cur != &j) return nullptr;
            auto t = cur->find("totals");
            if (t == cur->end() || !t->is_object() || !t->contains(key)) return nullptr;
            it = t->find(key);
        }
        cur = &*it;
        if (dot == std::string_view::npos) return cur;
        pos = dot + 1;
    }
}

std::optional<double> number(const json& j, std::string_view path) {
    const json* v = at(j, path);
    if (v == nullptr || !v->is_number()) return std::nullopt;
    const auto d = v->get<double>();
    if (!std::isfinite(d)) return std::nullopt;
    return d;
}

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string with_commas(double v) {
    const bool neg = v < 0;
    const std::string digits =
        std::to_string(static_cast<unsigned long long>(std::llround(std::fabs(v))));
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return neg ? "-" + out : out;
}

enum class Kind { Count, Percent, Usd, UsdPerLine };

std::string format(std::optional<double> v, Kind kind) {
    if (!v) return "–";
    switch (kind) {
    case Kind::Count:
        return with_commas(*v);
    case Kind::Percent:
        return fixed(*v * 100, 1) + "%";
    case Kind::Usd:
        return "$" + fixed(*v, std::fabs(*v) != 0 && std::fabs(*v) < 0.01 ? 4 : 2);
    case Kind::UsdPerLine:
        return "$" + fixed(*v, 4);
    }
    return "–";
}

// One number cell: the text people read, and what it is, so the browser test can compare the
// page with `--format json`: data-field for the whole selection's numbers, data-gfield for a
// group's.
std::string cell(const json& j, const std::string& field, Kind kind, bool group = false) {
    return std::string("<td class=\"num\" ") + (group ? "data-gfield" : "data-field") + "=\"" +
           html_escape(field) + "\">" + format(number(j, field), kind) + "</td>";
}

double ai_lines(const json& j) {
    return number(j, "lines_added.ai").value_or(0) +
           number(j, "lines_added.ai_modified").value_or(0);
}

double all_lines(const json& j) {
    double sum = 0;
    for (const char* c : kClasses)
        sum += number(j, std::string("lines_added.") + c).value_or(0);
    return sum;
}

std::optional<double> share(const json& j) {
    const double all = all_lines(j);
    if (all == 0) return std::nullopt;
    return ai_lines(j) / all;
}

const json& groups_of(const json& report) {
    static const json kNone = json::array();
    if (!report.is_object()) return kNone;
    auto it = report.find("groups");
    return it != report.end() && it->is_array() ? *it : kNone;
}

// "tool / model" for a group's key, in `--by`'s documented key order (a JSON object keeps
// none); "(none)" where a key is null.
std::string key_label(const json& group) {
    static const char* const kOrder[] = {"tool", "model", "session", "author", "team",
                                         "path", "ext",   "month",   "week"};
    const json* key = at(group, "key");
    if (key == nullptr || !key->is_object() || key->empty()) return "(all)";
    std::vector<std::string> names;
    for (const char* n : kOrder)
        if (key->contains(n)) names.emplace_back(n);
    for (const auto& [name, v] : key->items())
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    std::string out;
    for (const std::string& name : names) {
        const json& v = (*key)[name];
        if (!out.empty()) out += " / ";
        out += v.is_string() ? v.get<std::string>() : std::string("(none)");
    }
    return out;
}

std::string row(const std::string& label, const std::string& cells) {
    return "<tr><th scope=\"row\">" + label + "</th>" + cells + "</tr>\n";
}

std::string selection_text(const json& report) {
    const json* sel = at(report, "selection");
    std::string out;
    auto add = [&](const char* name, const char* label) {
        const json* v = sel != nullptr ? at(*sel, name) : nullptr;
        if (v == nullptr || !v->is_string()) return;
        out += "<span><b>" + std::string(label) + "</b> <code>" +
               html_escape(v->get<std::string>()) + "</code></span> ";
    };
    add("range", "range");
    add("since", "since");
    add("until", "until");
    add("main", "main");
    add("release", "release");
    add("at", "alive at");
    return out.empty() ? "<span>all commits</span>" : out;
}

std::string totals_section(const json& r) {
    std::string s = "<section id=\"totals\"><h2>Totals</h2>\n<table class=\"facts\">\n";
    s += row("commits", cell(r, "commits", Kind::Count));
    s += row("with provenance notes", cell(r, "commits_with_notes", Kind::Count));
    for (const char* c : kClasses)
        s += row(std::string("lines added: ") + c,
                 cell(r, std::string("lines_added.") + c, Kind::Count));
    s += row("AI share of added lines", "<td class=\"num\" data-field=\"ai_share\">" +
                                            format(share(r), Kind::Percent) + "</td>");
    s += "</table>\n</section>\n";
    return s;
}

std::string funnel_section(const json& r, const json& by_tool) {
    static const char* const kSteps[] = {"generated", "committed", "merged",
                                         "released",  "alive",     "rewritten_before_merge"};
    std::string s = "<section id=\"funnel\"><h2>AI line funnel</h2>\n<table>\n<thead><tr><th></th>";
    for (const char* f : kSteps)
        s += "<th scope=\"col\">" +
             std::string(f == std::string_view("rewritten_before_merge") ? "rewritten before merge"
                                                                         : f) +
             "</th>";
    s += "<th scope=\"col\">retention</th><th scope=\"col\">production rate</th></tr></thead>\n";
    auto cells = [&](const json& j, bool group) {
        std::string c;
        for (const char* f : kSteps)
            c += cell(j, std::string("funnel.") + f, Kind::Count, group);
        c += cell(j, "funnel.retention", Kind::Percent, group);
        c += cell(j, "funnel.production_rate", Kind::Percent, group);
        return c;
    };
    s += "<tbody>\n<tr class=\"total\"><th scope=\"row\">all</th>" + cells(r, false) + "</tr>\n";
    for (const json& g : groups_of(by_tool)) {
        const json* tool = at(g, "key.tool");
        const std::string name =
            tool != nullptr && tool->is_string() ? tool->get<std::string>() : "";
        s += "<tr data-tool=\"" + html_escape(name) + "\"><th scope=\"row\">" +
             html_escape(name.empty() ? "(no tool)" : name) + "</th>" + cells(g, true) + "</tr>\n";
    }
    s += "</tbody></table>\n</section>\n";
    return s;
}

std::string survival_section(const json& r) {
    std::string s = "<section id=\"survival\"><h2>Survival after " +
                    format(number(r, "survival.days"), Kind::Count) +
                    " days</h2>\n<table>\n<thead><tr><th></th><th scope=\"col\">eligible</th>"
                    "<th scope=\"col\">alive</th><th scope=\"col\">rate</th></tr></thead>\n";
    for (const auto& [label, base] :
         {std::pair{"AI lines", "survival."}, std::pair{"human lines", "survival.human."}})
        s += row(label, cell(r, std::string(base) + "eligible", Kind::Count) +
                            cell(r, std::string(base) + "alive", Kind::Count) +
                            cell(r, std::string(base) + "rate", Kind::Percent));
    s += "</table>\n</section>\n";
    return s;
}

std::string rework_section(const json& r) {
    std::string s = "<section id=\"rework\"><h2>Rework within " +
                    format(number(r, "rework.days"), Kind::Count) +
                    " days of merge</h2>\n<p class=\"note\">Rows: the lines reworked; columns: "
                    "the class of the lines that replaced them.</p>\n<table>\n<thead><tr><th></th>";
    for (const char* to : kReworkTo)
        s += "<th scope=\"col\">" + std::string(to) + "</th>";
    s += "</tr></thead>\n";
    for (const char* from : kClasses) {
        std::string cells;
        for (const char* to : kReworkTo) {
            const std::string f = std::string("rework.matrix.") + from + "." + to;
            cells += "<td class=\"num\" data-field=\"" + f + "\">" +
                     format(number(r, f).value_or(0), Kind::Count) + "</td>";
        }
        s += row(from, cells);
    }
    s += "</table>\n</section>\n";
    return s;
}

std::string spend_section(const json& r) {
    std::string s = "<section id=\"spend\"><h2>Spend (list price)</h2>\n<table class=\"facts\">\n";
    s += row("cost", cell(r, "spend.cost_usd", Kind::Usd));
    s += row("of which committed nothing", cell(r, "spend.uncommitted_cost_usd", Kind::Usd));
    for (const char* t : {"input", "output", "cache_read", "cache_write_5m", "cache_write_1h"})
        s += row(std::string("tokens: ") + t,
                 cell(r, std::string("spend.tokens.") + t, Kind::Count));
    s +=
        row("per committed AI line", cell(r, "spend.cost_per_committed_ai_line", Kind::UsdPerLine));
    s += row("per merged AI line", cell(r, "spend.cost_per_merged_ai_line", Kind::UsdPerLine));
    s += row("per alive AI line", cell(r, "spend.cost_per_alive_ai_line", Kind::UsdPerLine));
    s += "</table>\n<h3>Commit shapes</h3>\n<table class=\"facts\">\n";
    for (const char* f : {"ai_only", "human_only", "mixed", "unknown_only"})
        s += row(f, cell(r, std::string("shapes.") + f, Kind::Count));
    s += "</table>\n</section>\n";
    return s;
}

std::string groups_section(const std::string& title, const json& report) {
    const json& groups = groups_of(report);
    if (groups.empty()) return {};
    std::string s = "<section class=\"groups\"><h2>" + html_escape(title) +
                    "</h2>\n<table>\n<thead><tr><th scope=\"col\">group</th>"
                    "<th scope=\"col\">commits</th><th scope=\"col\">AI lines added</th>"
                    "<th scope=\"col\">AI share</th><th scope=\"col\">committed</th>"
                    "<th scope=\"col\">merged</th><th scope=\"col\">released</th>"
                    "<th scope=\"col\">alive</th><th scope=\"col\">survival</th>"
                    "<th scope=\"col\">cost</th><th scope=\"col\">per alive AI line</th>"
                    "</tr></thead>\n<tbody>\n";
    for (const json& g : groups) {
        if (!g.is_object()) continue;
        s += "<tr><th scope=\"row\">" + html_escape(key_label(g)) + "</th>" +
             cell(g, "commits", Kind::Count, true) + "<td class=\"num\">" +
             format(ai_lines(g), Kind::Count) + "</td><td class=\"num\">" +
             format(share(g), Kind::Percent) + "</td>" +
             cell(g, "funnel.committed", Kind::Count, true) +
             cell(g, "funnel.merged", Kind::Count, true) +
             cell(g, "funnel.released", Kind::Count, true) +
             cell(g, "funnel.alive", Kind::Count, true) +
             cell(g, "survival.rate", Kind::Percent, true) +
             cell(g, "spend.cost_usd", Kind::Usd, true) +
             cell(g, "spend.cost_per_alive_ai_line", Kind::UsdPerLine, true) + "</tr>\n";
    }
    s += "</tbody></table>\n</section>\n";
    return s;
}

std::string chart(const char* id, const char* title) {
    return "<figure class=\"chart\"><figcaption>" + std::string(title) +
           "</figcaption><div class=\"box\"><canvas id=\"" + id + "\" role=\"img\" aria-label=\"" +
           title + "\"></canvas></div></figure>\n";
}

// The report whole (the page carries exactly what `--format json` says); of the three views
// only their groups, without the groups' survival curves, which no chart draws and which are
// most of their size (a point per day the estimate changes, per group).
json page_data(const HtmlReport& in) {
    auto groups = [](const json& r) {
        if (r.is_null()) return json(nullptr);
        json out = groups_of(r);
        for (json& g : out) {
            if (!g.is_object() || !g.contains("survival") || !g["survival"].is_object()) continue;
            json& s = g["survival"];
            s.erase("curve");
            if (s.contains("human") && s["human"].is_object()) s["human"].erase("curve");
        }
        return out;
    };
    return {{"report", in.report},
            {"by_tool", groups(in.by_tool)},
            {"by_tool_model", groups(in.by_tool_model)},
            {"by_period", groups(in.by_period)},
            {"period", in.period}};
}

constexpr std::string_view kStyle = R"css(
:root { --fg:#1d2330; --muted:#5b6475; --bg:#ffffff; --card:#f5f7fa; --grid:#d9dee7; --accent:#2f6fde; }
@media (prefers-color-scheme: dark) {
  :root { --fg:#e6e9ef; --muted:#a3abbb; --bg:#14171d; --card:#1d222b; --grid:#353c48; --accent:#7aa7ff; }
}
* { box-sizing: border-box; }
body { margin:0 auto; max-width:1200px; padding:24px; background:var(--bg); color:var(--fg);
  font:14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size:24px; margin:0 0 4px; } h2 { font-size:18px; margin:28px 0 8px; } h3 { font-size:15px; }
.sel span { margin-right:12px; color:var(--muted); } code { font-size:12px; }
.summary { display:flex; flex-wrap:wrap; gap:12px; margin:16px 0; }
.summary div { background:var(--card); border-radius:8px; padding:10px 16px; min-width:150px; }
.summary b { display:block; font-size:22px; }
.charts { display:grid; grid-template-columns:repeat(auto-fit, minmax(520px, 1fr)); gap:16px; }
.chart { margin:0; background:var(--card); border-radius:8px; padding:12px; }
.chart figcaption { font-weight:600; margin-bottom:6px; }
.chart .box { position:relative; height:300px; }
.chart .empty { color:var(--muted); padding:120px 0; text-align:center; }
table { border-collapse:collapse; margin:4px 0 12px; }
th, td { padding:4px 10px; border-bottom:1px solid var(--grid); text-align:left; }
td.num { text-align:right; font-variant-numeric:tabular-nums; }
thead th { color:var(--muted); font-weight:600; }
tr.total th, tr.total td { font-weight:600; }
.cols { display:flex; flex-wrap:wrap; gap:32px; } .note { color:var(--muted); margin:0; }
footer { margin-top:32px; color:var(--muted); font-size:12px; }
@media print {
  :root { --fg:#000; --muted:#444; --bg:#fff; --card:#fff; --grid:#bbb; }
  body { max-width:none; padding:0; font-size:11px; }
  .charts { display:block; }
  .chart { break-inside:avoid; page-break-inside:avoid; border:1px solid #bbb; margin-bottom:12px; }
  section, table { break-inside:avoid; }
}
)css";

} // namespace

std::string html_escape(std::string_view text) {
    // Invalid UTF-8 is replaced by nlohmann's own check (a string dumped with `replace`).
    const std::string valid = [&] {
        const std::string quoted = json_text_lossy(json(std::string(text)));
        return json::parse(quoted).get<std::string>();
    }();
    std::string out;
    out.reserve(valid.size());
    for (char c : valid) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default: {
            const auto u = static_cast<unsigned char>(c);
            out += (u < 0x20 && c != '\n' && c != '\t') || u == 0x7f ? '?' : c;
        }
        }
    }
    return out;
}

std::string json_for_script(const nlohmann::json& value) {
    const std::string text = json_text_lossy(value);
    std::string out;
    out.reserve(text.size() + text.size() / 16);
    // '<', '>', '&' and U+2028/9 can only occur inside JSON strings, where \uXXXX means the
    // same character.
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '<') {
            out += "\\u003c";
        } else if (c == '>') {
            out += "\\u003e";
        } else if (c == '&') {
            out += "\\u0026";
        } else if (c == '\xE2' && i + 2 < text.size() && text[i + 1] == '\x80' &&
                   (text[i + 2] == '\xA8' || text[i + 2] == '\xA9')) {
            out += text[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

std::string render_report_html(const HtmlReport& in) {
    const json& r = in.report;
    std::string h;
    h.reserve(chartjs_source().size() + 64 * 1024);
    h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         // Nothing leaves the page: no fetch, no image, no script or style from anywhere.
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n"
         "<meta name=\"color-scheme\" content=\"light dark\">\n"
         "<title>provenant report</title>\n<style>";
    h += kStyle;
    h += "</style>\n</head>\n<body>\n<header><h1>provenant report</h1>\n<div class=\"sel\">";
    h += selection_text(r);
    h += "</div></header>\n<div class=\"summary\">";
    h += "<div>AI share of added lines<b data-field=\"ai_share\">" +
         format(share(r), Kind::Percent) + "</b></div>";
    h += "<div>AI lines committed<b data-field=\"funnel.committed\">" +
         format(number(r, "funnel.committed"), Kind::Count) + "</b></div>";
    h += "<div>AI lines alive<b data-field=\"funnel.alive\">" +
         format(number(r, "funnel.alive"), Kind::Count) + "</b></div>";
    h += "<div>Spend<b data-field=\"spend.cost_usd\">" +
         format(number(r, "spend.cost_usd"), Kind::Usd) + "</b></div>";
    h += "<div>Per alive AI line<b data-field=\"spend.cost_per_alive_ai_line\">" +
         format(number(r, "spend.cost_per_alive_ai_line"), Kind::UsdPerLine) + "</b></div>";
    h += "</div>\n<div class=\"charts\">\n";
    h += chart("chart-funnel", "Funnel of AI lines per tool: generated → committed → merged → "
                               "released → alive");
    h += chart("chart-share", in.period == "month" ? "AI share of added lines by month"
                                                   : "AI share of added lines by week");
    h += chart("chart-survival", "Survival of AI and human lines after merge (Kaplan–Meier)");
    h += chart("chart-rework", "Rework: lines changed after merge, by who replaced them");
    h += chart("chart-spend", "Spend by tool and model, and cost per alive AI line");
    h += "</div>\n";
    h += totals_section(r);
    h += funnel_section(r, in.by_tool);
    h += "<div class=\"cols\">" + survival_section(r) + rework_section(r) + "</div>\n";
    h += spend_section(r);
    if (!groups_of(r).empty())
        h += groups_section("By group", r);
    else
        h += groups_section("By tool and model", in.by_tool_model);
    h += "<footer>Generated by provenant " PROVENANT_VERSION " with Chart.js ";
    h += chartjs_version();
    h += " (MIT licence). Definitions: docs/report.md.</footer>\n";
    h += "<script type=\"application/json\" id=\"report-data\">";
    h += json_for_script(page_data(in));
    h += "</script>\n<script>\n";
    h += chartjs_source();
    h += "\n</script>\n<script>\n";
    h += kReportHtmlScript;
    h += "\n</script>\n</body>\n</html>\n";
    return h;
}

} // namespace provenant::analysis
