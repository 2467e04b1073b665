// The deleted-span store: LRU by content, bounded by bytes and entries.
#include "core/deleted_spans.h"

namespace provenant {

DeletedSpans::DeletedSpans(size_t max_bytes, size_t max_entries)
    : max_bytes_(max_bytes), max_entries_(max_entries) {}

void DeletedSpans::remember(std::string_view text, std::vector<Run> runs) {
    if (text.empty() || text.size() > max_bytes_ / 4) return;
    if (auto it = index_.find(text); it != index_.end()) {
        it->second->runs = std::move(runs);
        entries_.splice(entries_.begin(), entries_, it->second);
        return;
    }
    entries_.push_front(Entry{std::string(text), std::move(runs)});
    index_.emplace(entries_.front().text, entries_.begin());
    bytes_ += text.size();
    evict();
}

const std::vector<Run>* DeletedSpans::find(std::string_view text) {
    auto it = index_.find(text);
    if (it == index_.end()) return nullptr;
    entries_.splice(entries_.begin(), entries_, it->second);
    return &it->second->runs;
}

void DeletedSpans::evict() {
    while (!entries_.empty() && (bytes_ > max_bytes_ || entries_.size() > max_entries_)) {
        const Entry& last = entries_.back();
        bytes_ -= last.text.size();
        index_.erase(std::string_view(last.text));
        entries_.pop_back();
    }
}

} // namespace provenant
