// A provenant/1 note read straight from its text into a Note, without a JSON document.
#pragma once

#include "protocol/note.h"

#include <optional>
#include <string_view>

namespace provenant {

/// The note `text` holds, read as note_from_json reads the document parsed from it, or
/// nullopt: for every text that reader refuses, and for the rare forms this one leaves to it
/// (a key twice in an object it reads, a null where it reads a value other than "parent",
/// "rewrite", "funnel" or a field that may be absent, a count not written as plain digits, a
/// note that comes near the line budget). parse_note calls this first and reads anything it
/// declines through the document, so a declined note is read (or refused, with its error)
/// exactly as before. A walk reads a note per commit: nlohmann's document was a fifth of a
/// cold report's instructions. Never throws (bar std::bad_alloc). Pure.
std::optional<Note> read_note_text(std::string_view text);

/// The same for a reader of one file: the note with only `path`'s entry in `files`, as
/// read_note_text reads the text parse_note_for selects (the other entries checked for JSON
/// syntax only, their keys and contents not read), or nullopt for whatever read_note_text
/// would decline or refuse in that text (`path`'s entry twice, for one). parse_note_for calls
/// this first: selecting the entry into a new text and reading that was a second scan and a
/// copy of every note blame reads. Never throws (bar std::bad_alloc). Pure.
std::optional<Note> read_note_text_for(std::string_view text, std::string_view path);

} // namespace provenant
