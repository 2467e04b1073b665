// `provenant report --format html`: one self-contained page (Chart.js and the data inlined,
// no network), charts drawn in the browser from the report JSON, the numbers also as text.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace provenant::analysis {

/// What the page shows: the report exactly as `--format json` gives it for the same selection,
/// and the same selection grouped three more ways for the charts (each a whole report of which
/// only `groups` is used; null leaves that chart out).
struct HtmlReport {
    nlohmann::json report;        ///< the report (its groups: the user's --by, if any)
    nlohmann::json by_tool;       ///< --by tool: the funnel per tool
    nlohmann::json by_tool_model; ///< --by tool,model: spend and cost per alive AI line
    nlohmann::json by_period;     ///< --by week or month: AI share over time
    std::string period = "week";  ///< the key of by_period's groups: "week" or "month"
};

/// The page. Everything from the report is untrusted (it comes from notes): text is
/// HTML-escaped, the embedded JSON cannot end its <script> element, and a
/// Content-Security-Policy forbids every load from outside the page. Any thread.
std::string render_report_html(const HtmlReport& input);

/// Text for HTML content or a quoted attribute: & < > " ' escaped, control characters and
/// invalid UTF-8 replaced.
std::string html_escape(std::string_view text);

/// JSON safe inside <script type="application/json">: '<', '>' and '&' as \u003c, \u003e,
/// \u0026 (so no "</script" or "<!--"), U+2028 and U+2029 escaped, invalid UTF-8 replaced.
/// JSON.parse reads it back unchanged.
std::string json_for_script(const nlohmann::json& value);

} // namespace provenant::analysis
