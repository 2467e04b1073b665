// The one walk over a snapshot's text by line and run: where runs are cut into lines and
// non-whitespace characters are counted (the classifier, attach's counts, pending lines).
#pragma once

#include "core/provenance.h"
#include "core/utf8.h"

#include <cstdint>

namespace provenant {

/// Walks `s` once, in order. Calls `segment(const Run& run, uint64_t visible)` for each piece
/// of a run that lies on one line (at each line break, for the piece before it, and at the
/// end of each run), with its non-whitespace characters; a character is counted in the run of
/// its first byte (utf8::token_length), so one split between runs never counts twice. Calls
/// `line_break()` after the segments of each line that a \n ends (and a lone \r when
/// `lone_cr_breaks`: LSP's lines; git's split on \n only). Returns whether the text ends in a
/// line with at least one byte and no break (the caller counts it as a line, or not).
/// Segments may have `visible == 0`. Pure; O(n).
template <typename Segment, typename LineBreak>
bool walk_lines(const Snapshot& s, bool lone_cr_breaks, Segment&& segment, LineBreak&& line_break) {
    const std::string& t = s.text;
    size_t pos = 0;
    size_t end = 0;         // end of the current run
    bool line_open = false; // the current line has at least one byte
    for (const Run& r : s.runs) {
        end += r.length;
        uint64_t count = 0; // non-whitespace characters of this run on the current line
        while (pos < end) {
            const auto c = static_cast<unsigned char>(t[pos]);
            const bool lf = c == '\n';
            const bool cr_break =
                lone_cr_breaks && c == '\r' && (pos + 1 >= t.size() || t[pos + 1] != '\n');
            if (lf || cr_break) {
                segment(r, count);
                count = 0;
                line_break();
                line_open = false;
                ++pos;
                continue;
            }
            line_open = true;
            if (utf8::is_space(c)) {
                ++pos;
                continue;
            }
            pos += utf8::token_length(t, pos);
            ++count;
        }
        segment(r, count);
    }
    return line_open;
}

} // namespace provenant
