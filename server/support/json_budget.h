// What a JSON text would cost to parse, measured by a linear scan before the parse, and the
// one budget every JSON text from outside is held to (LSP messages, agent hook payloads).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace provenant {

/// How much JSON one text from outside may hold. A parsed value costs up to ~100 bytes
/// whatever its text (`[{},{},...]` amplifies 33x), a string about its length: bounding the
/// count bounds a parse's memory by design (~30 MB here, whatever the shape); the depth cap
/// keeps code that recurses over values (`[[[[...`) from exhausting the stack. LSP messages
/// nest a handful of levels; a didChange of 20,000 ranged edits, a didChangeWatchedFiles of
/// 100,000 files or a hook payload of a 100,000-line MultiEdit fits.
struct JsonBudget {
    size_t max_values;
    int max_depth;
};
inline constexpr JsonBudget kJsonBudget{256u << 10, 64};

/// The shape of a JSON text as a scan that skips strings sees it: how many values a parse
/// would build (containers and elements: '{', '[' and ',' outside strings, plus one) and
/// whether it nests deeper than `max_depth`. The scan stops at the first level too deep. It
/// does not validate (the parse does). Thread-safe.
struct JsonShape {
    size_t values = 0;
    bool too_deep = false;
    /// With a `member` name given: the value of that member of the top-level object when it
    /// is a string of at most kMaxMemberText bytes without escapes (the last such member when
    /// the name repeats; a name spelled with escapes is not recognised), else empty.
    std::string member;
};
inline constexpr size_t kMaxMemberText = 256;
JsonShape measure_json(std::string_view text, int max_depth, std::string_view member = {});

} // namespace provenant
