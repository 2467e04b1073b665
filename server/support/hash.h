// FNV-1a 64: the one stable hash of the project, for file names derived from keys.
#pragma once

#include <cstdint>
#include <string_view>

namespace provenant {

/// FNV-1a, 64 bits. Stable across builds and platforms (std::hash is not), so it can name
/// files that other processes and later versions must find. Not for security. Pure.
constexpr uint64_t fnv1a64(std::string_view s) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (char ch : s) {
        h ^= static_cast<unsigned char>(ch);
        h *= 0x100000001b3ULL;
    }
    return h;
}

} // namespace provenant
