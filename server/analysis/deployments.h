// Deployments for `provenant report --deployments FILE`: which commit went to which
// environment when, as DevLake and CI systems export them (format in docs/report.md, "Inputs").
#pragma once

#include "support/result.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace provenant::analysis {

/// One deployment. A value type.
struct Deployment {
    std::string commit;      ///< as written: a full or abbreviated hex id (4-64 hex), lower-cased
    std::string environment; ///< as written (the report counts "production", case-insensitively)
    int64_t deployed_at = 0; ///< unix seconds (UTC)
    bool operator==(const Deployment&) const = default;
};

/// Limits against hostile files.
inline constexpr uint64_t kMaxDeploymentsBytes = 256u << 20;
inline constexpr size_t kMaxDeploymentFieldBytes = 4096;

/// Reads a deployments file, in file order. The format is chosen by content: a first
/// non-blank line starting with `{` is NDJSON, anything else CSV.
///  - CSV (RFC 4180): a header row naming at least `commit`, `environment` and `deployed_at`
///    (any order, case-insensitive, surrounding spaces ignored); extra columns ignored; fields
///    may be double-quoted with `""` for a quote and may then hold commas and line breaks;
///    CRLF or LF; blank lines skipped. DevLake's `commit_sha` and `env`/`finished_date` are
///    not guessed: name the columns as above.
///  - NDJSON: one JSON object per line with "commit", "environment" and "deployed_at"
///    (other members ignored); blank lines skipped.
///  - deployed_at: unix seconds (an integer, in JSON also a number or numeric string) or ISO
///    8601 / RFC 3339 `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM)` (a space may stand for
///    `T`); a time without an offset is an error (its zone would be a guess).
/// Errors name the file and the line ("deploys.csv:7: deployed_at: ..."). Never throws.
Result<std::vector<Deployment>> load_deployments(const std::filesystem::path& file);

/// The same from text (`source` names it in messages).
Result<std::vector<Deployment>> parse_deployments(std::string_view text, std::string_view source);

/// Parses a deployed_at value as above: unix seconds or ISO 8601 with an offset.
Result<int64_t> parse_timestamp(std::string_view text);

} // namespace provenant::analysis
