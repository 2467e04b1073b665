// Text from notes made safe to print on a terminal: control characters escaped.
#pragma once

#include <string>
#include <string_view>

namespace provenant {

/// `s` with every byte a terminal could act on written as a visible escape, so a note from
/// any remote cannot move the cursor, retitle the window or ring the bell when printed
/// (issue 12 §13). Escaped: C0 controls and DEL (`\n`, `\t`, `\r` as those; others and ESC
/// as `\x1b`), C1 controls (U+0080–U+009F, which 8-bit terminals read as CSI and friends:
/// `\u009b`), and bytes that are not valid UTF-8 (`\xff`); a backslash is doubled so the
/// escapes stay unambiguous. Valid printable UTF-8 passes unchanged. Pure; thread-safe.
std::string terminal_safe(std::string_view s);

} // namespace provenant
