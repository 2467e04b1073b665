// Git paths are bytes, JSON strings are UTF-8: the one lossless mapping between them, git's own
// quoting (core.quotePath), used by the note's `files` keys and by every JSON output.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace provenant {

/// Whether `s` is well-formed UTF-8 (no overlong forms, surrogates or code points past
/// U+10FFFF). Pure.
bool valid_utf8(std::string_view s);

/// `s` as itself when it is valid UTF-8 and does not begin with `"`; otherwise quoted as git
/// quotes paths: `"`, the bytes with `\\` for a backslash, `\"` for a quote, `\NNN` (three octal
/// digits) for every control byte and every byte >= 0x80, then `"`. Every byte string has
/// exactly one quoted form and every form at most one byte string (docs/note-format.md, "Path
/// keys"). Pure.
std::string quote_path(std::string_view s);
/// The bytes `quoted` stands for; nullopt unless it is the canonical quote_path of them. Pure.
std::optional<std::string> unquote_path(std::string_view quoted);

} // namespace provenant
