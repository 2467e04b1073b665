// `provenant report`: how much AI code reaches production, and at what cost (docs/report.md).
#include "analysis/metrics.h"
#include "analysis/report_format.h"
#include "analysis/report_html.h"
#include "cli/commands.h"
#include "cli/selection.h"
#include "support/fs.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <set>

namespace provenant::cli {

namespace {

struct Opts {
    SelectionOptions sel;
    std::string format = "table", output;
};

[[noreturn]] void die(const Error& e) {
    fail("report", e);
}
[[noreturn]] void die(ErrorKind kind, const std::string& m) {
    fail("report", kind, m);
}

/// The HTML page's charts: the same selection grouped by tool, by tool and model, and by week
/// (month when the selected commits span more than half a year).
analysis::HtmlReport html_views(const analysis::Fates& fates, const analysis::MetricsOptions& mo,
                                nlohmann::json report) {
    int64_t first = INT64_MAX, last = INT64_MIN;
    for (uint32_t i = 0; i < fates.commits.size(); ++i) {
        if (!mo.selected.empty() && mo.selected[i] == 0) continue;
        first = std::min(first, fates.commits[i].commit_time);
        last = std::max(last, fates.commits[i].commit_time);
    }
    constexpr int64_t kHalfYear = 183LL * 86400;
    analysis::HtmlReport out;
    out.period = first <= last && last - first > kHalfYear ? "month" : "week";
    auto grouped = [&](std::vector<std::string> by) {
        analysis::MetricsOptions o = mo;
        o.by = std::move(by);
        return analysis::compute_report(fates, o);
    };
    out.by_tool = grouped({"tool"});
    out.by_tool_model = grouped({"tool", "model"});
    out.by_period = grouped({out.period});
    out.report = std::move(report);
    return out;
}

void run(const Opts& opts) {
    const SelectionOptions& o = opts.sel;
    auto fmt = analysis::parse_report_format(opts.format);
    if (!fmt) die(fmt.error());
    if (o.survival_days < 0) die(ErrorKind::invalid_input, "--survival-days must be 0 or more");
    if (o.rework_days < 0) die(ErrorKind::invalid_input, "--rework-days must be 0 or more");
    std::vector<std::string> by;
    if (!o.by.empty()) {
        size_t pos = 0;
        while (pos <= o.by.size()) {
            size_t comma = o.by.find(',', pos);
            std::string k =
                o.by.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
            if (std::find(analysis::kGroupKeys.begin(), analysis::kGroupKeys.end(), k) ==
                analysis::kGroupKeys.end())
                die(ErrorKind::invalid_input,
                    "--by: unknown key '" + k +
                        "' (tool, model, session, author, team, path, ext, month, week)");
            by.push_back(k);
            if (comma == std::string::npos) break;
            pos = comma + 1;
        }
    }
    std::unique_ptr<Selection> sel = resolve_selection(o, "report");
    sel->metrics.by = by;
    const analysis::Fates& fates = sel->fates;
    const auto& main_id = sel->main_id;
    const auto& at_id = sel->at_id;

    nlohmann::json report = analysis::compute_report(fates, sel->metrics);
    report["selection"] = {
        {"range", o.range.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.range)},
        {"since", o.since.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.since)},
        {"until", o.until.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.until)},
        {"main", main_id ? nlohmann::json(git::to_hex(*main_id)) : nlohmann::json(nullptr)},
        {"at", at_id ? nlohmann::json(git::to_hex(*at_id)) : nlohmann::json(nullptr)},
        {"release", o.release.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.release)}};
    report["prices"] = sel->prices->label();
    // An unreadable note is a gap (its lines are unknown), said once.
    std::set<std::string> said;
    for (const auto& w : fates.warnings)
        if (said.insert(w).second)
            std::fprintf(
                stderr,
                "provenant report: a note cannot be read (its commit counts as untracked): %s\n",
                w.c_str());
    report["warnings"] = fates.warnings;
    const std::string text =
        *fmt == analysis::ReportFormat::Html
            ? analysis::render_report_html(html_views(fates, sel->metrics, report))
            : analysis::render_report(report, *fmt);
    if (opts.output.empty()) {
        std::cout << text;
        if (!text.empty() && text.back() != '\n') std::cout << '\n';
    } else {
        auto st = atomic_write_file(opts.output, text);
        if (!st) die(st.error());
    }
}

} // namespace

void register_report(CLI::App& app) {
    auto o = std::make_shared<Opts>();
    auto cmd = app.add_subcommand(
        "report", "How much AI code was committed, merged, released and is alive, and its cost");
    add_selection_options(*cmd, o->sel, true);
    cmd->add_option("--format", o->format, "table, json, csv, markdown or html");
    cmd->add_option("--output", o->output, "Write the report to this file");
    cmd->callback([o] { run(*o); });
}

} // namespace provenant::cli
