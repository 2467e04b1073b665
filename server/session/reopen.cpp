// Restoring a document from its journal entry (session/reopen.h).
#include "session/reopen.h"

#include "core/base.h"
#include "core/left_lines.h"

#include <spdlog/spdlog.h>

namespace provenant::session {

bool same_attribution(const Snapshot& a, const Snapshot& b) {
    if (a.text != b.text || a.runs.size() != b.runs.size()) return false;
    for (size_t i = 0; i < a.runs.size(); ++i) {
        const Run& x = a.runs[i];
        const Run& y = b.runs[i];
        if (x.length != y.length || x.attr.evidence != y.attr.evidence ||
            x.attr.fresh != y.attr.fresh || x.attr.seen != y.attr.seen ||
            !(a.origins.at(x.attr.origin) == b.origins.at(y.attr.origin)))
            return false;
    }
    return true;
}

Snapshot drop_older_evidence(const Snapshot& entry, uint32_t second) {
    Snapshot out;
    out.text = entry.text;
    out.origins = entry.origins;
    for (const Run& r : entry.runs)
        out.push_run(r.length, r.attr.fresh && r.attr.seen < second ? Attr{} : r.attr);
    return out;
}

Snapshot drop_typing_since(const Snapshot& entry, uint32_t second) {
    Snapshot out;
    out.text = entry.text;
    out.origins = entry.origins;
    for (const Run& r : entry.runs) {
        const Attr& a = r.attr;
        const bool typed = typed_since(a, entry.origins.class_of(a.origin), second);
        out.push_run(r.length, typed ? Attr{kUnknownOrigin, Evidence::None, a.fresh, 0} : a);
    }
    return out;
}

Result<Reopened> reopen(Journal& journal, const std::string& path, std::string_view text,
                        const std::string* head) {
    auto loaded = journal.load(path);
    if (!loaded.ok()) return loaded.error();
    std::optional<JournalEntry> entry = std::move(*loaded);
    if (entry) {
        if (auto v = entry->snapshot.validate(); !v.ok()) {
            spdlog::warn("session: the journal entry of {} is not usable: {}", path,
                         v.error().message);
            entry.reset();
        }
    }
    Reopened out;
    if (head)
        out.base = std::make_shared<const Snapshot>(
            head_meaning(entry ? &entry->snapshot : nullptr, *head));
    if (!entry) return out;
    const SavedTyping saved = entry->saved.value_or(SavedTyping{});
    Restore r = restore_reopened(entry->snapshot, text, saved, head);
    // Lines a stash or a branch switch took away, back exactly where nothing explains them.
    const std::vector<Snapshot> left = entry->left.value_or(std::vector<Snapshot>{});
    if (const size_t n = give_back_left(r.snapshot, left); n > 0)
        spdlog::debug("session: {}: {} block(s) of lines that had left came back", path, n);
    spdlog::debug("session: {} reopened on {} ({} bytes; the entry {} bytes, saved typing {} bytes "
                  "in second {})",
                  path, r.entry_stale ? "another text" : "the entry's text less lost typing",
                  text.size(), entry->snapshot.text.size(), saved.bytes, saved.seen);
    // Retired only when the file is HEAD's text (`git checkout -f`, `git restore`, a branch
    // switch): otherwise the file may hold typing the journal never got (a kill -9 between the
    // editor's write and its didSave), and the entry's evidence is still what the next merge
    // carries back by content.
    if (r.entry_stale && head && text == *head) {
        auto stored = journal.update(path, [&](std::optional<JournalEntry> current) {
            // Another writer (an agent's hook) changed it meanwhile: its evidence is new.
            if (!current || !same_attribution(current->snapshot, entry->snapshot)) return current;
            JournalEntry e;
            e.path = path;
            e.writer = "lsp";
            e.snapshot = r.snapshot;
            e.saved = saved_typing(r.snapshot); // the file holds exactly this text
            // The stale entry's lines that left are kept aside, to come back exactly.
            e.left = merge_left(lines_that_left(entry->snapshot, text), left, text);
            return std::optional<JournalEntry>(std::move(e));
        });
        if (!stored.ok())
            spdlog::warn("session: retiring the stale journal entry of {}: {}", path,
                         stored.error().message);
        else
            spdlog::debug("session: {} reopened on another text; its entry's stale evidence "
                          "retired",
                          path);
    }
    out.snapshot = std::move(r.snapshot);
    out.exact = r.exact;
    out.left = merge_left({}, left, text); // those not back already
    return out;
}

} // namespace provenant::session
