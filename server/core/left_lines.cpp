// Whole lines that left a file on a reset to HEAD, and giving them back (core/left_lines.h).
#include "core/left_lines.h"

#include "core/carry.h"
#include "core/run_cursor.h"

#include <algorithm>
#include <unordered_map>
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

/// Each non-blank line of `block` (with its line break, if any) and its attribution as a
/// comparable string: the origin record and evidence of each run of the line.
std::vector<std::pair<std::string, std::string>> attributed_lines(const Snapshot& block) {
    std::vector<std::pair<std::string, std::string>> out;
    RunCursor runs(block.runs);
    const std::string& t = block.text;
    for (size_t a = 0; a < t.size();) {
        const size_t nl = t.find('\n', a);
        const size_t b = nl == std::string::npos ? t.size() : nl + 1;
        const std::string line = t.substr(a, b - a);
        if (std::any_of(line.begin(), line.end(), [](char c) { return !is_space(c); })) {
            std::string who;
            runs.copy(a, b - a, [&](uint32_t len, Attr attr) {
                const OriginRecord& r = block.origins.at(attr.origin);
                who += std::to_string(len) + ':' + std::to_string(static_cast<int>(r.cls)) + ':' +
                       std::to_string(static_cast<int>(attr.evidence)) + ':' + r.tool + '\x1f' +
                       r.kind + '\x1f' + r.model + '\x1f' + r.session + '\x1e';
            });
            out.emplace_back(line, std::move(who));
        }
        a = b;
    }
    return out;
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
    // The lines of the blocks kept so far (newer than the one looked at) and their attribution.
    std::unordered_map<std::string, std::string> newer_lines;
    size_t bytes = 0;
    auto add = [&](const Snapshot& block) {
        if (block.text.empty() || out.size() >= kLeftMaxBlocks) return;
        if (bytes + block.text.size() > kLeftMaxBytes) return;
        if (find_block(text, block.text, 0) != std::string_view::npos) return; // it is back
        if (seen.count(block.text)) return;
        // A line a newer block holds with another attribution was observed again since: the
        // newer observation of that text wins, and this block, which would give the line its
        // older attribution should it come back alone (a one-line hunk of a `git stash pop`),
        // is stale (property seed 8039: codex's line left, claude-code wrote it again, it left
        // again in a longer block; the pop's one-line hunk matched codex's block).
        const auto attributed = attributed_lines(block);
        for (const auto& [line, who] : attributed)
            if (auto it = newer_lines.find(line); it != newer_lines.end() && it->second != who)
                return;
        seen.insert(block.text);
        for (const auto& [line, who] : attributed)
            newer_lines.emplace(line, who);
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
