// Diffing two texts into byte edits, carrying attribution across a diff, merging evidence.
#include "core/carry.h"

#include "core/base.h"
#include "core/restore.h"
#include "core/run_cursor.h"
#include "core/utf8.h"

#include <algorithm>
#include <bit>
#include <dtl/dtl.hpp>
#include <functional>
#include <optional>
#include <unordered_map>

namespace provenant {

namespace {

/// Above this many lines on both sides together, the line diff anchors on unique lines
/// (patience) before running Myers on the gaps, so its cost stays bounded.
constexpr size_t kMyersMaxLines = 4000;
/// A changed hunk is refined to characters when both sides together are at most this many
/// bytes; larger hunks are relabelled whole (after trimming their common ends).
constexpr size_t kRefineMaxBytes = 8192;
/// Total bytes that character refinement may examine for one diff.
constexpr size_t kRefineBudgetBytes = 4u << 20;
/// Recursion limit of the patience anchoring.
constexpr int kMaxAnchorDepth = 6;

/// Collects edits in increasing order, merging ones that touch.
class EditSink {
public:
    void add(size_t a_off, size_t removed, size_t b_off, size_t inserted) {
        if (removed == 0 && inserted == 0) return;
        if (!out_.empty()) {
            ByteEdit& last = out_.back();
            if (last.offset + last.removed == a_off &&
                last.inserted_offset + last.inserted == b_off) {
                last.removed += removed;
                last.inserted += inserted;
                return;
            }
        }
        out_.push_back(ByteEdit{a_off, removed, b_off, inserted});
    }
    std::vector<ByteEdit> take() { return std::move(out_); }
    size_t size() const { return out_.size(); }
    void truncate(size_t n) { out_.resize(n); }
    ByteEdit& back() { return out_.back(); }

private:
    std::vector<ByteEdit> out_;
};

struct Line {
    size_t begin = 0, end = 0; // bytes, including the terminator
    uint64_t hash = 0;         // of the non-whitespace bytes
    uint64_t exact = 0;        // of the bytes before the terminator
};

std::vector<Line> split_lines(std::string_view s, size_t begin, size_t end) {
    std::vector<Line> out;
    std::string norm;
    size_t start = begin;
    for (size_t i = begin; i < end; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (!utf8::is_space(c)) norm.push_back(static_cast<char>(c));
        if (c == '\n' || i + 1 == end) {
            const size_t len = i + 1 - start - (c == '\n' ? 1 : 0);
            out.push_back(Line{start, i + 1, std::hash<std::string_view>{}(norm),
                               std::hash<std::string_view>{}(s.substr(start, len))});
            norm.clear();
            start = i + 1;
        }
    }
    return out;
}

enum class Op : uint8_t { Common, Delete, Add };

/// Line-level diff of x[x0,x1) against y[y0,y1) by the hash `key` (Line::hash or Line::exact),
/// appending ops in order.
void diff_lines(const std::vector<Line>& x, size_t x0, size_t x1, const std::vector<Line>& y,
                size_t y0, size_t y1, std::vector<Op>& ops, int depth,
                uint64_t Line::*key = &Line::hash) {
    size_t pre = 0;
    while (x0 + pre < x1 && y0 + pre < y1 && x[x0 + pre].*key == y[y0 + pre].*key)
        ++pre;
    size_t suf = 0;
    while (x1 - suf > x0 + pre && y1 - suf > y0 + pre &&
           x[x1 - 1 - suf].*key == y[y1 - 1 - suf].*key)
        ++suf;
    ops.insert(ops.end(), pre, Op::Common);
    const size_t a0 = x0 + pre, a1 = x1 - suf, b0 = y0 + pre, b1 = y1 - suf;
    const size_t na = a1 - a0, nb = b1 - b0;
    if (na == 0 || nb == 0) {
        ops.insert(ops.end(), na, Op::Delete);
        ops.insert(ops.end(), nb, Op::Add);
    } else if (na + nb <= kMyersMaxLines) {
        std::vector<uint64_t> sa, sb;
        sa.reserve(na);
        sb.reserve(nb);
        for (size_t i = a0; i < a1; ++i)
            sa.push_back(x[i].*key);
        for (size_t i = b0; i < b1; ++i)
            sb.push_back(y[i].*key);
        dtl::Diff<uint64_t, std::vector<uint64_t>> d(sa, sb);
        d.compose();
        for (const auto& e : d.getSes().getSequence())
            ops.push_back(e.second.type == dtl::SES_COMMON   ? Op::Common
                          : e.second.type == dtl::SES_DELETE ? Op::Delete
                                                             : Op::Add);
    } else {
        // Patience anchoring: lines unique on both sides, longest increasing subsequence.
        std::unordered_map<uint64_t, std::pair<int64_t, int64_t>> seen; // hash -> (ax, by)
        for (size_t i = a0; i < a1; ++i) {
            auto [it, fresh] = seen.try_emplace(x[i].*key, static_cast<int64_t>(i), -1);
            if (!fresh) it->second.first = -2; // not unique in x
        }
        for (size_t j = b0; j < b1; ++j) {
            auto it = seen.find(y[j].*key);
            if (it == seen.end() || it->second.first < 0) continue;
            it->second.second = it->second.second == -1 ? static_cast<int64_t>(j) : -2;
        }
        std::vector<std::pair<size_t, size_t>> pairs;
        for (size_t i = a0; i < a1; ++i) {
            auto it = seen.find(x[i].*key);
            if (it->second.first >= 0 && it->second.second >= 0)
                pairs.emplace_back(i, static_cast<size_t>(it->second.second));
        }
        // LIS on the y index (pairs are in x order).
        std::vector<size_t> tails, prev(pairs.size(), SIZE_MAX), tail_idx;
        for (size_t k = 0; k < pairs.size(); ++k) {
            auto pos =
                std::lower_bound(tails.begin(), tails.end(), pairs[k].second) - tails.begin();
            if (static_cast<size_t>(pos) == tails.size()) {
                tails.push_back(pairs[k].second);
                tail_idx.push_back(k);
            } else {
                tails[static_cast<size_t>(pos)] = pairs[k].second;
                tail_idx[static_cast<size_t>(pos)] = k;
            }
            if (pos > 0) prev[k] = tail_idx[static_cast<size_t>(pos) - 1];
        }
        std::vector<std::pair<size_t, size_t>> anchors;
        for (size_t k = tail_idx.empty() ? SIZE_MAX : tail_idx.back(); k != SIZE_MAX; k = prev[k])
            anchors.push_back(pairs[k]);
        std::reverse(anchors.begin(), anchors.end());
        if (anchors.empty() || depth >= kMaxAnchorDepth) {
            ops.insert(ops.end(), na, Op::Delete);
            ops.insert(ops.end(), nb, Op::Add);
        } else {
            size_t ca = a0, cb = b0;
            for (auto [ai, bj] : anchors) {
                diff_lines(x, ca, ai, y, cb, bj, ops, depth + 1, key);
                ops.push_back(Op::Common);
                ca = ai + 1;
                cb = bj + 1;
            }
            diff_lines(x, ca, a1, y, cb, b1, ops, depth + 1, key);
        }
    }
    ops.insert(ops.end(), suf, Op::Common);
}

/// Two lines equal but for whitespace: emits edits for the whitespace runs that differ.
/// Returns false (emitting nothing) if their non-whitespace bytes differ after all.
bool align_whitespace(std::string_view a, const Line& la, std::string_view b, const Line& lb,
                      EditSink& sink) {
    const size_t mark = sink.size();
    size_t i = la.begin, j = lb.begin;
    for (;;) {
        size_t i2 = i, j2 = j;
        while (i2 < la.end && utf8::is_space(static_cast<unsigned char>(a[i2])))
            ++i2;
        while (j2 < lb.end && utf8::is_space(static_cast<unsigned char>(b[j2])))
            ++j2;
        size_t pre = 0;
        while (i + pre < i2 && j + pre < j2 && a[i + pre] == b[j + pre])
            ++pre;
        size_t suf = 0;
        while (i2 - suf > i + pre && j2 - suf > j + pre && a[i2 - 1 - suf] == b[j2 - 1 - suf])
            ++suf;
        sink.add(i + pre, i2 - suf - i - pre, j + pre, j2 - suf - j - pre);
        i = i2;
        j = j2;
        if (i == la.end && j == lb.end) return true;
        if (i == la.end || j == lb.end || a[i] != b[j]) {
            sink.truncate(mark);
            return false;
        }
        ++i;
        ++j;
    }
}

struct Tokens {
    std::vector<uint32_t> values; // code point bytes packed; invalid bytes tagged
    std::vector<size_t> offsets;  // byte offset of each token, plus the end
};

Tokens tokenize(std::string_view s, size_t begin, size_t end) {
    Tokens t;
    size_t i = begin;
    while (i < end) {
        const size_t len = std::min(utf8::token_length(s, i), end - i);
        uint32_t v = 0;
        for (size_t k = 0; k < len; ++k)
            v = (v << 8) | static_cast<unsigned char>(s[i + k]);
        t.values.push_back(v);
        t.offsets.push_back(i);
        i += len;
    }
    t.offsets.push_back(end);
    return t;
}

/// Whether `text` holds `piece` at two places or more (overlapping ones too).
bool spelled_twice(std::string_view text, std::string_view piece) {
    const size_t first = text.find(piece);
    return first != std::string_view::npos && text.find(piece, first + 1) != std::string_view::npos;
}

/// A changed hunk: refined to characters when small enough, else one replacement. With
/// `min_keep` > 0 (carrying by content), only common spans of at least `min_keep` bytes are
/// kept: shorter ones are coincidences between different texts, not the same characters.
void refine_hunk(std::string_view a, size_t a0, size_t a1, std::string_view b, size_t b0, size_t b1,
                 size_t& budget, EditSink& sink, size_t min_keep) {
    // Equal spans (a offset, b offset, bytes) in increasing order; everything else changed.
    struct Eq {
        size_t a, b, len;
    };
    std::vector<Eq> eqs;
    const size_t ha0 = a0, ha1 = a1, hb0 = b0, hb1 = b1;
    // Trim common ends (at character boundaries, inside the hunk) first: cheap and often
    // decisive.
    const size_t oa0 = a0, oa1 = a1;
    while (a0 < a1 && b0 < b1 && a[a0] == b[b0])
        ++a0, ++b0;
    while (a0 > oa0 && ((a0 < a.size() && utf8::is_cont(static_cast<unsigned char>(a[a0]))) ||
                        (b0 < b.size() && utf8::is_cont(static_cast<unsigned char>(b[b0])))))
        --a0, --b0;
    while (a1 > a0 && b1 > b0 && a[a1 - 1] == b[b1 - 1])
        --a1, --b1;
    while (a1 < oa1 && ((a1 < a.size() && utf8::is_cont(static_cast<unsigned char>(a[a1]))) ||
                        (b1 < b.size() && utf8::is_cont(static_cast<unsigned char>(b[b1])))))
        ++a1, ++b1;
    if (a0 > ha0) eqs.push_back(Eq{ha0, hb0, a0 - ha0});
    const size_t n = (a1 - a0) + (b1 - b0);
    if (!(a1 == a0 || b1 == b0 || n > kRefineMaxBytes || n > budget)) {
        budget -= n;
        Tokens ta = tokenize(a, a0, a1), tb = tokenize(b, b0, b1);
        dtl::Diff<uint32_t, std::vector<uint32_t>> d(ta.values, tb.values);
        d.compose();
        // Collapse the script into alternating equal / change segments (in tokens).
        struct Seg {
            size_t equal = 0; // tokens kept before the change
            size_t del = 0, ins = 0;
        };
        std::vector<Seg> segs(1);
        for (const auto& e : d.getSes().getSequence()) {
            if (e.second.type == dtl::SES_COMMON) {
                if (segs.back().del || segs.back().ins) segs.emplace_back();
                ++segs.back().equal;
            } else {
                ++(e.second.type == dtl::SES_DELETE ? segs.back().del : segs.back().ins);
            }
        }
        // Semantic cleanup (as diff-match-patch does): a short equality between two larger
        // changes is a coincidence (the 't' of "two" matching the 't' of "three"), not kept
        // text: fold it into the changes, so no character is attributed by accident. Not
        // between deletions only: with nothing inserted, every character of the new text is
        // old text (deleting scattered characters must not make their neighbours unknown).
        for (bool again = true; again;) {
            again = false;
            for (size_t k = 1; k < segs.size(); ++k) {
                const Seg& prev = segs[k - 1];
                Seg& cur = segs[k];
                const bool has_next_change = cur.del || cur.ins;
                if (!has_next_change || !(prev.del || prev.ins)) continue;
                if (prev.ins == 0 && cur.ins == 0) continue;
                if (cur.equal <= std::max(prev.del, prev.ins) &&
                    cur.equal <= std::max(cur.del, cur.ins)) {
                    Seg merged{prev.equal, prev.del + cur.equal + cur.del,
                               prev.ins + cur.equal + cur.ins};
                    segs[k - 1] = merged;
                    segs.erase(segs.begin() + static_cast<std::ptrdiff_t>(k));
                    again = true;
                    break;
                }
            }
        }
        size_t i = 0, j = 0;
        for (const Seg& g : segs) {
            if (g.equal)
                eqs.push_back(
                    Eq{ta.offsets[i], tb.offsets[j], ta.offsets[i + g.equal] - ta.offsets[i]});
            i += g.equal + g.del;
            j += g.equal + g.ins;
        }
    }
    if (a1 < ha1) eqs.push_back(Eq{a1, b1, ha1 - a1});
    // Emit the changes between the kept equal spans.
    size_t ca = ha0, cb = hb0;
    auto keep = [&](size_t at_a, size_t at_b, size_t len) {
        sink.add(ca, at_a - ca, cb, at_b - cb);
        ca = at_a + len;
        cb = at_b + len;
    };
    for (const Eq& e : eqs) {
        if (e.len < min_keep) continue;
        if (min_keep == 0) {
            keep(e.a, e.b, e.len);
            continue;
        }
        // A long span is kept line by line: of each line it touches, the part it covers is
        // the same text when it is that whole line on both sides or long by itself. A short
        // end of another line that happens to run into it (an agent's line ending in
        // " 0tem.price items:)\n" before a line both texts share) is a coincidence, however
        // long the span it belongs to.
        for (size_t k = 0; k < e.len;) {
            const size_t nl = a.substr(e.a + k, e.len - k).find('\n');
            const size_t piece = nl == std::string_view::npos ? e.len - k : nl + 1;
            const size_t pa = e.a + k, pb = e.b + k;
            const bool starts = (pa == 0 || a[pa - 1] == '\n') && (pb == 0 || b[pb - 1] == '\n');
            const bool ends =
                a[pa + piece - 1] == '\n' || ((pa + piece == a.size() || a[pa + piece] == '\n') &&
                                              (pb + piece == b.size() || b[pb + piece] == '\n'));
            // A long part that is not a whole line is the same text only where nothing else in
            // the hunk spells it: a person's near copy of an agent's line (or lines reordered
            // since) gives one span two places, and the diff's first choice between them is
            // no evidence of which line's characters these are (property seeds 8096, 6001).
            const bool whole = starts && ends;
            if (whole || (piece >= min_keep &&
                          !spelled_twice(a.substr(ha0, ha1 - ha0), a.substr(pa, piece)) &&
                          !spelled_twice(b.substr(hb0, hb1 - hb0), b.substr(pb, piece))))
                keep(pa, pb, piece);
            k += piece;
        }
    }
    sink.add(ca, ha1 - ca, cb, hb1 - cb);
}

} // namespace

std::vector<ByteEdit> diff_edits(std::string_view a, std::string_view b, DiffGranularity g) {
    const size_t min_keep = g == DiffGranularity::Characters ? 0 : kMinCarrySpan;
    const size_t na = a.size(), nb = b.size();
    size_t p = 0;
    const size_t n = std::min(na, nb);
    while (p < n && a[p] == b[p])
        ++p;
    // Never cut a character: back off to a boundary of both texts.
    while (p > 0 && ((p < na && utf8::is_cont(static_cast<unsigned char>(a[p]))) ||
                     (p < nb && utf8::is_cont(static_cast<unsigned char>(b[p])))))
        --p;
    size_t s = 0;
    while (s < n - p && a[na - 1 - s] == b[nb - 1 - s])
        ++s;
    while (s > 0 && (utf8::is_cont(static_cast<unsigned char>(a[na - s])) ||
                     utf8::is_cont(static_cast<unsigned char>(b[nb - s]))))
        --s;
    // Work on whole lines: a trimmed end that cuts a line would hide that line from the line
    // diff ("print(x" is not "print(x)\n"). Hunks trim their own ends again below.
    while (p > 0 && a[p - 1] != '\n')
        --p;
    auto line_start = [](std::string_view t, size_t q) { return q == 0 || t[q - 1] == '\n'; };
    while (s > 0 && !(line_start(a, na - s) && line_start(b, nb - s)))
        --s;
    EditSink sink;
    if (p == na - s || p == nb - s) {
        sink.add(p, na - s - p, p, nb - s - p);
        return sink.take();
    }
    const std::vector<Line> la = split_lines(a, p, na - s), lb = split_lines(b, p, nb - s);
    // Lines equal byte for byte first; then, inside what that leaves changed, lines equal but
    // for whitespace (a re-indent keeps its class). A whitespace-blind diff alone aligns a line
    // with the first one that differs from it only in spaces, when its exact copy comes after:
    // the other line's attribution then crosses over (an agent's line credited with a person's
    // typing of a line that differs from it by one space).
    std::vector<Op> exact, ops;
    diff_lines(la, 0, la.size(), lb, 0, lb.size(), exact, 0, &Line::exact);
    ops.reserve(exact.size());
    for (size_t k = 0, i = 0, j = 0; k < exact.size();) {
        if (exact[k] == Op::Common) {
            ops.push_back(Op::Common);
            ++i, ++j, ++k;
            continue;
        }
        size_t di = 0, dj = 0; // the changed run's lines on each side
        for (; k < exact.size() && exact[k] != Op::Common; ++k)
            ++(exact[k] == Op::Delete ? di : dj);
        if (g == DiffGranularity::ExactLines) { // no whitespace-blind pass
            ops.insert(ops.end(), di, Op::Delete);
            ops.insert(ops.end(), dj, Op::Add);
        } else {
            diff_lines(la, i, i + di, lb, j, j + dj, ops, 0);
        }
        i += di;
        j += dj;
    }

    size_t budget = kRefineBudgetBytes;
    size_t i = 0, j = 0;   // next line of each side
    size_t hi = 0, hj = 0; // start of the pending hunk (line indexes)
    auto flush = [&] {
        if (hi == i && hj == j) return;
        const size_t a0 = hi < la.size() ? la[hi].begin : na - s;
        const size_t a1 = i > hi ? la[i - 1].end : a0;
        const size_t b0 = hj < lb.size() ? lb[hj].begin : nb - s;
        const size_t b1 = j > hj ? lb[j - 1].end : b0;
        refine_hunk(a, a0, a1, b, b0, b1, budget, sink, min_keep);
    };
    for (Op op : ops) {
        if (op != Op::Common) {
            (op == Op::Delete ? i : j) += 1;
            continue;
        }
        const Line& x = la[i];
        const Line& y = lb[j];
        flush();
        hi = i++;
        hj = j++;
        // Lines equal but for whitespace: align them; a hash collision starts a hunk.
        const bool same = a.substr(x.begin, x.end - x.begin) == b.substr(y.begin, y.end - y.begin);
        if (!same && !align_whitespace(a, x, b, y, sink)) continue;
        hi = i;
        hj = j;
    }
    flush();
    return sink.take();
}

namespace {

/// Above this size the whole-text check of `removed_lost_typing_only` is not tried.
constexpr size_t kLostTypingMaxBytes = 8u << 20;

/// What a reopen may assume of a byte of the journal's text that is missing from the file.
enum class Lost : uint8_t {
    No,    ///< it was on disk (or is not typing): a reopen without it is another text
    Maybe, ///< typed in the second of the last save: on disk or not
    Yes,   ///< typed after the last save: never on disk, so the file cannot hold it
};

/// Bound of the search below: characters of the text times characters typed in the second of
/// the save that are missing (its cost in bits of memory and steps).
constexpr size_t kMaxMaybeSearch = size_t{1} << 27;

/// When `b` is `a` with only characters removed, each removed one typing that may never have
/// reached the file (`lost` says Maybe or Yes), every one typed after the last save removed
/// (Yes: the file cannot hold it), every other one kept, and of those typed in the second of
/// the save `maybe_kept` bytes kept: the removals (else nullopt). On the whole text at once: a
/// line diff can align a blank or re-spaced line with the wrong saved line (typed newlines and
/// spaces make lines that look alike), and a hunk-by-hunk rule matched typing with older text
/// it happened to spell (a person who deleted an agent's line and typed a longer one got the
/// agent's line back as typed after a `git checkout`). O(n) without Maybe removals, else
/// O(n * removals), bounded by kMaxMaybeSearch.
std::optional<std::vector<ByteEdit>>
removed_lost_typing_only(std::string_view a, std::string_view b,
                         const std::function<Lost(size_t off, size_t len)>& lost,
                         uint64_t maybe_kept) {
    if (a.size() <= b.size() || a.size() > kLostTypingMaxBytes) return std::nullopt;
    const Tokens ta = tokenize(a, 0, a.size()), tb = tokenize(b, 0, b.size());
    // The characters of `a` that may be in `b` (Yes ones never are), in order.
    std::vector<size_t> keep; // token indexes of a
    std::vector<bool> maybe;
    uint64_t maybe_bytes = 0, kept_bytes = 0;
    for (size_t i = 0; i < ta.values.size(); ++i) {
        const size_t len = ta.offsets[i + 1] - ta.offsets[i];
        const Lost l = lost(ta.offsets[i], len);
        if (l == Lost::Yes) continue;
        keep.push_back(i);
        maybe.push_back(l == Lost::Maybe);
        kept_bytes += len;
        if (l == Lost::Maybe) maybe_bytes += len;
    }
    const size_t n = keep.size(), m = tb.values.size();
    if (n < m || (n + 1) * (n - m + 64) > kMaxMaybeSearch) return std::nullopt;
    // Bytes to remove beyond the Yes ones are Maybe bytes; the file kept `maybe_kept` of them.
    if (kept_bytes - b.size() != maybe_bytes - std::min(maybe_bytes, maybe_kept) ||
        maybe_bytes < maybe_kept)
        return std::nullopt;
    const size_t removals = n - m;
    // Row i, bit d: the first i kept characters can explain the first i - d characters of `b`
    // with d Maybe ones removed.
    const size_t words = removals / 64 + 1;
    std::vector<uint64_t> reach((n + 1) * words, 0);
    auto bit = [&](size_t i, size_t d) { return reach[i * words + d / 64] >> (d % 64) & 1; };
    auto set = [&](size_t i, size_t d) { reach[i * words + d / 64] |= uint64_t{1} << (d % 64); };
    set(0, 0);
    for (size_t i = 0; i < n; ++i) {
        bool any = false;
        for (size_t w = 0; w < words; ++w)
            for (uint64_t bits = reach[i * words + w]; bits;) {
                const size_t d = w * 64 + static_cast<size_t>(std::countr_zero(bits));
                bits &= bits - 1;
                if (maybe[i] && d < removals) {
                    set(i + 1, d + 1);
                    any = true;
                }
                const size_t j = i - d;
                if (j < m && ta.values[keep[i]] == tb.values[j]) {
                    set(i + 1, d);
                    any = true;
                }
            }
        if (!any) return std::nullopt;
    }
    if (!bit(n, removals)) return std::nullopt;
    // Walk back: which Maybe characters were removed.
    std::vector<bool> removed(ta.values.size(), true); // Yes ones stay removed
    for (size_t i = n, d = removals; i > 0; --i) {
        const size_t j = i - 1 - d;
        if (d <= i - 1 && j < m && bit(i - 1, d) && ta.values[keep[i - 1]] == tb.values[j])
            removed[keep[i - 1]] = false; // matched
        else
            --d; // removed: row i - 1 has bit d - 1 and the character is a Maybe one
    }
    EditSink sink;
    size_t in_b = 0;
    for (size_t i = 0; i < ta.values.size(); ++i) {
        const size_t len = ta.offsets[i + 1] - ta.offsets[i];
        if (removed[i])
            sink.add(ta.offsets[i], len, in_b, 0);
        else
            in_b += len;
    }
    return sink.take();
}

Snapshot carry_impl(const Snapshot& from, std::string_view new_text, Attr inserted,
                    const OriginRecord& inserted_record, const SavedTyping* saved,
                    bool* kept = nullptr, DiffGranularity g = DiffGranularity::Spans) {
    Snapshot out;
    out.origins = from.origins;
    inserted.origin = out.origins.intern(inserted_record);
    RunCursor cur(from.runs);
    auto emit = [&](uint32_t len, Attr attr) { out.push_run(len, attr); };
    std::vector<size_t> starts; // of each run in from.text
    starts.reserve(from.runs.size() + 1);
    size_t total = 0;
    for (const Run& r : from.runs) {
        starts.push_back(total);
        total += r.length;
    }
    starts.push_back(total);
    // Bytes of `from` that the sidecar saw typed after (or in the second of) the last save.
    const auto lost = [&](size_t off, size_t len) {
        auto k = static_cast<size_t>(std::upper_bound(starts.begin(), starts.end(), off) -
                                     starts.begin()) -
                 1;
        Lost worst = Lost::Yes;
        for (; k < from.runs.size() && starts[k] < off + len; ++k) {
            const Attr& x = from.runs[k].attr;
            if (!(x.evidence == Evidence::Inferred && x.seen != 0 && x.fresh) ||
                x.seen < saved->seen)
                return Lost::No;
            if (x.seen == saved->seen) worst = Lost::Maybe;
        }
        return worst;
    };
    std::optional<std::vector<ByteEdit>> edits;
    if (saved) edits = removed_lost_typing_only(from.text, new_text, lost, saved->bytes);
    if (kept) *kept = edits.has_value() || from.text == new_text;
    if (!edits) edits = diff_edits(from.text, new_text, g);
    size_t a = 0;
    for (const ByteEdit& e : *edits) {
        cur.copy(a, e.offset - a, emit);
        out.push_run(static_cast<uint32_t>(e.inserted), inserted);
        a = e.offset + e.removed;
    }
    cur.copy(a, from.text.size() - a, emit);
    out.text.assign(new_text);
    return out;
}
} // namespace

Snapshot carry(const Snapshot& from, std::string_view new_text, Attr inserted,
               const OriginRecord& inserted_record) {
    return carry_impl(from, new_text, inserted, inserted_record, nullptr);
}

Snapshot carry_restored(const Snapshot& from, std::string_view new_text, Attr inserted,
                        const OriginRecord& inserted_record, const SavedTyping& saved) {
    return carry_impl(from, new_text, inserted, inserted_record, &saved);
}

std::vector<std::pair<size_t, size_t>> shared_with_head(std::string_view text,
                                                        std::string_view head) {
    std::vector<std::pair<size_t, size_t>> kept;
    size_t p = 0;
    for (const ByteEdit& e : diff_edits(head, text, DiffGranularity::Spans)) {
        if (e.inserted_offset > p) kept.emplace_back(p, e.inserted_offset - p);
        p = e.inserted_offset + e.inserted;
    }
    if (text.size() > p) kept.emplace_back(p, text.size() - p);
    return kept;
}

Snapshot head_meaning(const Snapshot* entry, const std::string& head) {
    if (!entry) return Snapshot::uniform(head, OriginRecord{}, Evidence::None, false);
    // Lines equal byte for byte and long spans only: the entry's line that equals one of
    // HEAD's but for spaces may be another HEAD line edited since (an agent's line that lost
    // a word, now spelled like a person's line beside it); a re-indented line comes out
    // `unknown`, a gap, never another author's (issue 9, §3).
    const Snapshot carried = carry_impl(*entry, head, Attr{}, OriginRecord{}, nullptr, nullptr,
                                        DiffGranularity::ExactLines);
    Snapshot h;
    h.text = carried.text;
    h.origins = carried.origins;
    for (const Run& r : carried.runs)
        h.push_run(r.length, r.attr.fresh ? Attr{} : r.attr);
    return h;
}

Restore restore_reopened(const Snapshot& from, std::string_view new_text, const SavedTyping& saved,
                         const std::string* head) {
    const Attr unknown_new{kUnknownOrigin, Evidence::None, /*fresh=*/true};
    Restore out;
    bool kept = false;
    Snapshot entry = carry_impl(from, new_text, unknown_new, OriginRecord{}, &saved, &kept);
    if (!head || kept) { // the entry's own text (less lost typing), or nothing to tell apart
        out.snapshot = std::move(entry);
        out.exact = kept;
        return out;
    }
    // The file is not what the entry describes (a checkout, a restore, a branch switch, a
    // change made outside). HEAD's meaning of its text: what the entry knows of the committed
    // text (its characters that are not fresh), carried onto HEAD; the entry's uncommitted
    // evidence is not HEAD's, so HEAD's text that only it explains is base `unknown`.
    const Snapshot h = head_meaning(&from, *head);
    const Snapshot base = carry(h, new_text, unknown_new, OriginRecord{});
    // Text HEAD explains (whole lines and long spans of HEAD) is base text and takes `base`;
    // only the rest may take the entry's evidence, which `entry` carried by whole lines and
    // long spans too.
    const std::vector<ByteEdit> unexplained = diff_edits(*head, new_text, DiffGranularity::Spans);
    out.snapshot.text.assign(new_text);
    out.snapshot.origins = entry.origins;
    std::unordered_map<uint32_t, uint32_t> remap; // base's ids -> out's
    RunCursor from_base(base.runs), from_entry(entry.runs);
    auto take_base = [&](uint32_t len, Attr a) {
        auto [it, added] = remap.try_emplace(a.origin, 0);
        if (added) it->second = out.snapshot.origins.intern(base.origins.at(a.origin));
        a.origin = it->second;
        out.snapshot.push_run(len, a);
    };
    auto take_entry = [&](uint32_t len, Attr a) { out.snapshot.push_run(len, a); };
    size_t p = 0;
    for (const ByteEdit& e : unexplained) {
        from_base.copy(p, e.inserted_offset - p, take_base);
        from_entry.copy(e.inserted_offset, e.inserted, take_entry);
        p = e.inserted_offset + e.inserted;
    }
    from_base.copy(p, new_text.size() - p, take_base);
    out.entry_stale = true;
    return out;
}

SavedTyping saved_typing(const Snapshot& s) {
    SavedTyping out;
    for (const Run& r : s.runs) {
        if (r.attr.evidence != Evidence::Inferred || r.attr.seen < out.seen) continue;
        if (r.attr.seen > out.seen) out = SavedTyping{r.attr.seen, 0};
        out.bytes += r.length;
    }
    return out;
}

bool prevails(const Attr& a, const OriginRecord& ra, const Attr& b, const OriginRecord& rb) {
    const bool ao = a.seen != 0, bo = b.seen != 0;
    if (ao != bo) return ao; // an observation is never overruled by unobserved evidence
    if (ao) {
        const uint32_t gap = a.seen > b.seen ? a.seen - b.seen : b.seen - a.seen;
        if (gap <= kRaceWindowSeconds) {
            // The same text reported twice at about the same time (an agent's write and the
            // editor's reload of it): the explicit record wins over the typing inference.
            if (a.evidence != b.evidence) return a.evidence > b.evidence;
        }
        // Otherwise the later observation: the text was written again after the other.
        if (a.seen != b.seen) return a.seen > b.seen;
    }
    return stronger(a, ra, b, rb);
}

Snapshot merge_evidence(const Snapshot& base, const Snapshot& other) {
    // By content: whole lines and long spans only (carry), never scattered characters.
    const Snapshot carried = carry(other, base.text, Attr{}, OriginRecord{});
    Snapshot out;
    out.origins = base.origins;
    std::unordered_map<uint32_t, uint32_t> remap; // carried id -> out id
    size_t i = 0, j = 0;
    uint32_t left_a = base.runs.empty() ? 0 : base.runs[0].length;
    uint32_t left_b = carried.runs.empty() ? 0 : carried.runs[0].length;
    while (i < base.runs.size() && j < carried.runs.size()) {
        const Attr& x = base.runs[i].attr;
        const Attr& y = carried.runs[j].attr;
        const OriginRecord& rx = base.origins.at(x.origin);
        const OriginRecord& ry = carried.origins.at(y.origin);
        Attr pick = x;
        if (prevails(y, ry, x, rx)) {
            auto [it, added] = remap.try_emplace(y.origin, 0);
            if (added) it->second = out.origins.intern(ry);
            pick = y;
            pick.origin = it->second;
        }
        // New if either report says so: keeps the outcome independent of the order.
        pick.fresh = x.fresh || y.fresh;
        const uint32_t len = std::min(left_a, left_b);
        out.push_run(len, pick);
        left_a -= len;
        left_b -= len;
        if (left_a == 0 && ++i < base.runs.size()) left_a = base.runs[i].length;
        if (left_b == 0 && ++j < carried.runs.size()) left_b = carried.runs[j].length;
    }
    out.text = base.text;
    return out;
}

} // namespace provenant
