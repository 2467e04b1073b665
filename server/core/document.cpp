// Document: applies edits and annotations to the origin tree; typing inference, deleted
// spans, annotations held for a future version or mapped through the edit history.
#include "core/document.h"

#include "core/carry.h"
#include "core/deleted_spans.h"
#include "core/origin_text.h"
#include "core/restore.h"
#include "core/run_cursor.h"
#include "core/utf8.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <deque>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

namespace provenant {

namespace {

/// Edit history kept for late annotations: this many versions back, this many bytes of
/// removed text; an edit that removed more than kHistoryMaxEdit bytes ends the history.
constexpr uint64_t kHistoryVersions = 64;
constexpr size_t kHistoryBytes = 4u << 20;
constexpr size_t kHistoryMaxEdit = 1u << 20;
/// While the journal's restore of an opened version is awaited (expect_restore), the history
/// back to it is kept for this many edits (it arrives after the editing went on, longer on a
/// loaded machine): past them the restore falls back to a merge by content (a gap).
constexpr size_t kRestoreHistoryEdits = 1u << 14;
/// Annotations for future versions: at most this many held, at most this far ahead.
constexpr size_t kMaxHeld = 64;
constexpr uint64_t kMaxAhead = 64;
/// A range replacement up to this size is diffed so unchanged characters keep their origin.
constexpr size_t kDiffReplaceMaxBytes = 1u << 20;
/// Moved-line matching within one change batch: at most this many bytes of replaced lines
/// remembered, this many inserted ranges followed, lines this long expanded around a piece.
constexpr size_t kBatchLineBytes = 1u << 20;
constexpr size_t kBatchMaxRanges = 256;
constexpr size_t kBatchMaxLineExpand = 64u << 10;
/// An insert with no evidence may match lines deleted this many versions later or earlier
/// (an editor that sends a filter's insert and delete as separate didChanges).
constexpr uint64_t kMoveVersions = 4;

uint32_t system_seconds() {
    return static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
}

/// b - a for versions a <= b, without overflow (versions come from the client).
uint64_t versions_apart(int64_t a, int64_t b) {
    return static_cast<uint64_t>(b) - static_cast<uint64_t>(a);
}

Units units_of(PositionEncoding e) {
    switch (e) {
    case PositionEncoding::Utf8:
        return Units::Bytes;
    case PositionEncoding::Utf16:
        return Units::Utf16;
    case PositionEncoding::Utf32:
        return Units::CodePoints;
    }
    return Units::Utf16;
}

std::string pos_str(Position p) {
    return std::to_string(p.line) + ":" + std::to_string(p.character);
}

/// Position -> byte offset in `t`, strictly: no line past the end, no character past the
/// end of its line, none inside a character.
Result<size_t> offset_in(const OriginText& t, Position p, Units u) {
    size_t off = 0;
    switch (t.locate(p.line, p.character, u, off)) {
    case OriginText::Locate::Ok:
        return off;
    case OriginText::Locate::LinePastEnd:
        return make_error(ErrorKind::invalid_input, "line " + std::to_string(p.line) +
                                                        " is past the end of the document (" +
                                                        std::to_string(t.line_count()) + " lines)");
    case OriginText::Locate::PastLineEnd: {
        const uint64_t len =
            t.units_before(t.line_content_end(p.line), u) - t.units_before(t.line_start(p.line), u);
        return make_error(ErrorKind::invalid_input,
                          "character " + std::to_string(p.character) + " is past the end of line " +
                              std::to_string(p.line) + " (" + std::to_string(len) + " long)");
    }
    case OriginText::Locate::InsideCharacter:
        return make_error(ErrorKind::invalid_input,
                          "position " + pos_str(p) + " is inside a character");
    }
    return make_error(ErrorKind::internal, "position " + pos_str(p) + ": unexpected");
}

/// One applied edit, in the coordinates of the text just before it.
struct HistEdit {
    int64_t version = 0; ///< the version its batch produced
    size_t offset = 0, removed = 0, inserted = 0;
    std::string removed_text; ///< kept to rebuild older versions
    bool restored = false;    ///< the inserted text's origin came from the deleted spans
};

/// Adds `bytes` (sign +1) or takes them away (-1) from the byte histogram `diff` of a text
/// against another; `mismatch` counts the byte values that differ (zero: the texts may be equal).
void count_bytes(std::array<int64_t, 256>& diff, size_t& mismatch, std::string_view bytes,
                 int sign) {
    for (const char c : bytes) {
        int64_t& d = diff[static_cast<unsigned char>(c)];
        const bool was = d != 0;
        d += sign;
        if (was != (d != 0)) {
            if (was)
                --mismatch;
            else
                ++mismatch;
        }
    }
}

/// The first entry of `history` after `version` (those entries are a suffix: versions never
/// decrease).
size_t first_edit_after(const std::deque<HistEdit>& history, int64_t version) {
    size_t first = history.size();
    while (first > 0 && history[first - 1].version > version)
        --first;
    return first;
}

/// The text's length before the edits `history[first..]`, from its length `now` after them.
int64_t length_before(const std::deque<HistEdit>& history, size_t first, size_t now) {
    auto length = static_cast<int64_t>(now);
    for (size_t i = first; i < history.size(); ++i)
        length +=
            static_cast<int64_t>(history[i].removed) - static_cast<int64_t>(history[i].inserted);
    return length;
}

/// A piece of an older version's text: a range of the current text, or removed text.
struct Seg {
    const std::string* removed = nullptr; ///< null: a range of the current text
    size_t start = 0, len = 0;
};

/// Replaces [off, off+len) of the text that `segs` describe with `with` (may be empty).
void replace_segs(std::vector<Seg>& segs, size_t off, size_t len, const Seg& with) {
    std::vector<Seg> out;
    out.reserve(segs.size() + 2);
    size_t pos = 0;
    bool placed = false;
    for (const Seg& s : segs) {
        const size_t end = pos + s.len;
        if (end <= off || pos >= off + len) {
            if (!placed && pos >= off + len) {
                if (with.len) out.push_back(with);
                placed = true;
            }
            out.push_back(s);
        } else {
            if (pos < off) out.push_back(Seg{s.removed, s.start, off - pos});
            if (!placed) {
                if (with.len) out.push_back(with);
                placed = true;
            }
            if (end > off + len)
                out.push_back(Seg{s.removed, s.start + (off + len - pos), end - (off + len)});
        }
        pos = end;
    }
    if (!placed && with.len) out.push_back(with);
    segs = std::move(out);
}

/// The pieces of the text as it was before the edits `history[first..]`, from the current
/// text of `now` bytes and the removed spans. O(pieces) per edit: for rare look-ups only.
std::vector<Seg> segments_before(const std::deque<HistEdit>& history, size_t first, size_t now) {
    std::vector<Seg> segs{Seg{nullptr, 0, now}};
    for (size_t i = history.size(); i > first; --i) {
        const HistEdit& e = history[i - 1];
        replace_segs(segs, e.offset, e.inserted, Seg{&e.removed_text, 0, e.removed_text.size()});
    }
    return segs;
}

/// The text the pieces spell, from `text` (the current one) and the removed spans.
std::string text_of(const std::vector<Seg>& segs, const OriginText& text) {
    std::string out;
    for (const Seg& s : segs)
        out += s.removed ? s.removed->substr(s.start, s.len) : text.substr(s.start, s.len);
    return out;
}

/// Maps [a, b) through one later edit: the parts that survive it, in its after-coordinates.
void map_through(const HistEdit& e, std::vector<std::pair<size_t, size_t>>& ranges) {
    std::vector<std::pair<size_t, size_t>> out;
    const size_t re = e.offset + e.removed;
    for (auto [a, b] : ranges) {
        if (a < e.offset) out.emplace_back(a, std::min(b, e.offset));
        if (b > re) {
            const size_t x = std::max(a, re);
            out.emplace_back(x - e.removed + e.inserted, b - e.removed + e.inserted);
        }
    }
    ranges = std::move(out);
}

/// [a, b) minus the sorted-or-not ranges in `cut`.
std::vector<std::pair<size_t, size_t>> subtract(std::vector<std::pair<size_t, size_t>> from,
                                                const std::vector<std::pair<size_t, size_t>>& cut) {
    for (auto [c0, c1] : cut) {
        std::vector<std::pair<size_t, size_t>> next;
        for (auto [a, b] : from) {
            if (c1 <= a || c0 >= b) {
                next.emplace_back(a, b);
                continue;
            }
            if (a < c0) next.emplace_back(a, c0);
            if (c1 < b) next.emplace_back(c1, b);
        }
        from = std::move(next);
    }
    return from;
}

} // namespace

struct Document::Pending {
    std::deque<HistEdit> history;
    size_t history_bytes = 0;
    int64_t floor = 0; ///< annotations for older versions cannot be mapped
    /// expect_restore's version: the history back to it is kept until apply_restored.
    std::optional<int64_t> restore_from;
    struct Held {
        int64_t version;
        uint32_t origin;
        OriginClass cls;
        std::vector<TextRange> ranges;
    };
    std::vector<Held> held;
    std::vector<std::string> dropped;
    /// Per AI origin id: the lines an annotation newly attributed to it since the last
    /// take_generated() (a line counts when one of its non-blank characters became the
    /// origin's; characters already the origin's do not count again).
    std::map<uint32_t, uint64_t> generated;
    DeletedSpans spans;
    std::string unknown_reason;
    /// HEAD's text and meaning (set_base), the byte histogram of the text minus HEAD's, and
    /// how many byte values differ: the whole-text comparison runs only at zero.
    std::shared_ptr<const Snapshot> base;
    std::array<int64_t, 256> base_diff{};
    size_t base_mismatch = 0;
    /// The same histogram against before_reset's text, while there is one.
    std::array<int64_t, 256> before_diff{};
    size_t before_mismatch = 0;
    std::optional<uint32_t> base_reset;
    int64_t typed_version = 0; ///< the last version that inserted inferred typing
    /// The text and attribution a reload threw away when it made the text HEAD's (match_base;
    /// origin ids of the document's table), until a reload brings exactly that text back
    /// (`git stash` then `git stash pop`): what the journal knew of it then is not new.
    std::optional<Snapshot> before_reset;
    uint32_t before_reset_at = 0; ///< the second of the reset that threw it away
    /// The current change batch (one version): the whole lines it deleted or replaced
    /// (content without the break -> runs) and the ranges it inserted (current coordinates).
    struct OldLine {
        std::vector<Run> runs;
        int64_t version = 0;
    };
    struct Inserted {
        size_t a = 0, b = 0;
        int64_t version = 0;
        bool unknown = false; ///< no evidence (a large un-annotated insert)
    };
    struct Batch {
        int64_t version = 0;
        bool active = false;
        std::unordered_map<std::string, OldLine> old_lines;
        size_t old_bytes = 0;
        int64_t lines_version = 0; ///< the latest version that added old lines
        std::vector<Inserted> inserted;
    } batch;
};

struct Document::Piece {
    size_t offset = 0; ///< in the text before the change
    size_t removed = 0;
    std::string_view inserted;
};

Document::Document(std::string_view text, int64_t version, PositionEncoding encoding,
                   const Snapshot* restored, const SavedTyping& restored_saved)
    : version_(version), encoding_(encoding), pending_(std::make_unique<Pending>()),
      clock_(system_seconds) {
    pending_->floor = version;
    if (restored && restored->validate()) {
        // What the journal knew, carried by diff: the unexplained difference is fresh unknown.
        Snapshot c = carry_restored(*restored, text, Attr{kUnknownOrigin, Evidence::None, true},
                                    OriginRecord{}, restored_saved);
        origins_ = std::move(c.origins);
        text_ = std::make_unique<OriginText>(c.text, c.runs);
    } else {
        text_ = std::make_unique<OriginText>(text, Attr{});
    }
}

Document::Document(const Snapshot& attributed, int64_t version, PositionEncoding encoding)
    : origins_(attributed.origins), version_(version), encoding_(encoding),
      pending_(std::make_unique<Pending>()), clock_(system_seconds) {
    pending_->floor = version;
    text_ = std::make_unique<OriginText>(attributed.text, attributed.runs);
}

Document::~Document() = default;
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;

void Document::set_clock(Clock clock) {
    clock_ = clock ? std::move(clock) : Clock(system_seconds);
}

size_t Document::size_bytes() const {
    return text_->size();
}
size_t Document::line_count() const {
    return text_->line_count();
}
std::string Document::text() const {
    return text_->substr(0, text_->size());
}

std::optional<std::string> Document::text_at(int64_t version) const {
    const Pending& p = *pending_;
    if (version == version_) return text();
    if (version > version_ || version < p.floor) return std::nullopt;
    return text_of(segments_before(p.history, first_edit_after(p.history, version), text_->size()),
                   *text_);
}

Result<size_t> Document::offset_of(Position p) const {
    return offset_in(*text_, p, units_of(encoding_));
}

Position Document::position_of(size_t byte_offset) const {
    const size_t off = std::min(byte_offset, text_->size());
    const Units u = units_of(encoding_);
    const size_t line = text_->line_of(off);
    const size_t ls = text_->line_start(line);
    return Position{static_cast<uint32_t>(line), static_cast<uint32_t>(text_->units_before(off, u) -
                                                                       text_->units_before(ls, u))};
}

Status Document::apply_change(int64_t new_version, const std::optional<TextRange>& range,
                              std::string_view text, EditReason reason) {
    if (new_version < version_)
        return make_error(ErrorKind::invalid_input, "version " + std::to_string(new_version) +
                                                        " is older than the document's version " +
                                                        std::to_string(version_));
    if (new_version > version_) apply_held_annotations(); // the previous batch is complete
    std::vector<Piece> pieces;
    bool replacement = false;
    if (!range) {
        replacement = true;
        // Full text: only the difference changes; unchanged characters keep their origin.
        const std::string old = this->text();
        for (const ByteEdit& e : diff_edits(old, text))
            pieces.push_back(
                Piece{e.offset, e.removed, text.substr(e.inserted_offset, e.inserted)});
    } else {
        Result<size_t> a = offset_of(range->start);
        if (!a) return a.error().context("range start " + pos_str(range->start));
        Result<size_t> b = range->end == range->start ? a : offset_of(range->end);
        if (!b) return b.error().context("range end " + pos_str(range->end));
        if (*a > *b)
            return make_error(ErrorKind::invalid_input, "range start " + pos_str(range->start) +
                                                            " is after its end " +
                                                            pos_str(range->end));
        const size_t removed = *b - *a;
        replacement = removed > 0 && !text.empty();
        if (removed > 0 && !text.empty() && removed + text.size() <= kDiffReplaceMaxBytes) {
            const std::string old = text_->substr(*a, removed);
            for (const ByteEdit& e : diff_edits(old, text))
                pieces.push_back(
                    Piece{*a + e.offset, e.removed, text.substr(e.inserted_offset, e.inserted)});
        } else if (removed > 0 || !text.empty()) {
            pieces.push_back(Piece{*a, removed, text});
        }
    }
    return apply_pieces(new_version, pieces, reason, replacement);
}

Status Document::apply_pieces(int64_t new_version, std::vector<Piece>& pieces, EditReason reason,
                              bool replacement) {
    Pending& p = *pending_;
    p.batch.version = new_version;
    // 1. Remember every removed span first, so text moved within one change keeps its origin.
    std::vector<std::string> removed(pieces.size());
    for (size_t i = 0; i < pieces.size(); ++i) {
        if (pieces[i].removed == 0) continue;
        removed[i] = text_->substr(pieces[i].offset, pieces[i].removed);
        p.spans.remember(removed[i], text_->runs(pieces[i].offset, pieces[i].removed));
    }
    remember_lines(pieces, removed, replacement);
    if (p.base) {
        for (size_t i = 0; i < pieces.size(); ++i) {
            count_base(removed[i], -1);
            count_base(pieces[i].inserted, +1);
        }
    }
    if (p.before_reset) {
        for (size_t i = 0; i < pieces.size(); ++i) {
            count_bytes(p.before_diff, p.before_mismatch, removed[i], -1);
            count_bytes(p.before_diff, p.before_mismatch, pieces[i].inserted, +1);
        }
    }
    // 2. Inserts that bring back deleted text get its origin back; the rest are judged by
    // their total size (docs/model.md §5): a small insert is a person typing.
    std::vector<const std::vector<Run>*> restore(pieces.size(), nullptr);
    uint64_t chars = 0, breaks = 0, places = 0;
    for (size_t i = 0; i < pieces.size(); ++i) {
        const std::string_view ins = pieces[i].inserted;
        if (ins.empty()) continue;
        // Typing sends one character per change and auto-pairs two ("()"): retyping those is
        // no evidence of a restore; a longer insert, or one the client calls undo/redo, is.
        if (ins.size() >= 3 || reason != EditReason::None) restore[i] = p.spans.find(ins);
        if (!restore[i]) {
            const utf8::Counts c = utf8::count(ins);
            chars += c.cps;
            breaks += c.breaks;
            ++places;
        }
    }
    // Typing is observed (the merge never lets carried evidence overrule it); a large insert
    // with no evidence is not: content-carried evidence may still explain it (a reload).
    Attr inferred{kHumanOrigin, Evidence::Inferred, true, chars > 0 ? clock_() : 0u};
    if (chars > kTypingMaxChars || breaks > 1) {
        inferred = Attr{kUnknownOrigin, Evidence::None, true};
        p.unknown_reason = "insert of " + std::to_string(chars) + " characters over " +
                           std::to_string(breaks + 1) + " lines with no annotation";
    } else if (replacement && places > 1) {
        // Typing changes one place per change; a replacement that changes several (a reload
        // of text changed elsewhere, a formatter) is no evidence of who wrote what it brings.
        inferred = Attr{kUnknownOrigin, Evidence::None, true};
        p.unknown_reason =
            "replacement changing " + std::to_string(places) + " places with no annotation";
    }
    // Typing (an un-annotated small insert at a range) is what the sidecar saw typed, even
    // when it spells HEAD's text again; a reload arrives as a replacement (a full text, or
    // a range's text replaced), a large insert, or a deletion.
    const bool typed = !replacement && inferred.evidence == Evidence::Inferred && chars > 0;
    // A change that is no typing and may make the text HEAD's (the byte histograms agree):
    // the text and attribution it throws away, as they are now (match_base). Taken before
    // the change, not rebuilt after it: the moved-line matching below may relabel characters
    // the change keeps, and the text it threw away had them as they were.
    std::optional<Snapshot> before;
    if (p.base && p.base_mismatch == 0 && !typed) {
        before.emplace();
        text_->export_to(before->text, before->runs);
    }
    // 3. Apply, last piece first so earlier offsets stay valid; record the history.
    for (size_t k = pieces.size(); k-- > 0;) {
        const Piece& pc = pieces[k];
        if (restore[k])
            text_->replace(pc.offset, pc.removed, pc.inserted, *restore[k]);
        else
            text_->replace(pc.offset, pc.removed, pc.inserted, inferred);
        HistEdit h{new_version,        pc.offset, pc.removed,
                   pc.inserted.size(), {},        restore[k] != nullptr};
        if (pc.removed > kHistoryMaxEdit) {
            // Too large to keep: older versions can no longer be rebuilt.
            p.history.clear();
            p.history_bytes = 0;
            p.floor = new_version;
            continue;
        }
        h.removed_text = std::move(removed[k]);
        p.history_bytes += h.removed_text.size();
        p.history.push_back(std::move(h));
    }
    version_ = new_version;
    rematch_moved_lines(pieces, restore, inferred.evidence == Evidence::None);
    if (inferred.evidence == Evidence::Inferred && chars > 0) p.typed_version = new_version;
    if (!typed && p.before_reset) match_before_reset(pieces);
    if (before && p.base_mismatch == 0) match_base(pieces, std::move(*before));
    // Only the oldest edits go; while a restore is awaited, the ones after its version stay
    // (up to kRestoreHistoryEdits), so it maps exactly through every edit made meanwhile.
    auto too_old = [&p, this](const HistEdit& e) {
        if (p.history_bytes > kHistoryBytes) return true;
        if (p.restore_from && e.version > *p.restore_from)
            return p.history.size() > kRestoreHistoryEdits;
        return versions_apart(e.version, version_) > kHistoryVersions;
    };
    while (!p.history.empty() && too_old(p.history.front())) {
        p.floor = std::max(p.floor, p.history.front().version);
        p.history_bytes -= p.history.front().removed_text.size();
        p.history.pop_front();
    }
    return {};
}

void Document::remember_lines(const std::vector<Piece>& pieces,
                              const std::vector<std::string>& removed, bool replacement) {
    // Whole lines that this change deletes or rewrites, for moved-line matching. Only for
    // replacements and deletions across a line break: a backspace inside a line costs nothing.
    Pending::Batch& bt = pending_->batch;
    if (!bt.old_lines.empty() && versions_apart(bt.lines_version, bt.version) > kMoveVersions) {
        bt.old_lines.clear();
        bt.old_bytes = 0;
    }
    size_t prev_end = 0;
    for (size_t i = 0; i < pieces.size(); ++i) {
        const Piece& pc = pieces[i];
        if (pc.removed == 0) continue;
        if (!replacement && removed[i].find('\n') == std::string::npos) continue;
        const size_t end = pc.offset + pc.removed;
        const size_t l0 = text_->line_of(pc.offset);
        // A removal that ends just after a break ends with that line.
        const size_t l1 = text_->line_of(removed[i].back() == '\n' ? end - 1 : end);
        size_t r0 = text_->line_start(l0);
        const size_t r1 = std::max(text_->line_content_end(l1), end);
        if (pc.offset - r0 > kBatchMaxLineExpand || r1 - end > kBatchMaxLineExpand) continue;
        r0 = std::max(r0, prev_end);
        if (r1 <= r0) continue;
        if (bt.old_bytes + (r1 - r0) > kBatchLineBytes) return;
        prev_end = r1;
        const std::string region = text_->substr(r0, r1 - r0);
        size_t at = 0;
        while (at < region.size()) {
            const size_t nl = region.find('\n', at);
            const size_t stop = nl == std::string::npos ? region.size() : nl;
            const size_t content_end = stop > at && region[stop - 1] == '\r' ? stop - 1 : stop;
            bool has_text = false;
            for (size_t k = at; k < content_end && !has_text; ++k)
                has_text = !utf8::is_space(static_cast<unsigned char>(region[k]));
            if (has_text) {
                std::string key = region.substr(at, content_end - at);
                bt.old_bytes += key.size();
                bt.old_lines.insert_or_assign(
                    std::move(key), Pending::OldLine{text_->runs(r0 + at, content_end - at),
                                                     pending_->batch.version});
                bt.lines_version = pending_->batch.version;
            }
            if (nl == std::string::npos) break;
            at = nl + 1;
        }
    }
}

void Document::rematch_moved_lines(const std::vector<Piece>& pieces,
                                   const std::vector<const std::vector<Run>*>& restore,
                                   bool unknown) {
    Pending::Batch& bt = pending_->batch;
    // Follow the ranges inserted earlier through this change (its pieces were applied last
    // first, each in the coordinates just before it); typed ones only within their batch.
    std::vector<Pending::Inserted> kept;
    for (const Pending::Inserted& r : bt.inserted) {
        if (r.version != version_ &&
            (!r.unknown || versions_apart(r.version, version_) > kMoveVersions))
            continue;
        std::vector<std::pair<size_t, size_t>> parts{{r.a, r.b}};
        for (size_t k = pieces.size(); k-- > 0 && !parts.empty();)
            map_through(
                HistEdit{
                    0, pieces[k].offset, pieces[k].removed, pieces[k].inserted.size(), {}, false},
                parts);
        for (auto [x, y] : parts)
            if (y > x) kept.push_back(Pending::Inserted{x, y, r.version, r.unknown});
    }
    int64_t shift = 0;
    for (size_t k = 0; k < pieces.size(); ++k) {
        const size_t at = static_cast<size_t>(static_cast<int64_t>(pieces[k].offset) + shift);
        if (!pieces[k].inserted.empty() && !restore[k])
            kept.push_back(
                Pending::Inserted{at, at + pieces[k].inserted.size(), version_, unknown});
        shift += static_cast<int64_t>(pieces[k].inserted.size()) -
                 static_cast<int64_t>(pieces[k].removed);
    }
    bt.inserted = std::move(kept);
    if (bt.inserted.size() > kBatchMaxRanges) bt.inserted.clear();
    if (bt.old_lines.empty() || bt.inserted.empty()) return;
    // Every line touched by such an insert that equals a whole line deleted or replaced is
    // that line moved: it takes the removed line's attribution (it has no new characters).
    // Typed text only matches lines of its own batch (Vim's filter, a sort): retyping a line
    // deleted a moment ago is typing.
    std::vector<Pending::Inserted> sorted = bt.inserted;
    std::sort(sorted.begin(), sorted.end(),
              [](const Pending::Inserted& x, const Pending::Inserted& y) { return x.a < y.a; });
    for (const Pending::Inserted& r : sorted) {
        const size_t first = text_->line_of(r.a);
        const size_t last = text_->line_of(r.b - 1);
        for (size_t line = first; line <= last; ++line) {
            const size_t ls = text_->line_start(line);
            const size_t le = text_->line_content_end(line);
            if (le <= ls || le - ls > kBatchMaxLineExpand) continue;
            auto it = bt.old_lines.find(text_->substr(ls, le - ls));
            if (it == bt.old_lines.end()) continue;
            if (!r.unknown && it->second.version != r.version) continue;
            const std::vector<Run> now = text_->runs(ls, le - ls);
            if (now == it->second.runs) continue;
            // A range inserted by an earlier change is matched again only while nothing has
            // explained it since: evidence that came after the insert (an agent's record
            // absorbed, an annotation, an earlier match) is newer than a content match.
            auto explained = [](const Run& x) { return x.attr.evidence != Evidence::None; };
            if (r.version != version_ && std::any_of(now.begin(), now.end(), explained)) continue;
            size_t pos = ls;
            for (const Run& run : it->second.runs) {
                text_->set_attr(pos, run.length, run.attr);
                pos += run.length;
            }
        }
    }
}

void Document::apply_held_annotations() const {
    Pending& p = *pending_;
    if (p.held.empty()) return;
    std::vector<Pending::Held> keep;
    for (Pending::Held& h : p.held) {
        if (h.version == version_) {
            if (Status st = apply_annotation(h.version, h.origin, h.cls, h.ranges); !st)
                p.dropped.push_back("annotation for version " + std::to_string(h.version) +
                                    " dropped: " + st.error().message);
        } else if (h.version < version_) {
            p.dropped.push_back("annotation for version " + std::to_string(h.version) +
                                " dropped: the document reached version " +
                                std::to_string(version_) + " without it");
        } else {
            keep.push_back(std::move(h));
        }
    }
    p.held = std::move(keep);
}

Status Document::annotate(int64_t version, const OriginRecord& origin,
                          const std::vector<TextRange>& ranges) {
    apply_held_annotations();
    Pending& p = *pending_;
    if (origin.cls == OriginClass::Unknown)
        return make_error(ErrorKind::invalid_input,
                          "an annotation's class must be ai, human or paste");
    if (version > version_) {
        if (versions_apart(version_, version) > kMaxAhead)
            return make_error(ErrorKind::invalid_input,
                              "annotation for version " + std::to_string(version) +
                                  " is too far ahead of the document's version " +
                                  std::to_string(version_));
        if (p.held.size() >= kMaxHeld) {
            p.dropped.push_back("annotation for version " + std::to_string(p.held.front().version) +
                                " dropped: too many annotations waiting for their version");
            p.held.erase(p.held.begin());
        }
        p.held.push_back(Pending::Held{version, origins_.intern(origin), origin.cls, ranges});
        return {};
    }
    if (version < p.floor)
        return make_error(ErrorKind::invalid_input,
                          "annotation for version " + std::to_string(version) +
                              " is older than the edit history kept (from version " +
                              std::to_string(p.floor) + ")");
    return apply_annotation(version, origins_.intern(origin), origin.cls, ranges);
}

Status Document::apply_annotation(int64_t version, uint32_t origin, OriginClass cls,
                                  const std::vector<TextRange>& ranges) const {
    const Pending& p = *pending_;
    const Units u = units_of(encoding_);
    std::vector<std::pair<size_t, size_t>> cur; // current byte ranges
    const size_t first_after = first_edit_after(p.history, version);
    if (version == version_) {
        for (const TextRange& r : ranges) {
            Result<size_t> a = offset_in(*text_, r.start, u);
            Result<size_t> b = offset_in(*text_, r.end, u);
            if (!a || !b) return (!a ? a.error() : b.error()).context("annotation range");
            if (*a > *b)
                return make_error(ErrorKind::invalid_input,
                                  "annotation range start is after its end");
            cur.emplace_back(*a, *b);
        }
    } else {
        // Rebuild the text at `version` from the current text and the removed spans, convert
        // the ranges there, and keep the parts that still exist: text inserted afterwards is
        // not covered. O(n) in the text, but rare (an annotation arriving after more edits).
        const std::vector<Seg> segs = segments_before(p.history, first_after, text_->size());
        const OriginText then(text_of(segs, *text_), Attr{});
        for (const TextRange& r : ranges) {
            Result<size_t> a = offset_in(then, r.start, u);
            Result<size_t> b = offset_in(then, r.end, u);
            if (!a || !b)
                return (!a ? a.error() : b.error())
                    .context("annotation range at version " + std::to_string(version));
            if (*a > *b)
                return make_error(ErrorKind::invalid_input,
                                  "annotation range start is after its end");
            size_t pos = 0;
            for (const Seg& s : segs) {
                const size_t x = std::max(*a, pos), y = std::min(*b, pos + s.len);
                if (!s.removed && x < y) cur.emplace_back(s.start + (x - pos), s.start + (y - pos));
                pos += s.len;
            }
        }
    }
    if (cls == OriginClass::Paste) {
        // A paste never overrides an origin the deleted spans restored in that version.
        std::vector<std::pair<size_t, size_t>> restored;
        for (size_t i = 0; i < p.history.size(); ++i) {
            const HistEdit& e = p.history[i];
            if (e.version != version || !e.restored) continue;
            std::vector<std::pair<size_t, size_t>> r{{e.offset, e.offset + e.inserted}};
            for (size_t j = i + 1; j < p.history.size() && !r.empty(); ++j)
                map_through(p.history[j], r);
            restored.insert(restored.end(), r.begin(), r.end());
        }
        cur = subtract(std::move(cur), restored);
    }
    if (cls == OriginClass::Ai) count_generated(origin, cur);
    for (auto [a, b] : cur)
        if (b > a)
            text_->update_attrs(a, b - a, [origin, now = clock_()](const Attr& x) {
                return Attr{origin, Evidence::Recorded, x.fresh, x.seen ? x.seen : now};
            });
    return {};
}

bool Document::absorb(const Snapshot& evidence, bool* held) {
    apply_held_annotations();
    if (held) *held = false;
    if (!evidence.validate()) return false;
    const Snapshot cur = snapshot();
    if (held) *held = cur.text == evidence.text;
    Snapshot merged = merge_evidence(cur, evidence);
    // merged.origins extends our table with the same ids.
    origins_ = std::move(merged.origins);
    bool changed = false;
    size_t i = 0, j = 0, pos = 0;
    uint32_t left_a = cur.runs.empty() ? 0 : cur.runs[0].length;
    uint32_t left_b = merged.runs.empty() ? 0 : merged.runs[0].length;
    while (i < cur.runs.size() && j < merged.runs.size()) {
        const uint32_t len = std::min(left_a, left_b);
        if (!(cur.runs[i].attr == merged.runs[j].attr)) {
            text_->set_attr(pos, len, merged.runs[j].attr);
            changed = true;
        }
        pos += len;
        left_a -= len;
        left_b -= len;
        if (left_a == 0 && ++i < cur.runs.size()) left_a = cur.runs[i].length;
        if (left_b == 0 && ++j < merged.runs.size()) left_b = merged.runs[j].length;
    }
    return changed;
}

void Document::reset_base() {
    apply_held_annotations();
    text_->update_attrs(0, text_->size(), [](const Attr& a) {
        return Attr{a.origin, a.evidence, false};
    });
}

void Document::expect_restore() {
    pending_->restore_from = version_;
}

Document::Restored Document::apply_restored(int64_t version, const Snapshot& restored) {
    apply_held_annotations();
    Pending& p = *pending_;
    if (p.restore_from && *p.restore_from == version) p.restore_from.reset();
    if (!restored.validate() || version > version_) return Restored::Misfit;
    if (version < p.floor) { // the history no longer reaches it
        absorb(restored);
        return Restored::Merged;
    }
    const size_t first_after = first_edit_after(p.history, version);
    const int64_t then_size = length_before(p.history, first_after, text_->size());
    if (then_size != static_cast<int64_t>(restored.text.size())) return Restored::Misfit;
    // Replay the edits since onto a copy of `restored` (O(log n) each, however many there
    // were): what they inserted is marked as no part of it.
    std::unordered_map<uint32_t, uint32_t> ids; // restored's origin ids -> ours
    std::vector<Run> runs;
    runs.reserve(restored.runs.size());
    for (const Run& r : restored.runs) {
        auto [it, added] = ids.try_emplace(r.attr.origin, 0);
        if (added) it->second = origins_.intern(restored.origins.at(r.attr.origin));
        Attr a = r.attr;
        a.origin = it->second;
        runs.push_back(Run{r.length, a});
    }
    constexpr uint32_t kInsertedSince = std::numeric_limits<uint32_t>::max();
    const Attr inserted_since{kInsertedSince, Evidence::None, false};
    OriginText then(restored.text, runs);
    for (size_t i = first_after; i < p.history.size(); ++i) {
        const HistEdit& e = p.history[i];
        // What this edit deleted was remembered with the attribution it had then, before the
        // restore said whose it was: remember it again with the restored attribution, so an
        // edit that brings it back (an undo, a reload) gets that back, not `unknown`.
        if (e.removed > 0 && e.removed_text.size() == e.removed)
            remember_restored(e.removed_text, then.runs(e.offset, e.removed), kInsertedSince);
        then.replace(e.offset, e.removed, std::string(e.inserted, ' '), inserted_since);
    }
    if (then.size() != text_->size()) return Restored::Misfit; // cannot happen: sizes checked
    size_t pos = 0;
    for (const Run& r : then.runs(0, then.size())) {
        // Only what nothing touched since the open (an annotation may have named it).
        if (r.attr.origin != kInsertedSince)
            text_->update_attrs(pos, r.length,
                                [a = r.attr](const Attr& cur) { return cur == Attr{} ? a : cur; });
        pos += r.length;
    }
    return Restored::Exact;
}

void Document::remember_restored(const std::string& text, const std::vector<Run>& restored,
                                 uint32_t inserted_since) {
    Pending& p = *pending_;
    // Per character, as apply_restored gives the current text: the restored attribution where
    // the deleted text had none (Attr{}), its own where it had some or was inserted since.
    const std::vector<Run>* had = p.spans.find(text);
    std::vector<Run> was =
        had ? *had : std::vector<Run>{Run{static_cast<uint32_t>(text.size()), {}}};
    Snapshot out;
    RunCursor from_was(was);
    size_t pos = 0;
    bool gains = false;
    for (const Run& r : restored) {
        from_was.copy(pos, r.length, [&](uint32_t len, Attr a) {
            if (r.attr.origin != inserted_since && a == Attr{} && !(r.attr == Attr{})) {
                a = r.attr;
                gains = true;
            }
            out.push_run(len, a);
        });
        pos += r.length;
    }
    if (gains && pos == text.size()) p.spans.remember(text, std::move(out.runs));
}

void Document::set_base(std::shared_ptr<const Snapshot> head) {
    Pending& p = *pending_;
    p.base = std::move(head);
    p.base_diff.fill(0);
    p.base_mismatch = 0;
    if (!p.base) return;
    if (!p.base->validate()) {
        p.base.reset();
        return;
    }
    count_base(text(), +1);
    count_base(p.base->text, -1);
}

void Document::rebase(std::shared_ptr<const Snapshot> head, const HeadShare* share) {
    const bool moved =
        head && head->validate() && (!pending_->base || pending_->base->text != head->text);
    set_base(head);
    if (!moved) return;
    pending_->before_reset.reset(); // its `fresh` flags were for the old HEAD
    // The commit took the lines HEAD now holds: as its attach did to the journal entry
    // (git/attach.cpp, retire), they are no longer new. By whole lines and long spans only: a
    // line edited since stays new as a whole (a gap), and no character typed since is taken
    // for a committed one because it spells the same letter.
    apply_held_annotations();
    const std::string now = text();
    const auto unfresh = [this](size_t at, size_t len) {
        if (len == 0) return;
        text_->update_attrs(at, len, [](const Attr& a) {
            Attr b = a;
            b.fresh = false;
            return b;
        });
    };
    // The diff was made on the journal thread when the entry's text is still this text.
    const bool shared = share && share->text == now;
    const auto computed =
        shared ? std::vector<std::pair<size_t, size_t>>{} : shared_with_head(now, head->text);
    for (const auto& [at, len] : shared ? share->kept : computed)
        unfresh(at, len);
}

void Document::remember_left(const std::vector<Snapshot>& blocks) {
    for (const Snapshot& block : blocks) {
        if (block.text.empty() || !block.validate()) continue;
        std::vector<Run> runs = block.runs;
        for (Run& r : runs)
            r.attr.origin = origins_.intern(block.origins.at(r.attr.origin));
        pending_->spans.remember(block.text, std::move(runs));
    }
}

int64_t Document::last_typed_version() const {
    return pending_->typed_version;
}

std::optional<std::vector<std::pair<size_t, size_t>>>
Document::inserted_between(int64_t after, int64_t upto) const {
    const Pending& p = *pending_;
    if (after < p.floor) return std::nullopt; // the history no longer reaches it
    const size_t first_after = first_edit_after(p.history, after);
    const int64_t then_size = length_before(p.history, first_after, text_->size());
    if (then_size < 0) return std::nullopt; // cannot happen: the history is of this text
    // Replay the edits since onto a blank text of that version's length (O(log n) each):
    // what the edits of (after, upto] inserted is marked, what later ones inserted is not,
    // and later edits move and cut the marked ranges as they did the text.
    const Attr old_text{0, Evidence::None, false};
    const Attr marked{1, Evidence::None, false};
    const Attr later{2, Evidence::None, false};
    OriginText then(std::string(static_cast<size_t>(then_size), ' '), old_text);
    for (size_t i = first_after; i < p.history.size(); ++i) {
        const HistEdit& e = p.history[i];
        then.replace(e.offset, e.removed, std::string(e.inserted, ' '),
                     e.version <= upto && !e.restored ? marked : later);
    }
    if (then.size() != text_->size()) return std::nullopt; // cannot happen: sizes checked
    std::vector<std::pair<size_t, size_t>> out;
    size_t pos = 0;
    for (const Run& r : then.runs(0, then.size())) {
        if (r.attr == marked) out.emplace_back(pos, pos + r.length);
        pos += r.length;
    }
    return out;
}

bool Document::reloaded_from_disk(int64_t after, int64_t upto, uint32_t since) {
    apply_held_annotations();
    Pending& p = *pending_;
    // Exactly what the reload's edits inserted: typing before them (in the same second too)
    // and after them keeps its own. Only when the history no longer reaches `after`, all
    // typing seen since the write's second (a gap, never a credit).
    const auto ranges = inserted_between(after, upto);
    std::vector<std::pair<size_t, size_t>> all;
    if (!ranges) all.emplace_back(0, text_->size());
    bool changed = false;
    for (auto [a, b] : ranges ? *ranges : all) {
        if (b <= a) continue;
        size_t pos = a;
        for (const Run& r : text_->runs(a, b - a)) {
            const Attr& x = r.attr;
            if (typed_since(x, origins_.class_of(x.origin), since)) {
                text_->set_attr(pos, r.length, Attr{kUnknownOrigin, Evidence::None, x.fresh, 0});
                changed = true;
            }
            pos += r.length;
        }
    }
    if (!changed) return false;
    // The reload made the text HEAD's, or brought back what the last reset threw away: what
    // match_base / match_before_reset do for a reload they can tell from typing.
    const auto now = [this] {
        Snapshot s;
        text_->export_to(s.text, s.runs);
        return s;
    };
    if (p.base && p.base_mismatch == 0 && text_->size() == p.base->text.size()) {
        const Snapshot s = now();
        if (s.text == p.base->text) {
            relabel({}, *p.base, s, 0);
            p.base_reset = clock_();
            return true;
        }
    }
    if (p.before_reset && text_->size() == p.before_reset->text.size()) {
        const Snapshot s = now();
        if (s.text == p.before_reset->text) {
            Snapshot before = std::move(*p.before_reset);
            p.before_reset.reset();
            before.origins = origins_; // its runs name this document's origin ids
            relabel({}, before, s, p.before_reset_at);
        }
    }
    return true;
}

std::optional<uint32_t> Document::take_base_reset() {
    return std::exchange(pending_->base_reset, std::nullopt);
}

void Document::count_base(std::string_view bytes, int sign) {
    count_bytes(pending_->base_diff, pending_->base_mismatch, bytes, sign);
}

void Document::match_base(const std::vector<Piece>& pieces, Snapshot before) {
    const Snapshot& base = *pending_->base;
    if (text_->size() != base.text.size() || text() != base.text) return;
    Snapshot cur; // not snapshot(): the held annotations of this batch wait for its end
    text_->export_to(cur.text, cur.runs);
    relabel(pieces, base, cur, 0);
    // What the reload threw away, for a reload that brings it back (match_before_reset),
    // and the byte histogram of the text against it (the text is HEAD's now).
    Pending& p = *pending_;
    p.before_diff.fill(0);
    p.before_mismatch = 0;
    count_bytes(p.before_diff, p.before_mismatch, cur.text, +1);
    count_bytes(p.before_diff, p.before_mismatch, before.text, -1);
    p.before_reset = std::move(before);
    p.before_reset_at = std::max<uint32_t>(clock_(), 1);
    pending_->base_reset = clock_();
}

void Document::match_before_reset(const std::vector<Piece>& pieces) {
    Pending& p = *pending_;
    const std::string& was = p.before_reset->text;
    // Cheap first (this runs for every change that is not typing, a backspace included): the
    // byte histograms agree, and what the change inserted is what the text had there. A
    // change that only deletes may bring it back too (the last hunk of a reload).
    if (p.before_mismatch != 0 || text_->size() != was.size()) return;
    for (const auto& [k, at] : inserted_at(pieces)) {
        const std::string_view ins = pieces[k].inserted;
        if (!ins.empty() && was.compare(at, ins.size(), ins) != 0) return;
    }
    if (text() != was) return;
    Snapshot cur; // not snapshot(): the held annotations of this batch wait for its end
    text_->export_to(cur.text, cur.runs);
    Snapshot before = std::move(*p.before_reset);
    p.before_reset.reset();
    before.origins = origins_; // its runs name this document's origin ids
    relabel(pieces, before, cur, p.before_reset_at);
}

std::vector<std::pair<size_t, size_t>> Document::inserted_at(const std::vector<Piece>& pieces) {
    // Where each piece inserted, in the new text (they are sorted and were applied last first).
    std::vector<std::pair<size_t, size_t>> out; // (piece index, offset)
    int64_t shift = 0;
    for (size_t k = 0; k < pieces.size(); ++k) {
        const Piece& pc = pieces[k];
        out.emplace_back(k, static_cast<size_t>(static_cast<int64_t>(pc.offset) + shift));
        shift += static_cast<int64_t>(pc.inserted.size()) - static_cast<int64_t>(pc.removed);
    }
    return out;
}

void Document::relabel(const std::vector<Piece>& pieces, const Snapshot& base, const Snapshot& cur,
                       uint32_t typed_since) {
    std::vector<std::pair<size_t, size_t>> inserted;
    for (const auto& [k, at] : inserted_at(pieces))
        if (!pieces[k].inserted.empty()) inserted.emplace_back(at, at + pieces[k].inserted.size());
    std::unordered_map<uint32_t, uint32_t> ids; // base's origin ids -> ours
    auto ours = [&](uint32_t id) {
        auto [it, added] = ids.try_emplace(id, 0);
        if (added) it->second = origins_.intern(base.origins.at(id));
        return it->second;
    };
    // Walk both run lists together; `k` follows the inserted ranges.
    size_t i = 0, j = 0, pos = 0, k = 0;
    uint32_t left_a = cur.runs.empty() ? 0 : cur.runs[0].length;
    uint32_t left_b = base.runs.empty() ? 0 : base.runs[0].length;
    while (i < cur.runs.size() && j < base.runs.size()) {
        while (k < inserted.size() && inserted[k].second <= pos)
            ++k;
        size_t len = std::min(left_a, left_b);
        bool in_change = false;
        if (k < inserted.size()) {
            if (inserted[k].first <= pos) {
                in_change = true;
                len = std::min(len, inserted[k].second - pos);
            } else {
                len = std::min(len, inserted[k].first - pos);
            }
        }
        const Attr& a = cur.runs[i].attr;
        // What a person was seen typing or pasting keeps its own; the rest (an agent's text
        // the reload kept, unobserved text) is HEAD's text now, with HEAD's meaning. Text
        // coming back after a reset: only what was typed since (pending, seen then or later);
        // committed typing there is what the reset gave HEAD's meaning, and typing the
        // deleted-span store gave back was seen before it: the text it threw away had its own.
        const OriginClass cls = origins_.class_of(a.origin);
        const bool person = a.seen != 0 &&
                            (cls == OriginClass::Human || cls == OriginClass::Paste) &&
                            (typed_since == 0 || (a.fresh && a.seen >= typed_since));
        if (in_change || !person) {
            Attr b = base.runs[j].attr;
            b.origin = ours(b.origin);
            if (!(a == b)) text_->set_attr(pos, len, b);
        }
        pos += len;
        left_a -= static_cast<uint32_t>(len);
        left_b -= static_cast<uint32_t>(len);
        if (left_a == 0 && ++i < cur.runs.size()) left_a = cur.runs[i].length;
        if (left_b == 0 && ++j < base.runs.size()) left_b = base.runs[j].length;
    }
}

Snapshot Document::snapshot() const {
    apply_held_annotations();
    Snapshot s;
    text_->export_to(s.text, s.runs);
    s.origins = origins_;
    return s;
}

std::vector<LineVerdict> Document::classify(CharCounts* chars) const {
    return classify_lines(snapshot(), chars, /*lone_cr_breaks=*/true);
}

void Document::count_generated(uint32_t origin,
                               const std::vector<std::pair<size_t, size_t>>& ranges) const {
    // O(annotated bytes + log n): the characters of the ranges only.
    std::set<size_t> lines;
    for (auto [a, b] : ranges) {
        if (b <= a) continue;
        const std::string bytes = text_->substr(a, b - a);
        size_t line = text_->line_of(a), at = 0;
        for (const Run& run : text_->runs(a, b - a)) {
            const bool counts = run.attr.origin != origin;
            for (size_t i = at; i < at + run.length && i < bytes.size(); ++i) {
                const char c = bytes[i];
                // Line breaks as classify() counts them: LF, CRLF, and a lone CR.
                if (c == '\n' || (c == '\r' && (i + 1 >= bytes.size() || bytes[i + 1] != '\n')))
                    ++line;
                else if (counts && c != ' ' && c != '\t' && c != '\r')
                    lines.insert(line);
            }
            at += run.length;
        }
    }
    if (!lines.empty()) pending_->generated[origin] += lines.size();
}

std::vector<std::pair<OriginRecord, uint64_t>> Document::take_generated() {
    apply_held_annotations();
    std::vector<std::pair<OriginRecord, uint64_t>> out;
    for (const auto& [id, n] : std::exchange(pending_->generated, {}))
        out.emplace_back(origins_.at(id), n);
    return out;
}

std::vector<std::string> Document::take_dropped_annotations() {
    apply_held_annotations();
    return std::exchange(pending_->dropped, {});
}

const std::string& Document::last_unknown_reason() const {
    return pending_->unknown_reason;
}

size_t Document::memory_bytes() const {
    return text_->memory_bytes() + pending_->history_bytes + pending_->spans.bytes() +
           (pending_->before_reset ? pending_->before_reset->text.size() +
                                         pending_->before_reset->runs.size() * sizeof(Run)
                                   : 0);
}

} // namespace provenant
