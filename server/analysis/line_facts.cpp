// Per-commit marks (merged, released, an ancestor of --at) computed once by marking
// ancestors, and each line's ends.
#include "analysis/line_facts.h"

#include <algorithm>
#include <string>
#include <unordered_set>

namespace provenant::analysis {

namespace {

/// Marks with `mark` every unmarked ancestor of `from` (itself included). An ancestor that
/// is already marked has all its ancestors marked already (they were marked by the same or
/// an earlier call), so the walk stops there: all calls together cost O(commits).
template <class T>
void mark_ancestors(const Fates& f, uint32_t from, T mark, T unmarked, std::vector<T>& marks) {
    std::vector<uint32_t> stack{from};
    while (!stack.empty()) {
        uint32_t c = stack.back();
        stack.pop_back();
        if (marks[c] != unmarked) continue;
        marks[c] = mark;
        for (uint32_t p : f.commits[c].parents)
            if (marks[p] == unmarked) stack.push_back(p);
    }
}

} // namespace

LineFacts compute_line_facts(const Fates& f, const MetricsOptions& o) {
    LineFacts x;
    const auto n = static_cast<uint32_t>(f.commits.size());
    // Merged: the index, on --main's first-parent chain (oldest first), of the first commit
    // that contains each commit.
    for (uint32_t c = o.main_tip; c < n;
         c = f.commits[c].parents.empty() ? kNone : f.commits[c].parents[0])
        x.chain.push_back(c);
    std::reverse(x.chain.begin(), x.chain.end());
    x.main_idx.assign(n, kNone);
    for (uint32_t k = 0; k < x.chain.size(); ++k)
        mark_ancestors(f, x.chain[k], k, kNone, x.main_idx);
    // Released: the index of the first release point (by date) that contains each commit.
    x.releases = o.releases;
    std::stable_sort(x.releases.begin(), x.releases.end(),
                     [](const ReleasePoint& a, const ReleasePoint& b) { return a.date < b.date; });
    x.rel_idx.assign(n, kNone);
    for (uint32_t k = 0; k < x.releases.size(); ++k)
        if (x.releases[k].commit < n) mark_ancestors(f, x.releases[k].commit, k, kNone, x.rel_idx);
    x.at_anc.assign(n, 0);
    if (o.at < n) mark_ancestors<uint8_t>(f, o.at, 1, 0, x.at_anc);
    x.at_time = o.at < n ? f.commits[o.at].commit_time : 0;

    // Commits rewritten away (another note's rewrite.from) count through their replacement.
    std::unordered_set<std::string> rewritten;
    for (const CommitRow& c : f.commits)
        for (const std::string& from : c.rewritten_from)
            rewritten.insert(from);
    x.counted.assign(n, 0);
    for (uint32_t c = 0; c < n; ++c)
        x.counted[c] =
            (o.selected.empty() || o.selected[c] != 0) && rewritten.count(f.commits[c].id) == 0 ? 1
                                                                                                : 0;

    // Each line's ends: the smallest merge/release index among its ending commits, and the
    // earliest end among --at's ancestors (the end on the way to --at is the one that counts
    // for alive, survival and rework).
    const size_t nl = f.lines.size();
    x.end_main.assign(nl, kNone);
    x.end_rel.assign(nl, kNone);
    x.end_time.assign(nl, kNever);
    x.end_commit.assign(nl, kNone);
    x.end_by.assign(nl, EndBy::Deleted);
    for (const EndRow& e : f.ends) {
        if (e.line >= nl || e.commit >= n) continue;
        x.end_main[e.line] = std::min(x.end_main[e.line], x.main_idx[e.commit]);
        x.end_rel[e.line] = std::min(x.end_rel[e.line], x.rel_idx[e.commit]);
        const int64_t t = f.commits[e.commit].commit_time;
        if (x.at_anc[e.commit] != 0 && t < x.end_time[e.line]) {
            x.end_time[e.line] = t;
            x.end_commit[e.line] = e.commit;
            x.end_by[e.line] = e.by;
        }
    }
    return x;
}

} // namespace provenant::analysis
