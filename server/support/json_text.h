// JSON text that cannot throw: the one place JSON values become text.
#pragma once

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
        return make_error(std::string("not representable as JSON (a string is not UTF-8): ") +
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

} // namespace provenant
