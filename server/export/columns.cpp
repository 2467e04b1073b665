// The columns of the export tables and each row's values, in one place.
#include "export/columns.h"

#include "support/json_text.h"

#include <array>
#include <nlohmann/json.hpp>

namespace provenant::exporting {

namespace {

constexpr std::array<std::string_view, 31> kCommitColumns = {"repo",
                                                             "commit",
                                                             "time",
                                                             "date",
                                                             "month",
                                                             "author",
                                                             "team",
                                                             "path",
                                                             "class",
                                                             "tool",
                                                             "model",
                                                             "session",
                                                             "lines",
                                                             "merged",
                                                             "merged_at",
                                                             "released",
                                                             "released_at",
                                                             "deployed",
                                                             "deployed_at",
                                                             "alive",
                                                             "rewritten_before_merge",
                                                             "survival_eligible",
                                                             "survival_alive",
                                                             "generated",
                                                             "input",
                                                             "output",
                                                             "cache_read",
                                                             "cache_write_5m",
                                                             "cache_write_1h",
                                                             "cost_usd",
                                                             "uncommitted_cost_usd"};

constexpr std::array<std::string_view, 19> kFateColumns = {
    "repo",     "commit",   "born_at", "month",   "author",  "team",      "path",
    "class",    "tool",     "model",   "session", "lines",   "merged_at", "ended_commit",
    "ended_at", "ended_by", "end_by",  "alive",   "reworked"};

Value text(const Text& t) {
    return t ? Value(*t) : Value(std::monostate{});
}

Value count(uint64_t n) {
    return static_cast<int64_t>(n);
}

} // namespace

std::span<const std::string_view> columns(RowKind kind) {
    if (kind == RowKind::Commits) return kCommitColumns;
    return kFateColumns;
}

std::string_view table_name(RowKind kind) {
    return kind == RowKind::Commits ? "provenant_commit_rows" : "provenant_fate_rows";
}

std::vector<Value> values(const std::string& repo, const CommitRowOut& r) {
    return {repo,
            r.commit,
            r.time,
            r.date,
            r.month,
            r.author,
            text(r.team),
            text(r.path),
            text(r.cls),
            text(r.tool),
            text(r.model),
            text(r.session),
            count(r.lines),
            count(r.merged),
            text(r.merged_at),
            count(r.released),
            text(r.released_at),
            r.deployed ? count(*r.deployed) : Value(std::monostate{}),
            text(r.deployed_at),
            count(r.alive),
            count(r.rewritten_before_merge),
            count(r.survival_eligible),
            count(r.survival_alive),
            count(r.generated),
            count(r.tokens.input),
            count(r.tokens.output),
            count(r.tokens.cache_read),
            count(r.tokens.cache_write_5m),
            count(r.tokens.cache_write_1h),
            r.cost_usd,
            r.uncommitted_cost_usd};
}

std::vector<Value> values(const std::string& repo, const FateRowOut& r) {
    return {repo,
            r.commit,
            r.born_at,
            r.month,
            r.author,
            text(r.team),
            text(r.path),
            text(r.cls),
            text(r.tool),
            text(r.model),
            text(r.session),
            count(r.lines),
            text(r.merged_at),
            text(r.ended_commit),
            text(r.ended_at),
            text(r.ended_by),
            text(r.end_by),
            r.alive,
            r.reworked};
}

std::optional<std::string> as_text(const Value& v) {
    switch (v.index()) {
    case 0:
        return std::nullopt;
    case 1:
        return std::get<std::string>(v);
    case 2:
        return std::to_string(std::get<int64_t>(v));
    case 3:
        return json_text_lossy(nlohmann::json(std::get<double>(v)));
    default:
        return std::get<bool>(v) ? "1" : "0";
    }
}

} // namespace provenant::exporting
