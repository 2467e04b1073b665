// Helpers shared by the LSP end-to-end tests: typing, journal reads, provenance comparison.
#pragma once

#include "journal/journal.h"
#include "support/lsp_client.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <string>

namespace provenant::test {

/// Types `text` one character (code point) at a time at (line, character), as an editor
/// sends keystrokes; `version` is incremented per keystroke. Positions advance in the
/// encoding given (`units_per_char` returns the width of a code point); '\n' moves to the
/// next line. Works for the ASCII and BMP text the tests type.
inline void type_text(LspClient& c, const std::string& uri, int64_t& version, uint32_t line,
                      uint32_t character, const std::string& text) {
    for (size_t i = 0; i < text.size();) {
        size_t len = 1;
        unsigned char b = static_cast<unsigned char>(text[i]);
        if (b >= 0xF0)
            len = 4;
        else if (b >= 0xE0)
            len = 3;
        else if (b >= 0xC0)
            len = 2;
        std::string ch = text.substr(i, len);
        c.did_change(uri, ++version, lsp_range(line, character, line, character), ch);
        if (ch == "\n") {
            ++line;
            character = 0;
        } else {
            character += len == 4 ? 2 : 1; // utf-16 units
        }
        i += len;
    }
}

/// The journal entry of `rel` in `repo`, FAILing when there is none.
inline JournalEntry journal_entry(const TempRepo& repo, const std::string& rel) {
    wait_for_pending_notes(repo.path());
    auto loc = find_repository(repo.path());
    REQUIRE(loc.has_value());
    Journal journal(loc->gitdir);
    auto entry = journal.load(rel);
    REQUIRE_MESSAGE(entry.ok(), entry.error().message);
    REQUIRE_MESSAGE(entry->has_value(), "no journal entry for " << rel);
    return std::move(**entry);
}

/// documentProvenance without the uri, for comparing two documents.
inline json without_uri(json provenance) {
    provenance.erase("uri");
    return provenance;
}

} // namespace provenant::test
