// A forward cursor over a run list: copies the runs that cover successive byte ranges.
#pragma once

#include "core/provenance.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace provenant {

/// Copies the runs of a run list over [pos, pos+len) in order, calling `emit(length, attr)` for
/// each piece; calls must move forward (each `pos` at or after the previous range's start).
/// Not thread-safe: one cursor per walk over `runs`, which must outlive it.
class RunCursor {
public:
    explicit RunCursor(const std::vector<Run>& runs) : runs_(runs) {}
    template <typename F> void copy(size_t pos, size_t len, F&& emit) {
        while (len > 0 && idx_ < runs_.size()) {
            const size_t run_end = start_ + runs_[idx_].length;
            if (pos >= run_end) {
                start_ = run_end;
                ++idx_;
                continue;
            }
            const size_t take = std::min(len, run_end - pos);
            emit(static_cast<uint32_t>(take), runs_[idx_].attr);
            pos += take;
            len -= take;
        }
    }

private:
    const std::vector<Run>& runs_;
    size_t idx_ = 0;
    size_t start_ = 0;
};

} // namespace provenant
