// Journal::rename: a file's pending provenance follows the file to its new path.
#include "journal/journal.h"

namespace provenant {

Result<bool> Journal::rename(const std::string& from, const std::string& to,
                             const RenameCheck& accept) {
    if (Status st = validate_repo_path(from); !st) return st.error();
    if (Status st = validate_repo_path(to); !st) return st.error();
    if (from == to) return false;
    auto t = lock();
    if (!t) return t.error();
    auto old = t->load(from);
    if (!old) return old.error().context("renaming the journal entry of " + from);
    if (!*old) return false;
    try {
        if (accept && !accept(**old)) return false;
    } catch (const std::exception& e) {
        return make_error(ErrorKind::io, "renaming the journal entry of " + from + ": " + e.what());
    }
    // Replace, never merge: an entry already under `to` describes text that the rename has
    // just replaced (a file deleted there earlier), and carrying its evidence onto the moved
    // text by diff could credit characters that merely coincide.
    JournalEntry moved = std::move(**old);
    moved.path = to;
    if (Status st = t->store(moved); !st)
        return st.error().context("renaming the journal entry of " + from + " to " + to);
    if (Status st = t->remove(from); !st)
        return st.error().context("renaming the journal entry of " + from + " to " + to);
    return true;
}

} // namespace provenant
