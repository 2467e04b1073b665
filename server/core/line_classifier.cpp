// Line classes from character attribution: the rules of docs/model.md §2 "Lines".
#include "core/line_classifier.h"

#include "core/line_walk.h"

namespace provenant {

namespace {

/// The most common class of `c`, ties going to ai, then human, paste, unknown.
OriginClass majority(const CharCounts& c) {
    OriginClass best = OriginClass::Ai;
    uint64_t n = c.ai;
    if (c.human > n) best = OriginClass::Human, n = c.human;
    if (c.paste > n) best = OriginClass::Paste, n = c.paste;
    if (c.unknown > n) best = OriginClass::Unknown, n = c.unknown;
    return best;
}

LineClass line_class_of(OriginClass c) {
    switch (c) {
    case OriginClass::Ai:
        return LineClass::Ai;
    case OriginClass::Human:
        return LineClass::Human;
    case OriginClass::Paste:
        return LineClass::Paste;
    case OriginClass::Unknown:
        return LineClass::Unknown;
    }
    return LineClass::Unknown;
}

/// Rules 2 and 3 over `decide` (the fresh characters, or all of them for rule 1).
LineClass decide(const CharCounts& all, const CharCounts& decide_on) {
    if (majority(all) == OriginClass::Ai && all.ai > 0 && decide_on.human > 0)
        return LineClass::AiModified;
    return line_class_of(majority(decide_on));
}

} // namespace

void LineAccumulator::add(OriginClass cls, uint32_t origin, bool fresh, uint64_t count) {
    if (count == 0) return;
    all_[cls] += count;
    if (fresh) fresh_[cls] += count;
    if (cls != OriginClass::Ai) return;
    for (auto& [id, n] : ai_origins_)
        if (id == origin) {
            n += count;
            return;
        }
    ai_origins_.emplace_back(origin, count);
}

LineVerdict LineAccumulator::verdict() const {
    LineVerdict v;
    if (all_.total() == 0) return v; // blank: whitespace only
    // Rule 1: a line with no fresh characters keeps the class it had, which is what the rules
    // give over all of its characters (an AI line a person edited stays ai_modified).
    v.cls = fresh_.total() == 0 ? decide(all_, all_) : decide(all_, fresh_);
    if (v.cls == LineClass::Ai || v.cls == LineClass::AiModified) {
        // The origin of most of its AI characters; ties to the smallest id (deterministic).
        const std::pair<uint32_t, uint64_t>* best = nullptr;
        for (const auto& p : ai_origins_)
            if (!best || p.second > best->second ||
                (p.second == best->second && p.first < best->first))
                best = &p;
        if (best) v.origin = best->first;
    }
    return v;
}

void LineAccumulator::reset() {
    all_ = {};
    fresh_ = {};
    ai_origins_.clear();
}

std::vector<LineVerdict> classify_lines(const Snapshot& s, CharCounts* chars, bool lone_cr_breaks) {
    std::vector<LineVerdict> out;
    if (chars) *chars = {};
    LineAccumulator acc;
    const bool open = walk_lines(
        s, lone_cr_breaks,
        [&](const Run& r, uint64_t count) {
            const OriginClass cls = s.origins.class_of(r.attr.origin);
            acc.add(cls, r.attr.origin, r.attr.fresh, count);
            if (chars) (*chars)[cls] += count;
        },
        [&] {
            out.push_back(acc.verdict());
            acc.reset();
        });
    if (open) out.push_back(acc.verdict());
    return out;
}

} // namespace provenant
