// A tracked editor document: its text, the origin of every character, and the rules that
// turn edits and annotations into attribution. Usable with no LSP at all.
#pragma once

#include "core/base.h"
#include "core/line_classifier.h"
#include "core/provenance.h"
#include "core/restore.h"
#include "support/result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace provenant {

/// How `Position::character` counts (LSP 3.17 positionEncoding).
enum class PositionEncoding : uint8_t { Utf8, Utf16, Utf32 };

/// A zero-based line and a character offset in the document's encoding. Lines end at \n,
/// \r\n or a lone \r (as LSP defines).
struct Position {
    uint32_t line = 0;
    uint32_t character = 0;
    auto operator<=>(const Position&) const = default;
};
struct TextRange {
    Position start;
    Position end;
    bool operator==(const TextRange&) const = default;
};

/// What the client says about an edit.
enum class EditReason : uint8_t { None, Undo, Redo };

/// The limits of the un-annotated typing inference (docs/model.md §5).
inline constexpr size_t kTypingMaxChars = 40;

class OriginText; // the balanced tree of text chunks and runs (origin_text.h)

/// One open document. Not thread-safe: owned and called by one thread (the LSP server's
/// core thread, or a test).
///
/// Edits cost O(log n) plus the size of the edit (full-text replacements cost a diff);
/// position conversion costs O(log n) in every encoding.
class Document {
public:
    /// A document whose initial text is not fresh and has no evidence (`unknown`), unless
    /// `restored` is given: the journal's snapshot of this file, carried onto `text` by diff
    /// (the unexplained difference is fresh `unknown`, the rest keeps its origins), with
    /// `restored_saved` what its entry knows of the last save (carry_restored, core/restore.h).
    Document(std::string_view text, int64_t version, PositionEncoding encoding,
             const Snapshot* restored = nullptr, const SavedTyping& restored_saved = {});
    /// A document whose text and attribution are `attributed` (already carried onto the text
    /// it opens with, e.g. by restore_reopened). `attributed` must validate().
    Document(const Snapshot& attributed, int64_t version, PositionEncoding encoding);
    ~Document();
    Document(Document&&) noexcept;
    Document& operator=(Document&&) noexcept;

    int64_t version() const { return version_; }
    PositionEncoding encoding() const { return encoding_; }

    /// The clock that stamps observed insertions (Attr::seen, seconds since the Unix epoch);
    /// the system clock unless a test sets another.
    using Clock = std::function<uint32_t()>;
    void set_clock(Clock clock);

    /// Applies one content change of `didChange`. `range` absent means the whole text is
    /// replaced (the difference is computed; unchanged characters keep their origin).
    /// Un-annotated inserts: up to one line and kTypingMaxChars characters are `human`
    /// (inferred, and observed: Attr::seen is now); larger ones are `unknown` (not observed:
    /// evidence carried by content may still explain them); text matching a recently deleted
    /// span gets its origin back. A line with no new characters moved within one change
    /// batch keeps its class: inserted lines equal to whole lines that the same batch deleted
    /// or replaced take those lines' attribution, whichever came first (Vim's filters insert
    /// before they delete; a sort's single replacement is diffed by characters). Errors (range
    /// outside the document, version not increasing) leave the document unchanged. `new_version`
    /// applies after the last change of a batch: pass the same version for every change of one
    /// didChange: `new_version == version()` continues the batch; annotations held for that version
    /// are applied when the batch is over (at the next call of any other kind, or a change with a
    /// newer version). A change that fails leaves the earlier changes of its batch applied (resync
    /// with a full text).
    Status apply_change(int64_t new_version, const std::optional<TextRange>& range,
                        std::string_view text, EditReason reason = EditReason::None);

    /// Marks the characters in `ranges` (coordinates of the document at `version`) as coming
    /// from `origin` (Evidence::Recorded; `fresh` kept). A `paste` annotation does not
    /// override text whose origin the deleted-span store restored in that version. An annotation
    /// for a version not yet seen is held until that version arrives (dropped after a bounded
    /// window); one for an older version is mapped through the later edits, and text inserted into
    /// the ranges after `version` is not covered. Either order gives the same result.
    Status annotate(int64_t version, const OriginRecord& origin,
                    const std::vector<TextRange>& ranges);

    /// Merges evidence for the same text (the journal, an agent hook) by content: `evidence`
    /// is carried onto the current text (whole lines and long spans); each character takes
    /// the attribution that `prevails` (core/carry.h): never carried evidence over what this
    /// document observed, except an agent's record of the same text within the race window.
    /// O(n): call off the keystroke path. Returns whether anything changed. `held` (when
    /// given) is set to whether `evidence` was of exactly the current text: the document then
    /// holds it, each of its characters merged where it is, and a later merge of the same
    /// report by content could only misplace it (session::JournalSync holds that version).
    bool absorb(const Snapshot& evidence, bool* held = nullptr);

    /// Marks every character not fresh (after a commit made the text the new base).
    void reset_base();

    /// Gives the text of `version` (an earlier version or the current one) the attribution
    /// `restored` (of exactly that version's text: the journal's restore of a document opened
    /// at `version`, which arrives after the editing thread went on). Characters inserted
    /// since keep their own attribution (what the sidecar saw typed is never overruled);
    /// characters of that version that still exist and that nothing attributed since (an
    /// annotation) take `restored`'s, mapped through the edits since (O((runs + edits) log n)).
    /// When the edit history no longer reaches `version`, falls back to absorb(): a merge by
    /// content, after which the document does not hold `restored` exactly (the evidence of
    /// lines edited since is lost to it, and a later merge with the journal entry may still
    /// carry it back).
    enum class Restored : uint8_t {
        Exact,  ///< mapped through every edit since: the document holds `restored` exactly
        Merged, ///< the history no longer reached `version`: merged by content (absorb)
        Misfit, ///< `restored` does not fit (its text is not that version's length): ignored
    };
    Restored apply_restored(int64_t version, const Snapshot& restored);
    /// The journal's restore of the current version will come (apply_restored): until it
    /// does, the edit history back to this version is kept (bounded), however many edits are
    /// made meanwhile, so the restore maps exactly through them rather than falling back to a
    /// merge by content that loses the evidence of every line edited since (a restart after
    /// a crash brought the person's saved typing back as `unknown`).
    void expect_restore();

    /// HEAD's text of this file with HEAD's meaning (head_meaning, core/base.h; nullptr: not
    /// known). A change that makes the text exactly HEAD's (an editor reloading the file after
    /// `git checkout -- FILE`, `git restore`, `git stash`: a replacement, a large insert or a
    /// deletion; a keystroke-sized insert is typing) is not typing (docs/model.md §3,
    /// "text a reload brings back that HEAD explains keeps its class"): what it inserted, and
    /// the rest (unobserved text, an agent's text that now spells HEAD's), take HEAD's
    /// attribution; what the sidecar saw a person type or paste before keeps its own. A later
    /// change that is not typing and brings back exactly the text that change threw away (`git
    /// stash` then `git stash pop`) gives it back the attribution it had then, the same way,
    /// once (until HEAD moves): the journal dropped that evidence at the reset. O(n) here;
    /// each edit then costs O(its size) more (a byte histogram against HEAD's, so the whole-text
    /// comparison runs only when the histograms agree).
    void set_base(std::shared_ptr<const Snapshot> head);
    /// set_base after HEAD may have moved (the journal's entry changed: a commit's attach).
    /// When HEAD's text of the file is not the base's any more, what the commit took is no
    /// longer new: the characters of the whole lines (and long spans) that the text shares
    /// with HEAD's lose `fresh`, as the attach did to the journal entry, so a later write does
    /// not make committed text pending again (HEAD's text reloaded or reopened then came back
    /// `unknown` rather than with its committed class). O(n) plus a diff, unless `share` is
    /// given and is of the current text (shared_with_head computed on the journal thread for
    /// the entry's text, core/base.h): then O(n) and no diff on this thread.
    void rebase(std::shared_ptr<const Snapshot> head, const HeadShare* share = nullptr);
    /// Lines that left this file on a reset to HEAD before the document was opened (its
    /// journal entry's, core/left_lines.h): remembered as deleted spans, so a reload that
    /// brings exactly one of those blocks back (`git stash pop` after the sidecar restarted)
    /// gets its attribution back. Typing never matches them (blocks have kLeftMinBytes of
    /// text; a deleted span is matched by inserts of 3 bytes or more, or an undo/redo).
    void remember_left(const std::vector<Snapshot>& blocks);
    /// The text is exactly the file's content on disk as another writer left it after the
    /// inserts the sidecar took for typing: an editor reloading the file a hunk at a time after
    /// `git stash pop` or `git checkout -- FILE` (each hunk the size of a keystroke's line). What
    /// the edits of versions `after` (exclusive: the document's version when the file was
    /// written, or when it last knew the file) to `upto` (inclusive: the version that equals
    /// the file) inserted, and that was inferred typed (Evidence::Inferred, observed) in second
    /// `since` (the write's) or later, came from disk: it becomes fresh `unknown`, unobserved
    /// (evidence carried by whole-line content may explain it). Typing before those edits, in
    /// the same second too, and after them keeps its own; so do inserts the deleted-span store
    /// gave back. Only when the edit history no longer reaches `after` is all typing seen in
    /// `since` or later taken (a gap, never a credit). Then, as for a reload that is no typing
    /// (set_base), a text exactly HEAD's takes HEAD's attribution and a text exactly the one
    /// the last reset threw away takes that text's. What was pasted or annotated keeps its own.
    /// O(n + edits since `after` · log n): call off the keystroke path. Returns whether
    /// anything changed.
    bool reloaded_from_disk(int64_t after, int64_t upto, uint32_t since);
    /// The version whose change last inserted text inferred typed (0: none yet).
    int64_t last_typed_version() const;
    /// When a change last made the text HEAD's (the clock's second), once: the journal
    /// entry's older evidence is then stale (it described text the change threw away).
    std::optional<uint32_t> take_base_reset();

    /// The text and attribution, O(n).
    Snapshot snapshot() const;
    std::string text() const;
    /// The text at `version`: this one, or an older one the edit history still reaches,
    /// rebuilt from the edits since (none when it no longer reaches it). O(n + edits since ·
    /// their pieces): for rare look-ups off the keystroke path (a look at the file on disk
    /// that typing overtook).
    std::optional<std::string> text_at(int64_t version) const;
    size_t size_bytes() const;
    size_t line_count() const;

    /// Line classes and origin ids (in origins()), O(n).
    std::vector<LineVerdict> classify(CharCounts* chars = nullptr) const;
    const OriginTable& origins() const { return origins_; }

    /// Position <-> byte offset in this document's encoding, O(log n). A position past the
    /// end of a line or in the middle of a multi-unit character is an error.
    Result<size_t> offset_of(Position p) const;
    Position position_of(size_t byte_offset) const;

    /// Messages about annotations dropped since the last call (for the log).
    std::vector<std::string> take_dropped_annotations();
    /// The lines annotations attributed to each AI origin since the last call (non-blank
    /// lines with at least one character newly the origin's): the session's `generated`
    /// count for completions, which no hook reports (docs/model.md §7).
    std::vector<std::pair<OriginRecord, uint64_t>> take_generated();

    /// Why the last change that inserted text without evidence was labelled `unknown`
    /// (e.g. "insert of 400 characters over 12 lines with no annotation"); empty if none.
    const std::string& last_unknown_reason() const;

    /// Bytes of memory the document holds (text tree, history, deleted spans): approximate.
    size_t memory_bytes() const;

private:
    struct Pending;
    struct Piece;
    /// Applies the annotations held for a version once that version's edits are complete.
    void apply_held_annotations() const;
    void count_generated(uint32_t origin,
                         const std::vector<std::pair<size_t, size_t>>& ranges) const;
    Status apply_pieces(int64_t new_version, std::vector<Piece>& pieces, EditReason reason,
                        bool replacement);
    void remember_lines(const std::vector<Piece>& pieces, const std::vector<std::string>& removed,
                        bool replacement);
    /// Updates the byte histogram against HEAD's text for removed / inserted bytes.
    void count_base(std::string_view bytes, int sign);
    /// After a change: when the text is now exactly HEAD's, relabels what `pieces` inserted
    /// (and unobserved fresh text) with HEAD's attribution (set_base), and keeps `before`
    /// (the text and attribution just before the change) as what the reset threw away.
    void match_base(const std::vector<Piece>& pieces, Snapshot before);
    /// After a reload (not typing): when the text is now exactly the text the last match_base
    /// threw away, relabels what `pieces` inserted (and text no person was seen typing) with
    /// that text's attribution, once.
    void match_before_reset(const std::vector<Piece>& pieces);
    /// Where each of `pieces` inserted, in the text after them: (piece index, offset).
    static std::vector<std::pair<size_t, size_t>> inserted_at(const std::vector<Piece>& pieces);
    /// Gives the text (`cur`, equal to `base.text`) `base`'s attribution where `pieces`
    /// inserted and where no person was seen typing or pasting: any the sidecar saw
    /// (`typed_since` 0: a reset to HEAD), or only pending typing seen in second
    /// `typed_since` or later (text coming back after the reset of that second).
    void relabel(const std::vector<Piece>& pieces, const Snapshot& base, const Snapshot& cur,
                 uint32_t typed_since);
    /// apply_restored's: the deleted `text` (remembered in the deleted spans) takes the
    /// `restored` attribution where it had none, except where `restored` says `inserted_since`.
    void remember_restored(const std::string& text, const std::vector<Run>& restored,
                           uint32_t inserted_since);
    void rematch_moved_lines(const std::vector<Piece>& pieces,
                             const std::vector<const std::vector<Run>*>& restore, bool unknown);
    /// The ranges of the current text that the edits of versions (after, upto] inserted (not
    /// those the deleted-span store gave back), moved and cut by the later edits as the text
    /// was; none when the edit history no longer reaches `after`.
    std::optional<std::vector<std::pair<size_t, size_t>>> inserted_between(int64_t after,
                                                                           int64_t upto) const;
    Status apply_annotation(int64_t version, uint32_t origin, OriginClass cls,
                            const std::vector<TextRange>& ranges) const;
    std::unique_ptr<OriginText> text_;
    OriginTable origins_;
    int64_t version_ = 0;
    PositionEncoding encoding_ = PositionEncoding::Utf16;
    std::unique_ptr<Pending> pending_; // held annotations, edit history, deleted spans
    Clock clock_;
};

} // namespace provenant
