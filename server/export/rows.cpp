// Export rows from the line fates, counted exactly as the report counts (metrics.cpp).
#include "export/rows.h"

#include "analysis/line_facts.h"

#include <ctime>
#include <map>
#include <optional>
#include <tuple>

namespace provenant::exporting {

using analysis::Fates;
using analysis::kDaySeconds;
using analysis::kNever;
using analysis::kNone;
using analysis::LineFacts;
using analysis::MetricsOptions;

namespace {

std::string utc(int64_t t, const char* fmt) {
    const auto tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, fmt, &tm);
    return buf;
}

Text non_empty(const std::string& s) {
    return s.empty() ? Text() : Text(s);
}

bool is_ai(LineClass c) {
    return c == LineClass::Ai || c == LineClass::AiModified;
}

/// The keys every row of a commit shares.
template <class Row>
void fill_commit(Row& r, const analysis::CommitRow& c, const MetricsOptions& o) {
    r.commit = c.id;
    if constexpr (requires { r.time; }) {
        r.time = c.commit_time;
        r.date = utc(c.commit_time, "%Y-%m-%dT%H:%M:%SZ");
    }
    r.month = utc(c.commit_time, "%Y-%m");
    r.author = c.author_email;
    if (o.team_of)
        if (auto t = o.team_of(c.author_email)) r.team = *t;
}

template <class Row> void fill_origin(Row& r, const Fates& f, uint32_t origin) {
    if (origin == 0 || origin >= f.origins.size()) return;
    const analysis::OriginRow& og = f.origins[origin];
    r.tool = non_empty(og.tool);
    r.model = non_empty(og.model);
    r.session = non_empty(og.session);
}

} // namespace

std::string iso_utc(int64_t t) {
    return utc(t, "%Y-%m-%dT%H:%M:%SZ");
}

std::vector<CommitRowOut> commit_rows(const Fates& f, const MetricsOptions& o,
                                      const std::vector<analysis::ReleasePoint>* deployments) {
    // Deployed: "released" counted over the production deployments alone, so both columns
    // follow one rule (reached the first such point holding the birth commit, unchanged).
    // Worked out first, and only what released() and release_date() read is kept: 4 bytes a
    // line beside the facts below, not a second whole LineFacts (docs/benchmarks.md).
    std::optional<LineFacts> d;
    if (deployments != nullptr) {
        MetricsOptions only = o;
        only.releases = *deployments;
        LineFacts all = analysis::compute_line_facts(f, only);
        d.emplace();
        d->rel_idx = std::move(all.rel_idx);
        d->end_rel = std::move(all.end_rel);
        d->releases = std::move(all.releases);
    }
    const LineFacts x = analysis::compute_line_facts(f, o);
    std::vector<CommitRowOut> out;
    const size_t nl = f.lines.size();
    for (uint32_t c = 0; c < f.commits.size(); ++c) {
        if (x.counted[c] == 0) continue;
        const analysis::CommitRow& row = f.commits[c];
        // (path, class, origin) -> its row, in a stable order.
        std::map<std::tuple<uint32_t, uint8_t, uint32_t>, CommitRowOut> rows;
        for (uint32_t l = row.first_line; l < row.line_end && l < nl; ++l) {
            const analysis::LineRow& line = f.lines[l];
            if (line.cls == LineClass::Blank) continue;
            auto [it, fresh] =
                rows.try_emplace({line.path, static_cast<uint8_t>(line.cls), line.origin});
            CommitRowOut& r = it->second;
            if (fresh) {
                fill_commit(r, row, o);
                r.path = line.path < f.paths.size() ? Text(f.paths[line.path]) : Text();
                r.cls = std::string(to_string(line.cls));
                fill_origin(r, f, line.origin);
                if (d) r.deployed = 0;
            }
            ++r.lines;
            const bool merged = x.merged(f, l);
            if (merged) {
                ++r.merged;
                r.merged_at = iso_utc(x.merge_date(f, l));
            }
            if (x.rewritten_before_merge(f, l)) ++r.rewritten_before_merge;
            if (x.released(f, l)) {
                ++r.released;
                r.released_at = iso_utc(x.release_date(f, l));
            }
            if (d && d->released(f, l)) {
                ++*r.deployed;
                r.deployed_at = iso_utc(d->release_date(f, l));
            }
            if (x.alive(f, l)) ++r.alive;
            const bool family =
                is_ai(line.cls) || line.cls == LineClass::Human || line.cls == LineClass::Paste;
            if (merged && family && x.at_anc[line.birth] != 0) {
                const int64_t horizon = x.merge_date(f, l) + int64_t(o.survival_days) * kDaySeconds;
                if (horizon <= x.at_time) {
                    ++r.survival_eligible;
                    if (x.end_time[l] == kNever || x.end_time[l] > horizon) ++r.survival_alive;
                }
            }
        }
        for (auto& [key, r] : rows)
            out.push_back(std::move(r));
        // Spend and the generated side of the funnel, per origin (no path: not per line).
        for (const analysis::CommitOrigin& co : row.origins) {
            CommitRowOut r;
            fill_commit(r, row, o);
            fill_origin(r, f, co.origin);
            r.generated = co.generated;
            r.tokens = co.tokens;
            if (o.prices != nullptr && co.origin < f.origins.size())
                r.cost_usd = o.prices->cost(f.origins[co.origin].model, co.tokens).value_or(0.0);
            if (!co.has_lines) r.uncommitted_cost_usd = r.cost_usd;
            out.push_back(std::move(r));
        }
    }
    return out;
}

std::vector<FateRowOut> fate_rows(const Fates& f, const MetricsOptions& o) {
    const LineFacts x = analysis::compute_line_facts(f, o);
    std::vector<FateRowOut> out;
    const size_t nl = f.lines.size();
    for (uint32_t c = 0; c < f.commits.size(); ++c) {
        if (x.counted[c] == 0) continue;
        const analysis::CommitRow& row = f.commits[c];
        // A run goes on while the next line has the same keys and the same fate.
        using Key = std::tuple<uint32_t, LineClass, uint32_t, int64_t, uint32_t, analysis::EndBy,
                               bool, bool>;
        std::optional<Key> last;
        for (uint32_t l = row.first_line; l < row.line_end && l < nl; ++l) {
            const analysis::LineRow& line = f.lines[l];
            if (line.cls == LineClass::Blank) continue;
            const bool merged = x.merged(f, l);
            const int64_t merge_date = merged ? x.merge_date(f, l) : kNever;
            const bool reworked =
                merged && x.end_time[l] != kNever &&
                x.end_time[l] - merge_date <= int64_t(o.rework_days) * kDaySeconds;
            const Key key{line.path,       line.cls,    line.origin,   merge_date,
                          x.end_commit[l], x.end_by[l], x.alive(f, l), reworked};
            if (last && *last == key) {
                ++out.back().lines;
                continue;
            }
            last = key;
            FateRowOut r;
            fill_commit(r, row, o);
            r.born_at = iso_utc(row.commit_time);
            r.path = line.path < f.paths.size() ? Text(f.paths[line.path]) : Text();
            r.cls = std::string(to_string(line.cls));
            fill_origin(r, f, line.origin);
            r.lines = 1;
            if (merged) r.merged_at = iso_utc(merge_date);
            if (x.end_commit[l] != kNone) {
                const analysis::CommitRow& e = f.commits[x.end_commit[l]];
                r.ended_commit = e.id;
                r.ended_at = iso_utc(e.commit_time);
                r.ended_by = e.author_email;
                r.end_by = std::string(to_string(x.end_by[l]));
            }
            r.alive = x.alive(f, l);
            r.reworked = reworked;
            out.push_back(std::move(r));
        }
    }
    return out;
}

} // namespace provenant::exporting
