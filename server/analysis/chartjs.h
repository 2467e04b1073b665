// Chart.js, embedded at build time from Debian's libjs-chart.js (cmake/ChartJs.cmake).
#pragma once

#include <string_view>

namespace provenant::analysis {

/// The minified Chart.js library (its MIT licence banner included). It contains no
/// "</script", so it can go into a <script> element as it is. Any thread.
std::string_view chartjs_source();
/// Its version, from the banner ("3.9.1").
std::string_view chartjs_version();

} // namespace provenant::analysis
