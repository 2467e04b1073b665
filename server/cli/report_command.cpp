// `provenant report`: how much AI code reaches production, and at what cost (docs/report.md).
#include "analysis/metrics.h"
#include "analysis/report_cache.h"
#include "analysis/report_format.h"
#include "analysis/report_html.h"
#include "cli/commands.h"
#include "cli/selection.h"
#include "support/fs.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <set>
#include <spdlog/spdlog.h>

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
                                const std::function<nlohmann::json(std::vector<std::string>)>& of,
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
    out.by_tool = of({"tool"});
    out.by_tool_model = of({"tool", "model"});
    out.by_period = of({out.period});
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
    std::unique_ptr<Selection> sel = resolve_options(o, "report");
    const auto& main_id = sel->main_id;
    const auto& at_id = sel->at_id;

    // A report computed before from the same history, notes and options is read from the
    // report cache; the fates are read (or walked) only when one is not there.
    const bool use_cache = !o.no_cache;
    std::filesystem::path cache_dir;
    analysis::StoreKey key;
    if (use_cache) {
        cache_dir = analysis::report_cache_dir(analysis::store_path(*sel->repo));
        key = analysis::store_key(*sel->repo, sel->tips);
    }
    bool loaded = false;
    auto report_by = [&](std::vector<std::string> keys) {
        std::string inputs = sel->inputs + " by";
        for (const auto& k : keys)
            inputs += " " + k;
        if (use_cache && !loaded)
            if (auto hit = analysis::read_cached_report(cache_dir,
                                                        analysis::report_cache_key(key, inputs))) {
                spdlog::info("report cache: read the report of these inputs from {}",
                             cache_dir.string());
                return std::move(*hit);
            }
        if (!loaded) load_selection(*sel, o, "report");
        loaded = true;
        analysis::MetricsOptions mo = sel->metrics;
        mo.by = std::move(keys);
        nlohmann::json r = analysis::compute_report(sel->fates, mo);
        r["warnings"] = sel->fates.warnings;
        if (use_cache)
            if (auto st = analysis::write_cached_report(
                    cache_dir, analysis::report_cache_key(sel->store_key, inputs), r);
                !st)
                spdlog::warn("report cache not written: {}", st.error().message);
        return r;
    };

    nlohmann::json report = report_by(by);
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
    for (const auto& w : report["warnings"])
        if (w.is_string() && said.insert(w.get<std::string>()).second)
            std::fprintf(
                stderr,
                "provenant report: a note cannot be read (its commit counts as untracked): %s\n",
                w.get<std::string>().c_str());
    std::string text;
    if (*fmt == analysis::ReportFormat::Html) {
        // The page's period needs the selected commits' dates: the fates.
        if (!loaded) load_selection(*sel, o, "report");
        loaded = true;
        text = analysis::render_report_html(
            html_views(sel->fates, sel->metrics, report_by, std::move(report)));
    } else {
        text = analysis::render_report(report, *fmt);
    }
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
