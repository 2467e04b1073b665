// Renders the report JSON (schema "provenant-report/1", docs/report.md and
// protocol/schema/report-v1.schema.json) as a table, JSON, CSV, Markdown or HTML
// (report_html.h).
#pragma once

#include "support/result.h"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace provenant::analysis {

inline constexpr std::string_view kReportSchema = "provenant-report/1";

enum class ReportFormat { Table, Json, Csv, Markdown, Html };

/// "table" | "json" | "csv" | "markdown" (also "md") | "html", case-insensitive; else an error
/// listing them.
Result<ReportFormat> parse_report_format(std::string_view name);
std::string_view to_string(ReportFormat format);

/// Renders a report (the shape of report-v1.schema.json; see docs/report.md, "Output
/// formats"). Missing fields render as empty / "-" rather than failing: the renderer never
/// throws on a report of the right schema, and a field the engine has not filled yet shows
/// as a gap, not a zero.
///  - Table: aligned, every line at most 80 columns; totals, the funnel, survival, rework,
///    spend, shapes, then one line per group sorted by committed AI lines (descending, then
///    by key).
///  - Json: pretty-printed (2 spaces), the report as given.
///  - Csv: RFC 4180; a header row, one row per group (same order as the table), then a
///    "total" row; the columns are `group` ("group" or "total"), the `--by` keys
///    (`key.tool`, ...) and every field flattened with dots (`funnel.merged`,
///    `spend.tokens.input`, `rework.matrix.ai.human`; the curves are left out) in a fixed
///    order (docs/report.md); null renders as an empty field; a text cell that starts like a
///    spreadsheet formula gets a leading `'`. Lines end with CRLF, as RFC 4180 says.
///  A group's counts may be beside its funnel (`commits`, `lines_added`) or nested under
///  `totals` as in the report: both render the same.
///  - Markdown: a short summary fit for a pull-request comment: AI share of the added lines,
///    a table by group (tool and model, or whatever `--by` gave) with spend, and survival
///    when it is defined.
///  - Html: the page of report_html.h from this report alone (no per-tool, per-model or
///    per-period charts: `provenant report` passes those through render_report_html).
/// Any thread.
std::string render_report(const nlohmann::json& report, ReportFormat format);

/// One CSV field per RFC 4180: quoted when it holds a comma, a quote, CR or LF (quotes
/// doubled); a text that a spreadsheet would run as a formula (starting with =, +, -, @, tab
/// or CR) gets a leading `'`. Pure. The report's csv and the export's csv both write with it.
std::string csv_field(std::string s, bool text);

} // namespace provenant::analysis
