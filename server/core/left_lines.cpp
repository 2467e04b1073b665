// Whole lines that left a file on a reset to HEAD, and giving them back (core/left_lines.h).
#include "core/left_lines.h"

#include "core/carry.h"
#include "core/run_cursor.h"

#include <algorithm>
#include <unordered_set>
#include <utility>

namespace provenant {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/// Where `block` (whole lines) starts in `text` at a line start, from `from`, ending at a line
/// end; npos if nowhere.
size_t find_block(std::string_view text, std::string_view block, size_t from) {
    for (size_t at = text.find(block, from); at != std::string_view::npos;
         at = text.find(block, at + 1)) {
        const bool starts = at == 0 || text[at - 1] == '\n';
        const bool ends = block.back() == '\n' || at + block.size() == text.size();
        if (starts && ends) return at;
    }
    return std::string_view::npos;
}

} // namespace

std::vector<Snapshot> lines_that_left(const Snapshot& before, std::string_view after) {
    std::vector<Snapshot> out;
    const std::string& t = before.text;
    RunCursor runs(before.runs);
    for (const ByteEdit& e : diff_edits(t, after, DiffGranularity::Spans)) {
        if (e.removed == 0) continue;
        // The whole lines inside the removed range.
        size_t a = e.offset;
        if (a > 0 && t[a - 1] != '\n') {
            const size_t nl = t.find('\n', a);
            a = nl == std::string::npos ? t.size() : nl + 1;
        }
        size_t b = e.offset + e.removed;
        if (b < t.size() && t[b - 1] != '\n') {
            const size_t nl = t.rfind('\n', b - 1);
            b = nl == std::string::npos || nl < a ? a : nl + 1;
        }
        if (b <= a) continue;
        Snapshot block;
        block.text = t.substr(a, b - a);
        bool evidence = false;
        runs.copy(a, b - a, [&](uint32_t len, Attr attr) {
            evidence = evidence || (attr.fresh && attr.evidence != Evidence::None);
            attr.origin = block.origins.intern(before.origins.at(attr.origin));
            block.push_run(len, attr);
        });
        const auto solid = static_cast<size_t>(std::count_if(block.text.begin(), block.text.end(),
                                                             [](char c) { return !is_space(c); }));
        if (evidence && solid >= kLeftMinBytes) out.push_back(std::move(block));
    }
    return out;
}

std::vector<Snapshot> merge_left(std::vector<Snapshot> newer, const std::vector<Snapshot>& older,
                                 std::string_view text) {
    std::vector<Snapshot> out;
    std::unordered_set<std::string> seen;
    size_t bytes = 0;
    auto add = [&](const Snapshot& block) {
        if (block.text.empty() || out.size() >= kLeftMaxBlocks) return;
        if (bytes + block.text.size() > kLeftMaxBytes) return;
        if (find_block(text, block.text, 0) != std::string_view::npos) return; // it is back
        if (!seen.insert(block.text).second) return;
        bytes += block.text.size();
        out.push_back(block);
    };
    for (const Snapshot& b : newer)
        add(b);
    for (const Snapshot& b : older)
        add(b);
    return out;
}

size_t give_back_left(Snapshot& s, const std::vector<Snapshot>& left) {
    if (left.empty() || s.text.empty()) return 0;
    // The ranges no evidence explains, [a, b), in order.
    std::vector<std::pair<size_t, size_t>> open;
    size_t pos = 0;
    for (const Run& r : s.runs) {
        if (r.attr.fresh && r.attr.evidence == Evidence::None) {
            if (!open.empty() && open.back().second == pos)
                open.back().second += r.length;
            else
                open.emplace_back(pos, pos + r.length);
        }
        pos += r.length;
    }
    auto unexplained = [&open](size_t a, size_t b) {
        auto it = std::upper_bound(open.begin(), open.end(), std::make_pair(a, SIZE_MAX));
        return it != open.begin() && std::prev(it)->first <= a && b <= std::prev(it)->second;
    };
    std::vector<std::pair<size_t, const Snapshot*>> given; // (where, block)
    auto overlaps = [&given](size_t a, size_t b) {
        return std::any_of(given.begin(), given.end(), [a, b](const auto& g) {
            return a < g.first + g.second->text.size() && g.first < b;
        });
    };
    for (const Snapshot& block : left) {
        if (block.text.empty() || !block.validate()) continue;
        for (size_t at = find_block(s.text, block.text, 0); at != std::string_view::npos;
             at = find_block(s.text, block.text, at + 1)) {
            const size_t end = at + block.text.size();
            if (unexplained(at, end) && !overlaps(at, end)) {
                given.emplace_back(at, &block);
                break;
            }
        }
    }
    if (given.empty()) return 0;
    std::sort(given.begin(), given.end());
    Snapshot out;
    out.text = std::move(s.text);
    out.origins = std::move(s.origins);
    RunCursor cur(s.runs);
    size_t p = 0;
    for (const auto& [at, block] : given) {
        cur.copy(p, at - p, [&](uint32_t len, Attr a) { out.push_run(len, a); });
        for (const Run& r : block->runs) {
            Attr a = r.attr;
            a.origin = out.origins.intern(block->origins.at(r.attr.origin));
            out.push_run(r.length, a);
        }
        p = at + block->text.size();
    }
    cur.copy(p, out.text.size() - p, [&](uint32_t len, Attr a) { out.push_run(len, a); });
    s = std::move(out);
    return given.size();
}

} // namespace provenant
