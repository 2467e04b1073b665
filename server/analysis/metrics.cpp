// The report's numbers: per-commit marks (merged, released, an ancestor of --at) computed once
// by marking ancestors, then one pass over the lines and one over the commits' origins.
#include "analysis/metrics.h"

#include "analysis/line_facts.h"
#include "analysis/survival.h"
#include "support/json_text.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>
#include <set>

namespace provenant::analysis {

namespace {

bool is_ai(LineClass c) {
    return c == LineClass::Ai || c == LineClass::AiModified;
}

std::string utc(int64_t t, const char* fmt) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, fmt, &tm);
    return buf;
}

std::string top_dir(const std::string& path) {
    auto slash = path.find('/');
    return slash == std::string::npos ? "." : path.substr(0, slash);
}

std::optional<std::string> ext_of(const std::string& path) {
    auto slash = path.rfind('/');
    std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    auto dot = base.rfind('.');
    if (dot == std::string::npos || dot == 0) return std::nullopt;
    return base.substr(dot + 1);
}

/// Survival counts for one class family (AI, or human).
struct Survival {
    uint64_t eligible = 0, alive = 0;
    std::vector<SurvivalObservation> obs;
};

/// Everything one group (or the total) accumulates.
struct Acc {
    uint64_t commits = 0, commits_with_notes = 0;
    LineCounts added;
    uint64_t generated = 0, committed = 0, merged = 0, released = 0, alive = 0,
             rewritten_before_merge = 0;
    Survival ai, human;
    /// rework[class][end by]: counted in arrays (a string key per reworked line showed at
    /// 100,000 commits), named in acc_json.
    std::array<std::array<uint64_t, 5>, 6> rework{};
    TokenUsage tokens;
    double cost = 0, uncommitted_cost = 0;
    uint64_t ai_only = 0, human_only = 0, mixed = 0, unknown_only = 0;
};

nlohmann::json ratio(double num, double den) {
    if (den <= 0) return nullptr;
    return num / den;
}

nlohmann::json curve_json(std::vector<SurvivalObservation> obs) {
    nlohmann::json out = nlohmann::json::array();
    for (const CurvePoint& p : kaplan_meier(std::move(obs)))
        out.push_back({{"day", p.day}, {"share", p.share}});
    return out;
}

nlohmann::json acc_json(const Acc& a, int survival_days, int rework_days) {
    nlohmann::json j;
    j["totals"] = {{"commits", a.commits},
                   {"commits_with_notes", a.commits_with_notes},
                   {"lines_added",
                    {{"ai", a.added.ai},
                     {"ai_modified", a.added.ai_modified},
                     {"human", a.added.human},
                     {"paste", a.added.paste},
                     {"unknown", a.added.unknown}}}};
    j["funnel"] = {{"generated", a.generated},
                   {"committed", a.committed},
                   {"merged", a.merged},
                   {"released", a.released},
                   {"alive", a.alive},
                   {"rewritten_before_merge", a.rewritten_before_merge},
                   {"retention", ratio(double(a.committed), double(a.generated))},
                   {"production_rate", ratio(double(a.alive), double(a.committed))}};
    j["survival"] = {{"days", survival_days},
                     {"eligible", a.ai.eligible},
                     {"alive", a.ai.alive},
                     {"rate", ratio(double(a.ai.alive), double(a.ai.eligible))},
                     {"curve", curve_json(a.ai.obs)},
                     {"human",
                      {{"eligible", a.human.eligible},
                       {"alive", a.human.alive},
                       {"rate", ratio(double(a.human.alive), double(a.human.eligible))},
                       {"curve", curve_json(a.human.obs)}}}};
    nlohmann::json matrix = nlohmann::json::object();
    for (size_t from = 0; from < a.rework.size(); ++from)
        for (size_t to = 0; to < a.rework[from].size(); ++to)
            if (a.rework[from][to] != 0)
                matrix[std::string(to_string(static_cast<LineClass>(from)))]
                      [std::string(to_string(static_cast<EndBy>(to)))] = a.rework[from][to];
    j["rework"] = {{"days", rework_days}, {"matrix", matrix}};
    j["spend"] = {{"tokens",
                   {{"input", a.tokens.input},
                    {"output", a.tokens.output},
                    {"cache_read", a.tokens.cache_read},
                    {"cache_write_5m", a.tokens.cache_write_5m},
                    {"cache_write_1h", a.tokens.cache_write_1h}}},
                  {"cost_usd", a.cost},
                  {"uncommitted_cost_usd", a.uncommitted_cost},
                  {"cost_per_committed_ai_line", ratio(a.cost, double(a.committed))},
                  {"cost_per_merged_ai_line", ratio(a.cost, double(a.merged))},
                  {"cost_per_alive_ai_line", ratio(a.cost, double(a.alive))}};
    j["shapes"] = {{"ai_only", a.ai_only},
                   {"human_only", a.human_only},
                   {"mixed", a.mixed},
                   {"unknown_only", a.unknown_only}};
    return j;
}

/// The per-line and per-commit facts the group keys are made of.
struct KeySource {
    const OriginRow* origin = nullptr; // null: no origin
    const CommitRow* commit = nullptr;
    const std::string* path = nullptr; // null: not a line (spend)
};

} // namespace

nlohmann::json compute_report(const Fates& f, const MetricsOptions& o) {
    const auto n = static_cast<uint32_t>(f.commits.size());
    const LineFacts x = compute_line_facts(f, o);
    const size_t nl = f.lines.size();

    // Groups.
    Acc total;
    std::map<std::string, std::pair<nlohmann::json, Acc>> groups;
    auto key_of = [&](const KeySource& s) {
        nlohmann::json key = nlohmann::json::object();
        for (const std::string& k : o.by) {
            nlohmann::json v = nullptr;
            const OriginRow* og = s.origin;
            if (k == "tool") {
                if (og != nullptr && !og->tool.empty()) v = og->tool;
            } else if (k == "model") {
                if (og != nullptr && !og->model.empty()) v = og->model;
            } else if (k == "session") {
                if (og != nullptr && !og->session.empty()) v = og->session;
            } else if (k == "author") {
                v = s.commit->author_email;
            } else if (k == "team") {
                if (o.team_of)
                    if (auto t = o.team_of(s.commit->author_email)) v = *t;
            } else if (k == "path") {
                if (s.path != nullptr) v = top_dir(*s.path);
            } else if (k == "ext") {
                if (s.path != nullptr)
                    if (auto e = ext_of(*s.path)) v = *e;
            } else if (k == "month") {
                v = utc(s.commit->commit_time, "%Y-%m");
            } else if (k == "week") {
                v = utc(s.commit->commit_time, "%G-W%V");
            }
            key[k] = v;
        }
        return key;
    };
    auto group = [&](const nlohmann::json& key) -> Acc& {
        // The key's text: quoted, so two paths or emails that are not UTF-8 stay two groups
        // and a byte that is not UTF-8 never throws.
        auto [it, fresh] = groups.try_emplace(json_text_quoted(key));
        if (fresh) it->second.first = key;
        return it->second.second;
    };
    // The group of the last key source: consecutive lines of a commit mostly share their
    // origin and path, and a key (JSON, then its text) per line was most of a grouped report.
    KeySource last{};
    Acc* last_group = nullptr;
    auto group_of = [&](const KeySource& s) -> Acc& {
        if (last_group == nullptr || s.origin != last.origin || s.commit != last.commit ||
            s.path != last.path) {
            last_group = &group(key_of(s));
            last = s;
        }
        return *last_group;
    };
    auto each = [&](const KeySource& s, const auto& fn) {
        fn(total);
        if (!o.by.empty()) fn(group_of(s));
    };

    std::vector<std::optional<ModelPrice>> price_of(f.origins.size());
    std::vector<uint8_t> priced(f.origins.size(), 0);
    std::vector<std::pair<Acc*, std::array<uint64_t, 6>>> shapes;
    for (uint32_t c = 0; c < n; ++c) {
        if (x.counted[c] == 0) continue;
        const CommitRow& row = f.commits[c];
        // Per group (total first): the commit's non-blank lines' classes for its shape. A
        // commit's lines fall in few groups: a short list, not a map per commit.
        std::vector<std::pair<Acc*, std::array<uint64_t, 6>>>& shape = shapes;
        shape.assign(1, {&total, {}});
        auto shape_of = [&](Acc* a) -> std::array<uint64_t, 6>& {
            for (auto& [acc, classes] : shape)
                if (acc == a) return classes;
            return shape.emplace_back(a, std::array<uint64_t, 6>{}).second;
        };
        for (uint32_t l = row.first_line; l < row.line_end && l < nl; ++l) {
            const LineRow& line = f.lines[l];
            if (line.cls == LineClass::Blank) continue;
            const bool ai = is_ai(line.cls);
            const bool human_family = line.cls == LineClass::Human || line.cls == LineClass::Paste;
            const bool merged = x.merged(f, l);
            const bool rbm = x.rewritten_before_merge(f, l);
            const bool released = x.released(f, l);
            const bool alive = x.alive(f, l);
            const int64_t merge_date = merged ? x.merge_date(f, l) : 0;
            const bool at_anc = x.at_anc[line.birth] != 0;
            const int64_t at_time = x.at_time;
            const int64_t end_time = x.end_time[l];
            KeySource ks{line.origin != 0 && line.origin < f.origins.size()
                             ? &f.origins[line.origin]
                             : nullptr,
                         &row, &f.paths[line.path]};
            each(ks, [&](Acc& a) {
                a.added[line.cls] += 1;
                ++shape_of(&a)[static_cast<size_t>(line.cls)];
                if (ai) {
                    ++a.committed;
                    if (merged) ++a.merged;
                    if (rbm) ++a.rewritten_before_merge;
                    if (released) ++a.released;
                    if (alive) ++a.alive;
                }
                if (merged && at_anc && (ai || human_family)) {
                    Survival& s = ai ? a.ai : a.human;
                    const bool ended = end_time != kNever;
                    if (ended) {
                        s.obs.push_back(
                            {double(end_time - merge_date) / double(kDaySeconds), true});
                    } else if (at_time >= merge_date) {
                        s.obs.push_back(
                            {double(at_time - merge_date) / double(kDaySeconds), false});
                    }
                    const int64_t horizon = merge_date + int64_t(o.survival_days) * kDaySeconds;
                    if (horizon <= at_time) {
                        ++s.eligible;
                        if (!ended || end_time > horizon) ++s.alive;
                    }
                }
                if (merged && end_time != kNever &&
                    end_time - merge_date <= int64_t(o.rework_days) * kDaySeconds)
                    ++a.rework[static_cast<size_t>(line.cls)][static_cast<size_t>(x.end_by[l])];
            });
        }
        // Commit counts: once per group the commit's lines fall in (a commit with no
        // non-blank line counts in the group of its own keys, with no origin and no path).
        if (shape.size() == 1 && !o.by.empty()) shape_of(&group(key_of({nullptr, &row, nullptr})));
        const bool readable = row.note == NoteState::Provenant || row.note == NoteState::GitAi;
        for (auto& [acc, classes] : shape) {
            ++acc->commits;
            if (readable) ++acc->commits_with_notes;
            if (row.parents.size() > 1) continue; // shapes: non-merge commits only
            const uint64_t ai =
                classes[size_t(LineClass::Ai)] + classes[size_t(LineClass::AiModified)];
            const uint64_t hu =
                classes[size_t(LineClass::Human)] + classes[size_t(LineClass::Paste)];
            const uint64_t un = classes[size_t(LineClass::Unknown)];
            if (ai + hu + un == 0) continue;
            if (ai == ai + hu + un)
                ++acc->ai_only;
            else if (hu == ai + hu + un)
                ++acc->human_only;
            else if (un == ai + hu + un)
                ++acc->unknown_only;
            else
                ++acc->mixed;
        }
        // Spend and the generated side of the funnel, per origin (no path: not per line).
        for (const CommitOrigin& co : row.origins) {
            const OriginRow* og = co.origin < f.origins.size() ? &f.origins[co.origin] : nullptr;
            double cost = 0;
            if (o.prices != nullptr && og != nullptr) {
                // The price of each origin's model looked up once (a case-folded search of
                // the table per commit origin was a tenth of computing a report).
                if (priced[co.origin] == 0) {
                    price_of[co.origin] = o.prices->find(og->model);
                    priced[co.origin] = 1;
                }
                if (const auto& price = price_of[co.origin]) cost = cost_of(*price, co.tokens);
            }
            each({og, &row, nullptr}, [&](Acc& a) {
                a.generated += co.generated;
                a.tokens += co.tokens;
                a.cost += cost;
                if (!co.has_lines) a.uncommitted_cost += cost;
            });
        }
    }

    nlohmann::json report = acc_json(total, o.survival_days, o.rework_days);
    report["schema"] = "provenant-report/1";
    nlohmann::json gs = nlohmann::json::array();
    for (auto& [k, g] : groups) {
        nlohmann::json j = acc_json(g.second, o.survival_days, o.rework_days);
        j["key"] = g.first;
        gs.push_back(std::move(j));
    }
    // Groups sorted by committed AI lines, most first; ties by key.
    std::stable_sort(gs.begin(), gs.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
        return a["funnel"]["committed"].get<uint64_t>() > b["funnel"]["committed"].get<uint64_t>();
    });
    report["groups"] = std::move(gs);
    report["by"] = o.by;
    return report;
}

} // namespace provenant::analysis
