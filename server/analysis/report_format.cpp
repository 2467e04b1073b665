// The report's four renderings. Every value from the report may come from a hostile note (a
// model name, an author email, a path): the table strips control characters, Markdown escapes
// its syntax, CSV quotes per RFC 4180 and defuses spreadsheet formulas.
#include "analysis/report_format.h"

#include "analysis/report_html.h"
#include "support/json_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <vector>

namespace provenant::analysis {

namespace {

using json = nlohmann::json;

constexpr size_t kWidth = 80;

// ---- reading the report ----------------------------------------------------------------

// The value at a slash path ("funnel/merged"), or nullptr when absent.
const json* at(const json& j, std::string_view path) {
    const json* cur = &j;
    size_t pos = 0;
    while (pos <= path.size()) {
        size_t slash = path.find('/', pos);
        std::string key(
            path.substr(pos, slash == std::string_view::npos ? path.npos : slash - pos));
        if (!cur->is_object()) return nullptr;
        auto it = cur->find(key);
        if (it == cur->end()) return nullptr;
        cur = &*it;
        if (slash == std::string_view::npos) break;
        pos = slash + 1;
    }
    return cur;
}

std::optional<double> number(const json& j, std::string_view path) {
    const json* v = at(j, path);
    if (!v || !v->is_number()) return std::nullopt;
    return v->get<double>();
}

double count(const json& j, std::string_view path) {
    return number(j, path).value_or(0);
}

double ai_lines(const json& lines_added) {
    return count(lines_added, "ai") + count(lines_added, "ai_modified");
}

double all_lines(const json& lines_added) {
    double sum = 0;
    for (const char* c : {"ai", "ai_modified", "human", "paste", "unknown"})
        sum += count(lines_added, c);
    return sum;
}

// A group's or the whole report's fields in one shape: `totals.*` (the report's, or a group's
// when the engine nests them so) are hoisted beside the funnel.
json total_row(const json& report) {
    json row = json::object();
    if (!report.is_object()) return row;
    for (const auto& [k, v] : report.items())
        if (k != "groups" && k != "schema" && k != "totals") row[k] = v;
    if (const json* t = at(report, "totals"); t && t->is_object())
        for (const auto& [k, v] : t->items())
            row[k] = v;
    return row;
}

std::vector<json> sorted_groups(const json& report) {
    std::vector<json> groups;
    if (const json* g = at(report, "groups"); g && g->is_array())
        for (const json& x : *g)
            if (x.is_object()) groups.push_back(total_row(x)); // keeps "key"
    auto committed = [](const json& g) {
        if (auto c = number(g, "funnel/committed")) return *c;
        const json* l = at(g, "lines_added");
        return l ? ai_lines(*l) : 0.0;
    };
    std::stable_sort(groups.begin(), groups.end(), [&](const json& a, const json& b) {
        double ca = committed(a), cb = committed(b);
        if (ca != cb) return ca > cb;
        const json* ka = at(a, "key");
        const json* kb = at(b, "key");
        // The key's text as the engine keys groups (quoted: a name that is not UTF-8 never
        // throws, and two such names never compare equal).
        return (ka ? json_text_quoted(*ka) : "") < (kb ? json_text_quoted(*kb) : "");
    });
    return groups;
}

// The `--by` keys: the known ones in the order `--by` lists them in the docs (a JSON object
// keeps no order), then any others, sorted.
std::vector<std::string> key_names(const std::vector<json>& groups) {
    static const std::vector<std::string> kKnown = {"tool", "model", "session", "author", "team",
                                                    "path", "ext",   "month",   "week"};
    std::set<std::string> found;
    for (const json& g : groups)
        if (const json* k = at(g, "key"); k && k->is_object())
            for (const auto& [name, v] : k->items())
                found.insert(name);
    std::vector<std::string> names;
    for (const std::string& n : kKnown)
        if (found.erase(n)) names.push_back(n);
    names.insert(names.end(), found.begin(), found.end());
    return names;
}

std::string key_value(const json& group, const std::string& name) {
    const json* k = at(group, "key");
    if (!k || !k->is_object()) return {};
    auto it = k->find(name);
    if (it == k->end() || it->is_null()) return "(none)";
    if (it->is_string()) return it->get<std::string>();
    return json_text_lossy(*it);
}

std::string key_label(const json& group, const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names) {
        if (!out.empty()) out += " / ";
        out += key_value(group, n);
    }
    return out.empty() ? "(all)" : out;
}

// ---- formatting numbers ---------------------------------------------------------------

std::string with_commas(double v) {
    if (!std::isfinite(v)) return "-";
    bool neg = v < 0;
    auto n = static_cast<unsigned long long>(std::llround(std::fabs(v)));
    std::string digits = std::to_string(n);
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return neg ? "-" + out : out;
}

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string count_text(const json& j, std::string_view path) {
    auto v = number(j, path);
    return v ? with_commas(*v) : "-";
}

std::string percent(std::optional<double> ratio) {
    if (!ratio || !std::isfinite(*ratio)) return "-";
    return fixed(*ratio * 100, 1) + "%";
}

std::string usd(std::optional<double> v) {
    if (!v || !std::isfinite(*v)) return "-";
    double a = std::fabs(*v);
    return "$" + fixed(*v, a != 0 && a < 0.01 ? 4 : 2);
}

// Per-line costs are fractions of a cent to a few cents: four decimals.
std::string usd_per_line(std::optional<double> v) {
    if (!v || !std::isfinite(*v)) return "-";
    return "$" + fixed(*v, 4);
}

std::string tokens_text(std::optional<double> v) {
    if (!v) return "-";
    double a = *v;
    if (a >= 1e9) return fixed(a / 1e9, 1) + "G";
    if (a >= 1e6) return fixed(a / 1e6, 1) + "M";
    if (a >= 1e4) return fixed(a / 1e3, 1) + "k";
    return with_commas(a);
}

std::optional<double> ratio(double num, double den) {
    if (den == 0) return std::nullopt;
    return num / den;
}

// ---- text safety ----------------------------------------------------------------------

// Display width in code points (a UTF-8 continuation byte adds none).
size_t width(std::string_view s) {
    return static_cast<size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Control characters (ESC sequences could drive the terminal) become '?'.
std::string printable(std::string_view s) {
    std::string out;
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u == 0x7f) ? '?' : c;
    }
    return out;
}

// At most `w` code points, with "~" marking a cut.
std::string fit(std::string_view s, size_t w) {
    if (width(s) <= w) return std::string(s);
    std::string out;
    size_t n = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        bool start = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
        if (start && ++n > w - 1) break;
        out += s[i];
    }
    return out + "~";
}

std::string pad_right(std::string s, size_t w) {
    size_t cur = width(s);
    if (cur < w) s.append(w - cur, ' ');
    return s;
}

std::string pad_left(const std::string& s, size_t w) {
    size_t cur = width(s);
    return cur < w ? std::string(w - cur, ' ') + s : s;
}

std::string markdown_text(std::string_view s) {
    std::string out;
    for (char c : printable(s)) {
        switch (c) {
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '&':
            out += "&amp;";
            break;
        case '|':
        case '\\':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '#':
        case '~':
        case '!':
        case '@':
            out += '\\';
            out += c;
            break;
        default:
            out += c;
        }
    }
    return out;
}

// ---- table ----------------------------------------------------------------------------

const char* const kClasses[] = {"ai", "ai_modified", "human", "paste", "unknown"};
const char* const kReworkTo[] = {"human", "ai", "paste", "unknown", "deleted"};

std::string render_table(const json& report) {
    std::vector<std::string> out;
    json total = total_row(report);
    auto line = [&](std::string s) { out.push_back(fit(s, kWidth)); };

    line("provenant report");
    line("");
    const json* la = at(total, "lines_added");
    double added = la ? all_lines(*la) : 0;
    line("Commits         " + count_text(total, "commits") + " (" +
         count_text(total, "commits_with_notes") + " with notes, " +
         percent(ratio(count(total, "commits_with_notes"), count(total, "commits"))) + ")");
    line("Lines added     " + with_commas(added) + ", AI share " +
         percent(ratio(la ? ai_lines(*la) : 0, added)));
    {
        std::string s = "               ";
        for (const char* c : kClasses)
            s += " " + std::string(c) + " " + count_text(total, "lines_added/" + std::string(c));
        line(s);
    }

    line("");
    line("AI line funnel");
    auto funnel_row = [&](const char* label, const char* field, std::string extra) {
        line("  " + pad_right(label, 24) +
             pad_left(count_text(total, std::string("funnel/") + field), 10) +
             (extra.empty() ? "" : "   " + extra));
    };
    funnel_row("generated", "generated", "");
    funnel_row("committed", "committed", "retention " + percent(number(total, "funnel/retention")));
    funnel_row("merged", "merged", "");
    funnel_row("released", "released", "");
    funnel_row("alive", "alive",
               "production rate " + percent(number(total, "funnel/production_rate")));
    funnel_row("rewritten before merge", "rewritten_before_merge", "");

    line("");
    line("Survival after " + count_text(total, "survival/days") +
         " days   eligible      alive    rate");
    auto survival_row = [&](const char* label, const std::string& base) {
        line("  " + pad_right(label, 18) + pad_left(count_text(total, base + "eligible"), 13) +
             pad_left(count_text(total, base + "alive"), 11) +
             pad_left(percent(number(total, base + "rate")), 8));
    };
    survival_row("AI lines", "survival/");
    survival_row("human lines", "survival/human/");

    line("");
    line("Rework within " + count_text(total, "rework/days") +
         " days (rows: reworked lines; columns: by)");
    {
        std::string head = "  " + pad_right("", 13);
        for (const char* to : kReworkTo)
            head += pad_left(to, 10);
        line(head);
        const json* m = at(total, "rework/matrix");
        bool any = false;
        for (const char* from : kClasses) {
            const json* row = m ? at(*m, from) : nullptr;
            if (!row || !row->is_object()) continue;
            any = true;
            std::string s = "  " + pad_right(from, 13);
            for (const char* to : kReworkTo) {
                auto v = number(*row, to);
                s += pad_left(v ? with_commas(*v) : "0", 10);
            }
            line(s);
        }
        if (!any) line("  (none)");
    }

    line("");
    line("Spend           " + usd(number(total, "spend/cost_usd")) + " list price, of which " +
         usd(number(total, "spend/uncommitted_cost_usd")) + " committed nothing");
    line("  tokens        input " + tokens_text(number(total, "spend/tokens/input")) + ", output " +
         tokens_text(number(total, "spend/tokens/output")) + ", cache read " +
         tokens_text(number(total, "spend/tokens/cache_read")) + ", cache write " +
         tokens_text(std::optional<double>(count(total, "spend/tokens/cache_write_5m") +
                                           count(total, "spend/tokens/cache_write_1h"))));
    line("  per AI line   committed " +
         usd_per_line(number(total, "spend/cost_per_committed_ai_line")) + ", merged " +
         usd_per_line(number(total, "spend/cost_per_merged_ai_line")) + ", alive " +
         usd_per_line(number(total, "spend/cost_per_alive_ai_line")));

    line("");
    line("Commit shapes   AI-only " + count_text(total, "shapes/ai_only") + ", human-only " +
         count_text(total, "shapes/human_only") + ", mixed " + count_text(total, "shapes/mixed") +
         ", unknown-only " + count_text(total, "shapes/unknown_only"));

    std::vector<json> groups = sorted_groups(report);
    if (!groups.empty()) {
        std::vector<std::string> names = key_names(groups);
        std::string by;
        for (const std::string& n : names)
            by += (by.empty() ? "" : ", ") + n;
        line("");
        line("By " + printable(by.empty() ? "group" : by));
        // 80 = 2 + key 30 + commits 8 + committed 10 + merged 9 + alive 9 + cost 12
        line("  " + pad_right("", 30) + pad_left("commits", 8) + pad_left("AI lines", 10) +
             pad_left("merged", 9) + pad_left("alive", 9) + pad_left("cost", 12));
        for (const json& g : groups) {
            line("  " + pad_right(fit(printable(key_label(g, names)), 30), 30) +
                 pad_left(count_text(g, "commits"), 8) +
                 pad_left(count_text(g, "funnel/committed"), 10) +
                 pad_left(count_text(g, "funnel/merged"), 9) +
                 pad_left(count_text(g, "funnel/alive"), 9) +
                 pad_left(usd(number(g, "spend/cost_usd")), 12));
        }
    }

    std::string text;
    for (std::string& l : out) {
        while (!l.empty() && l.back() == ' ')
            l.pop_back();
        text += printable(l) + "\n";
    }
    return text;
}

// ---- CSV ------------------------------------------------------------------------------

// The columns every report has, in reading order; others found in the rows follow, sorted.
std::vector<std::string> canonical_columns() {
    std::vector<std::string> c = {"commits", "commits_with_notes"};
    for (const char* k : kClasses)
        c.push_back(std::string("lines_added.") + k);
    for (const char* f : {"generated", "committed", "merged", "released", "alive",
                          "rewritten_before_merge", "retention", "production_rate"})
        c.push_back(std::string("funnel.") + f);
    for (const char* f : {"days", "eligible", "alive", "rate"})
        c.push_back(std::string("survival.") + f);
    for (const char* f : {"eligible", "alive", "rate"})
        c.push_back(std::string("survival.human.") + f);
    c.push_back("rework.days");
    for (const char* from : kClasses)
        for (const char* to : kReworkTo)
            c.push_back(std::string("rework.matrix.") + from + "." + to);
    for (const char* f : {"input", "output", "cache_read", "cache_write_5m", "cache_write_1h"})
        c.push_back(std::string("spend.tokens.") + f);
    for (const char* f : {"cost_usd", "uncommitted_cost_usd", "cost_per_committed_ai_line",
                          "cost_per_merged_ai_line", "cost_per_alive_ai_line"})
        c.push_back(std::string("spend.") + f);
    for (const char* f : {"ai_only", "human_only", "mixed", "unknown_only"})
        c.push_back(std::string("shapes.") + f);
    return c;
}

// Leaves (numbers, strings, booleans, null) by dotted path; arrays (the curves) are left out.
void flatten(const json& j, const std::string& prefix, std::map<std::string, const json*>& out) {
    if (j.is_object()) {
        for (const auto& [k, v] : j.items()) {
            if (prefix.empty() && k == "key") continue;
            flatten(v, prefix.empty() ? k : prefix + "." + k, out);
        }
    } else if (!j.is_array() && !prefix.empty()) {
        out[prefix] = &j;
    }
}

std::string csv_value(const json* v) {
    if (!v || v->is_null()) return "";
    if (v->is_string()) return csv_field(v->get<std::string>(), true);
    if (v->is_number_float()) {
        double d = v->get<double>();
        if (!std::isfinite(d)) return "";
    }
    return json_text_lossy(*v);
}

std::string render_csv(const json& report) {
    std::vector<json> groups = sorted_groups(report);
    std::vector<std::string> names = key_names(groups);
    json total = total_row(report);

    std::vector<std::map<std::string, const json*>> rows(groups.size() + 1);
    for (size_t i = 0; i < groups.size(); ++i)
        flatten(groups[i], "", rows[i]);
    flatten(total, "", rows.back());

    // Columns: every field of the schema's shape (so the header is stable from one report to
    // the next), except the rework cells, which come as they occur; then any other field the
    // rows have, sorted.
    std::set<std::string> present;
    for (const auto& r : rows)
        for (const auto& [k, v] : r)
            present.insert(k);
    std::vector<std::string> columns;
    for (const std::string& c : canonical_columns()) {
        bool cell = c.rfind("rework.matrix.", 0) == 0;
        if (present.erase(c) > 0 || !cell) columns.push_back(c);
    }
    columns.insert(columns.end(), present.begin(), present.end());

    std::string text = "group";
    for (const std::string& n : names)
        text += "," + csv_field("key." + n, true);
    for (const std::string& c : columns)
        text += "," + csv_field(c, true);
    text += "\r\n";
    for (size_t i = 0; i < rows.size(); ++i) {
        bool is_total = i == groups.size();
        text += is_total ? "total" : "group";
        for (const std::string& n : names) {
            text += ",";
            if (is_total) continue;
            const json* k = at(groups[i], "key");
            const json* v = k && k->is_object() && k->contains(n) ? &(*k)[n] : nullptr;
            text += csv_value(v);
        }
        for (const std::string& c : columns) {
            auto it = rows[i].find(c);
            text += "," + csv_value(it == rows[i].end() ? nullptr : it->second);
        }
        text += "\r\n";
    }
    return text;
}

// ---- Markdown -------------------------------------------------------------------------

std::string render_markdown(const json& report) {
    json total = total_row(report);
    const json* la = at(total, "lines_added");
    double added = la ? all_lines(*la) : 0;
    double ai = la ? ai_lines(*la) : 0;
    std::string md = "### provenant: AI share of this change\n\n";
    md += "**" + percent(ratio(ai, added)) + "** of " + with_commas(added) +
          " added lines are AI-written (" + count_text(total, "lines_added/ai") +
          " as generated, " + count_text(total, "lines_added/ai_modified") +
          " edited by a person); " + count_text(total, "lines_added/human") + " human, " +
          count_text(total, "lines_added/paste") + " pasted, " +
          count_text(total, "lines_added/unknown") + " unknown. " + count_text(total, "commits") +
          " commits, " + count_text(total, "commits_with_notes") + " with provenance notes.\n";

    std::vector<json> groups = sorted_groups(report);
    if (!groups.empty()) {
        std::vector<std::string> names = key_names(groups);
        std::string head;
        for (const std::string& n : names)
            head += (head.empty() ? "" : " / ") + n;
        md += "\n| " + markdown_text(head.empty() ? "group" : head) +
              " | AI lines | share of added | cost |\n|---|---:|---:|---:|\n";
        for (const json& g : groups) {
            const json* gl = at(g, "lines_added");
            double gai = gl ? ai_lines(*gl) : 0;
            md += "| " + markdown_text(key_label(g, names)) + " | " + with_commas(gai) + " | " +
                  percent(ratio(gai, added)) + " | " + usd(number(g, "spend/cost_usd")) + " |\n";
        }
    }

    md += "\nSpend: " + usd(number(total, "spend/cost_usd")) + " at list price (" +
          tokens_text(number(total, "spend/tokens/input")) + " input, " +
          tokens_text(number(total, "spend/tokens/output")) + " output tokens), " +
          usd_per_line(number(total, "spend/cost_per_committed_ai_line")) +
          " per committed AI line.\n";
    if (auto rate = number(total, "survival/rate")) {
        md += "\nSurvival: " + percent(rate) + " of AI lines still alive " +
              count_text(total, "survival/days") + " days after merge";
        if (auto human = number(total, "survival/human/rate"))
            md += " (human lines: " + percent(human) + ")";
        md += ".\n";
    }
    return md;
}

} // namespace

std::string csv_field(std::string s, bool text) {
    // A text cell starting like a formula would run in a spreadsheet: keep it text.
    if (text && !s.empty() &&
        std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos)
        s = "'" + s;
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

Result<ReportFormat> parse_report_format(std::string_view name) {
    std::string n(name);
    for (char& c : n)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (n == "table") return ReportFormat::Table;
    if (n == "json") return ReportFormat::Json;
    if (n == "csv") return ReportFormat::Csv;
    if (n == "markdown" || n == "md") return ReportFormat::Markdown;
    if (n == "html") return ReportFormat::Html;
    return make_error(ErrorKind::invalid_input,
                      "unknown report format '" + printable(fit(name, 40)) +
                          "' (expected table, json, csv, markdown or html)");
}

std::string_view to_string(ReportFormat format) {
    switch (format) {
    case ReportFormat::Table:
        return "table";
    case ReportFormat::Json:
        return "json";
    case ReportFormat::Csv:
        return "csv";
    case ReportFormat::Markdown:
        return "markdown";
    case ReportFormat::Html:
        return "html";
    }
    return "table";
}

std::string render_report(const nlohmann::json& report, ReportFormat format) {
    switch (format) {
    case ReportFormat::Json:
        return json_text_quoted(report, 2) + "\n";
    case ReportFormat::Csv:
        return render_csv(report);
    case ReportFormat::Markdown:
        return render_markdown(report);
    case ReportFormat::Html:
        return render_report_html({report, nullptr, nullptr, nullptr, "week"});
    case ReportFormat::Table:
        break;
    }
    return render_table(report);
}

} // namespace provenant::analysis
