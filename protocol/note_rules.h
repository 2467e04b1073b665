// The value rules of a provenant/1 note that both of its readers apply (note.cpp's, over a
// JSON document, and note_text.cpp's, straight from the text): one definition each, so the
// two cannot drift apart. Internal to protocol/.
#pragma once

#include <algorithm>
#include <string_view>

namespace provenant::note_rules {

/// A lowercase hex object id (SHA-1 or SHA-256).
inline bool is_hex_id(std::string_view s) {
    return (s.size() == 40 || s.size() == 64) && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

/// An id of `origins`: [A-Za-z0-9_.-]{1,64}.
inline bool is_origin_id(std::string_view s) {
    return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               c == '_' || c == '-' || c == '.';
    });
}

/// A repository-relative path: not empty, at most 4096 bytes, no leading or trailing '/', no
/// NUL, no empty, "." or ".." component.
inline bool is_valid_path(std::string_view p) {
    if (p.empty() || p.size() > 4096 || p.front() == '/' || p.back() == '/') return false;
    if (p.find('\0') != std::string_view::npos) return false;
    size_t pos = 0;
    while (pos <= p.size()) {
        size_t slash = p.find('/', pos);
        std::string_view part =
            p.substr(pos, (slash == std::string_view::npos ? p.size() : slash) - pos);
        if (part.empty() || part == "." || part == "..") return false;
        if (slash == std::string_view::npos) break;
        pos = slash + 1;
    }
    return true;
}

/// Whether "schema" names a note this provenant reads: "provenant/" and major version 1.
inline bool is_provenant_schema(std::string_view s) {
    return s.substr(0, 10) == "provenant/";
}
inline bool is_supported_schema(std::string_view s) {
    if (!is_provenant_schema(s)) return false;
    const std::string_view version = s.substr(10);
    return version.substr(0, version.find('.')) == "1";
}

} // namespace provenant::note_rules
