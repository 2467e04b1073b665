// Quoting for POSIX shell command lines written into hook scripts and agent configurations.
#pragma once

#include <string>
#include <string_view>

namespace provenant {

/// POSIX-shell single quoting: 'it'\''s'. Safe for any bytes. Thread-safe.
inline std::string shell_quote(std::string_view s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

} // namespace provenant
