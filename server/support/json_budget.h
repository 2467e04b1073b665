// What a JSON text would cost to parse, measured by a linear scan before the parse.
#pragma once

#include <cstddef>
#include <string_view>

namespace provenant {

/// The shape of a JSON text as a scan that skips strings sees it: how many values a parse
/// would build (containers and elements: '{', '[' and ',' outside strings, plus one) and
/// whether it nests deeper than `max_depth`. A parsed value costs up to ~100 bytes whatever
/// its text (`[{},{},...]` amplifies 33x), a string about its length: bounding the count
/// bounds a parse's memory by design. The scan stops at the first level too deep. It does
/// not validate (the parse does). Thread-safe.
struct JsonShape {
    size_t values = 0;
    bool too_deep = false;
};
JsonShape measure_json(std::string_view text, int max_depth);

} // namespace provenant
