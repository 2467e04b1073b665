// `provenant export --format ndjson|csv`: the export rows as text (docs/export.md).
#pragma once

#include "export/columns.h"

#include <ostream>

namespace provenant::exporting {

enum class TextFormat { Ndjson, Csv };

/// Writes rows as they come: `begin` once (the CSV header), then `row` per row. One thread.
class TextWriter {
public:
    TextWriter(std::ostream& out, TextFormat format, RowKind kind);
    void begin();
    void row(const std::vector<Value>& values);

private:
    std::ostream& out_;
    TextFormat format_;
    RowKind kind_;
};

} // namespace provenant::exporting
