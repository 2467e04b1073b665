// Carrying a journal entry onto the text a document is reopened with (didOpen).
#pragma once

#include "core/provenance.h"

#include <string_view>

namespace provenant {

/// `carry` (core/carry.h) for a document reopened on its file, `from` being its journal
/// entry: also, a changed hunk that only removes characters the sidecar saw typed (inferred,
/// observed, fresh: unsaved typing lost in a crash) keeps every other character of it. Never
/// for an agent's edit or a merge, where removed typing says nothing about the rest.
Snapshot carry_restored(const Snapshot& from, std::string_view new_text, Attr inserted,
                        const OriginRecord& inserted_record);

} // namespace provenant
