// NDJSON and CSV writers for the export rows.
#include "export/text_formats.h"

#include "analysis/report_format.h"
#include "support/json_text.h"

#include <nlohmann/json.hpp>

namespace provenant::exporting {

TextWriter::TextWriter(std::ostream& out, TextFormat format, RowKind kind)
    : out_(out), format_(format), kind_(kind) {}

void TextWriter::begin() {
    if (format_ != TextFormat::Csv) return;
    bool first = true;
    for (std::string_view c : columns(kind_)) {
        if (!first) out_ << ',';
        first = false;
        out_ << c;
    }
    out_ << "\r\n";
}

void TextWriter::row(const std::vector<Value>& values) {
    const auto cols = columns(kind_);
    if (format_ == TextFormat::Ndjson) {
        nlohmann::ordered_json j = nlohmann::ordered_json::object();
        for (size_t i = 0; i < values.size() && i < cols.size(); ++i) {
            const std::string key(cols[i]);
            const Value& v = values[i];
            switch (v.index()) {
            case 0:
                j[key] = nullptr;
                break;
            case 1:
                j[key] = std::get<std::string>(v);
                break;
            case 2:
                j[key] = std::get<int64_t>(v);
                break;
            case 3:
                j[key] = std::get<double>(v);
                break;
            default:
                j[key] = std::get<bool>(v);
                break;
            }
        }
        // Paths and emails are bytes from git: quoted as git quotes paths when not UTF-8
        // (json_text_quoted), never a crash and never another file's name.
        out_ << json_text_quoted(j) << '\n';
        return;
    }
    for (size_t i = 0; i < values.size(); ++i) {
        if (i != 0) out_ << ',';
        if (auto t = as_text(values[i])) out_ << analysis::csv_field(*t, values[i].index() == 1);
    }
    out_ << "\r\n";
}

} // namespace provenant::exporting
