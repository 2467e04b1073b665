// OriginText: the text of a document and the attribution of every byte, as a balanced tree
// of chunks with cached sums, so edits and position conversion cost O(log n).
#pragma once

#include "core/provenance.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace provenant {

/// What a character offset counts (LSP positionEncoding, and bytes).
enum class Units : uint8_t { Bytes, Utf16, CodePoints };

/// A treap of text chunks (at most kMaxChunk bytes each), each chunk with its attribution
/// runs and its counts (bytes, UTF-16 units, code points, line breaks), and every node with
/// the sums of its subtree. Line breaks are \n, \r\n (once) and a lone \r, as LSP defines.
/// Invalid UTF-8 never fails: each invalid byte is one code point and one UTF-16 unit.
///
/// Chunk boundaries are chosen so that counting each chunk on its own gives the counts of
/// the whole text: a boundary never splits a \r\n pair or a character (it sits before a
/// byte that is not a continuation byte, or after three continuation bytes). Edits keep
/// that invariant: an edit that stays clear of its chunk's ends is done in place; any other
/// edit rebuilds the few chunks around it.
///
/// Edits cost O(log n + edit size + chunk size). Not thread-safe: one owner thread.
class OriginText {
public:
    static constexpr size_t kMaxChunk = 1024;

    OriginText();
    /// The text with one attr for every byte.
    OriginText(std::string_view text, Attr attr);
    /// The text with `runs` (lengths must sum to text.size()).
    OriginText(std::string_view text, const std::vector<Run>& runs);
    ~OriginText();
    OriginText(OriginText&&) noexcept;
    OriginText& operator=(OriginText&&) noexcept;
    OriginText(const OriginText&) = delete;
    OriginText& operator=(const OriginText&) = delete;

    size_t size() const;
    bool empty() const { return size() == 0; }
    /// Line breaks + 1 (an empty text has one line).
    size_t line_count() const;
    /// Total units of the whole text.
    uint64_t total_units(Units u) const;

    /// Replaces bytes [off, off+len) with `text`, all of it with `attr`. Offsets are clamped.
    void replace(size_t off, size_t len, std::string_view text, Attr attr);
    /// Same, with per-byte attribution `runs` (lengths sum to text.size()).
    void replace(size_t off, size_t len, std::string_view text, const std::vector<Run>& runs);
    /// Sets the attr of bytes [off, off+len).
    void set_attr(size_t off, size_t len, Attr attr);
    /// Replaces each attr `a` of bytes [off, off+len) with `f(a)`.
    void update_attrs(size_t off, size_t len, const std::function<Attr(const Attr&)>& f);

    std::string substr(size_t off, size_t len) const;
    /// The runs of [off, off+len), adjacent equal runs merged.
    std::vector<Run> runs(size_t off, size_t len) const;
    /// The byte at `off` (must be < size()).
    char byte_at(size_t off) const;

    /// The offset where line `line` starts (the text's size if line >= line_count()).
    size_t line_start(size_t line) const;
    /// The offset where line `line`'s content ends (before its break).
    size_t line_content_end(size_t line) const;
    /// The line holding offset `off`: the number of breaks that end at or before it.
    size_t line_of(size_t off) const;
    /// Units of the characters before `off` (a character cut by `off` counts its bytes as
    /// invalid ones).
    uint64_t units_before(size_t off, Units u) const;
    /// The offset with exactly `n` units before it, or nullopt when `n` falls inside a
    /// character (a surrogate pair, or a multi-byte sequence in bytes) or past the end.
    std::optional<size_t> offset_at_units(uint64_t n, Units u) const;

    /// The outcome of `locate`.
    enum class Locate : uint8_t { Ok, LinePastEnd, PastLineEnd, InsideCharacter };
    /// (line, n units from its start) -> byte offset, strictly: the line must exist, `n` must
    /// not pass the end of the line's content nor fall inside a character. One descent and a
    /// scan from the line's start in the common case (the keystroke path).
    Locate locate(size_t line, uint64_t n, Units u, size_t& offset) const;

    /// The whole text and its runs (merged across chunks). O(n).
    void export_to(std::string& text, std::vector<Run>& runs) const;

    /// Checks every cached sum and the chunk invariants; returns a description of the
    /// first problem, or empty. O(n): tests only.
    std::string check() const;
    /// Bytes of heap used (approximate: nodes, text capacity, runs capacity).
    size_t memory_bytes() const;

    struct Node; ///< implementation detail (origin_text.cpp)

private:
    Node* root_ = nullptr;
    uint64_t seed_ = 0x9E3779B97F4A7C15ull;

    /// Where line `line` (1 ≤ line ≤ line breaks) starts: the chunk holding its first byte,
    /// that chunk's offset in the text, and the start inside it. Null chunk when the line
    /// starts at the very end. O(log n).
    struct LineStart {
        const Node* node = nullptr;
        size_t base = 0, in_node = 0;
    };
    LineStart find_line_start(size_t line) const;

    uint32_t next_priority();
    Node* build(std::string_view text, const std::vector<Run>& runs);
    bool replace_in_place(size_t off, size_t len, std::string_view text,
                          const std::vector<Run>& runs);
};

} // namespace provenant
