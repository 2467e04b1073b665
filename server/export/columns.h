// The export tables' columns, in their fixed order (docs/export.md), and each row's values:
// one description that the NDJSON, CSV, SQLite and PostgreSQL writers all follow.
#pragma once

#include "export/rows.h"

#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace provenant::exporting {

/// One cell: null, text, an integer, a real or a boolean.
using Value = std::variant<std::monostate, std::string, int64_t, double, bool>;

/// Which rows: `commits` (CommitRowOut) or `fates` (FateRowOut).
enum class RowKind { Commits, Fates };

/// The columns of a row kind, `repo` first. Names are the NDJSON keys and the SQL columns.
std::span<const std::string_view> columns(RowKind kind);
/// The SQL table of a row kind: provenant_commit_rows, provenant_fate_rows.
std::string_view table_name(RowKind kind);

/// The values of one row, in columns() order (`repo` first).
std::vector<Value> values(const std::string& repo, const CommitRowOut& row);
std::vector<Value> values(const std::string& repo, const FateRowOut& row);

/// A value as text: null is nullopt, booleans are 0 and 1 (portable SQL), reals in their
/// shortest round-trip form.
std::optional<std::string> as_text(const Value& v);

} // namespace provenant::exporting
