// Line classes from character attribution: the rules of docs/model.md §2 "Lines".
#include "core/line_classifier.h"

#include "core/utf8.h"

namespace provenant {

uint64_t& ClassCounts::operator[](OriginClass c) {
    switch (c) {
    case OriginClass::Ai:
        return ai;
    case OriginClass::Human:
        return human;
    case OriginClass::Paste:
        return paste;
    case OriginClass::Unknown:
        return unknown;
    }
    return unknown;
}

namespace {

/// The most common class of `c`, ties going to ai, then human, paste, unknown.
OriginClass majority(const ClassCounts& c) {
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
LineClass decide(const ClassCounts& all, const ClassCounts& decide_on) {
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

std::vector<LineVerdict> classify_lines(const Snapshot& s, ClassCounts* chars,
                                        bool lone_cr_breaks) {
    std::vector<LineVerdict> out;
    if (chars) *chars = {};
    LineAccumulator acc;
    const std::string& t = s.text;
    size_t pos = 0;
    size_t end = 0;         // end of the current run
    bool line_open = false; // the current line has at least one byte
    for (const Run& r : s.runs) {
        end += r.length;
        const OriginClass cls = s.origins.class_of(r.attr.origin);
        uint64_t count = 0; // non-whitespace code points of this run on the current line
        while (pos < end) {
            const auto c = static_cast<unsigned char>(t[pos]);
            const bool lf = c == '\n';
            const bool cr_break =
                lone_cr_breaks && c == '\r' && (pos + 1 >= t.size() || t[pos + 1] != '\n');
            if (lf || cr_break) {
                acc.add(cls, r.attr.origin, r.attr.fresh, count);
                if (chars) (*chars)[cls] += count;
                count = 0;
                out.push_back(acc.verdict());
                acc.reset();
                line_open = false;
                ++pos;
                continue;
            }
            line_open = true;
            if (utf8::is_space(c)) {
                ++pos;
                continue;
            }
            // One code point (an invalid byte counts as one), counted in the run of its first
            // byte; a character split between runs does not count twice.
            pos += utf8::token_length(t, pos);
            ++count;
        }
        acc.add(cls, r.attr.origin, r.attr.fresh, count);
        if (chars) (*chars)[cls] += count;
    }
    if (line_open) out.push_back(acc.verdict());
    return out;
}

} // namespace provenant
