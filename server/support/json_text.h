// JSON text that cannot throw: the one place JSON values become text.
#pragma once

#include "support/quoted_path.h"
#include "support/result.h"

#include <exception>
#include <nlohmann/json.hpp>
#include <string>

namespace provenant {

/// The JSON text of `j` (compact when `indent` < 0), or an error when a string in it is not
/// valid UTF-8, which JSON cannot carry faithfully. For what must read back as it was
/// written: journal entries, session records, pre-edit snapshots, hook state. nlohmann's
/// exception stays here. Works for nlohmann::json and nlohmann::ordered_json. Thread-safe.
template <typename Json> Result<std::string> json_text(const Json& j, int indent = -1) {
    try {
        return j.dump(indent);
    } catch (const std::exception& e) {
        return make_error(ErrorKind::invalid_input,
                          std::string("not representable as JSON (a string is not UTF-8): ") +
                              e.what());
    }
}

/// The JSON text of `j` with every invalid UTF-8 sequence replaced by U+FFFD. For output to
/// people and editors (reports, LSP messages, command output) and for notes, whose paths are
/// quoted first (note_path_key) so only free text can be replaced. Never throws (bar
/// std::bad_alloc). Thread-safe.
template <typename Json> std::string json_text_lossy(const Json& j, int indent = -1) {
    return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

namespace json_text_detail {
inline bool needs_quoting(const std::string& s) {
    return !valid_utf8(s) || (!s.empty() && s.front() == '"');
}
template <typename Json> bool any_needs_quoting(const Json& j) {
    if (j.is_string()) return needs_quoting(j.template get_ref<const std::string&>());
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it)
            if (needs_quoting(it.key()) || any_needs_quoting(it.value())) return true;
    } else if (j.is_array()) {
        for (const auto& e : j)
            if (any_needs_quoting(e)) return true;
    }
    return false;
}
template <typename Json> Json quoted_copy(const Json& j) {
    if (j.is_string()) return Json(quote_path(j.template get_ref<const std::string&>()));
    if (j.is_array()) {
        Json out = Json::array();
        for (const auto& e : j)
            out.push_back(quoted_copy(e));
        return out;
    }
    if (!j.is_object()) return j;
    Json out = Json::object();
    for (auto it = j.begin(); it != j.end(); ++it)
        out[quote_path(it.key())] = quoted_copy(it.value());
    return out;
}
} // namespace json_text_detail

/// The JSON text of `j` for output that carries names from git (status --json, blame --json,
/// report --format json, export's NDJSON): every string, key or value, that is not valid
/// UTF-8 or that begins with `"` is written quoted as git quotes paths (support/quoted_path.h;
/// the rule of the note's path keys). So a file name reads back to its bytes and never turns
/// into another file's name, as replacing bytes with U+FFFD could. Never throws (bar
/// std::bad_alloc); copies `j` only when a string needs quoting. Thread-safe.
template <typename Json> std::string json_text_quoted(const Json& j, int indent = -1) {
    if (!json_text_detail::any_needs_quoting(j))
        return j.dump(indent, ' ', false, Json::error_handler_t::replace);
    return json_text_detail::quoted_copy(j).dump(indent, ' ', false,
                                                 Json::error_handler_t::replace);
}

} // namespace provenant
