// Carrying a journal entry onto the text a document is reopened with (didOpen).
#pragma once

#include "core/provenance.h"

#include <cstdint>
#include <string_view>

namespace provenant {

/// The latest typing a file held when the sidecar knew it was on disk (the editor saved it):
/// every character the sidecar saw typed (Evidence::Inferred, Attr::seen) later than `seen`
/// was typed after that save, and of those typed in the second `seen` itself the file held
/// `bytes`. A reopen after a crash uses it to tell typing that never reached the file from
/// saved typing that a checkout removed.
struct SavedTyping {
    uint32_t seen = 0;  ///< 0: no typing was saved
    uint64_t bytes = 0; ///< bytes of typing observed in the second `seen` that the file held
    bool operator==(const SavedTyping&) const = default;
};

/// The SavedTyping of `s` when the file holds exactly `s.text`. O(runs).
SavedTyping saved_typing(const Snapshot& s);

/// `carry` (core/carry.h) for a document reopened on its file, `from` being its journal entry
/// and `saved` what the entry knows of the last save: when `new_text` is exactly `from` less
/// characters the sidecar saw typed after that save (unsaved typing lost in a crash; of those
/// typed in the second of the save, the file keeps `saved.bytes`), every other character keeps
/// its attribution, however the line diff would align them. Anything else (a checkout or a
/// restore that brings back older text, a change made outside) is an ordinary `carry`: typing
/// that reached the file and is gone from it says nothing about what replaced it, even when
/// it spells the same letters. Never for an agent's edit or a merge.
Snapshot carry_restored(const Snapshot& from, std::string_view new_text, Attr inserted,
                        const OriginRecord& inserted_record, const SavedTyping& saved);

} // namespace provenant
