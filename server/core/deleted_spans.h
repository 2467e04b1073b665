// The bounded store of recently deleted text and its attribution, matched by content, so
// that undo/redo and cut/paste give text its origin back.
#pragma once

#include "core/provenance.h"

#include <list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace provenant {

/// An LRU map from deleted text (exact bytes) to its runs (origin ids of the owning
/// document's table). Bounded in entries and bytes; spans larger than a quarter of the byte
/// budget are not kept. Not thread-safe: owned by one Document.
class DeletedSpans {
public:
    explicit DeletedSpans(size_t max_bytes = 1u << 20, size_t max_entries = 512);

    /// Remembers `text` (deleted) with its `runs`; the newest span with equal text wins.
    void remember(std::string_view text, std::vector<Run> runs);
    /// The runs of a recently deleted span with exactly this text, or null. Marks it used.
    const std::vector<Run>* find(std::string_view text);

    size_t size() const { return entries_.size(); }
    size_t bytes() const { return bytes_; }

private:
    struct Entry {
        std::string text;
        std::vector<Run> runs;
    };
    size_t max_bytes_, max_entries_;
    size_t bytes_ = 0;
    std::list<Entry> entries_; // most recent first
    std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;

    void evict();
};

} // namespace provenant
