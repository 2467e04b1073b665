// One file's entry of a note read without the others: the whole text checked for JSON syntax as
// nlohmann's parser checks it, then only the note's own fields and that entry parsed into values
// (straight from the text when its reader can, else from a text holding only those).
#include "protocol/note.h"
#include "protocol/note_text.h"
#include "support/json_scan.h"
#include "support/quoted_path.h"

namespace provenant {

namespace {

/// Whether the key token `span` (quotes included) is the string `want`.
bool key_is(std::string_view span, bool escaped, std::string_view want) {
    if (!escaped) return span.substr(1, span.size() - 2) == want;
    const nlohmann::json decoded = nlohmann::json::parse(span, nullptr, false);
    return decoded.is_string() && decoded.get_ref<const std::string&>() == want;
}

} // namespace

Result<Note> parse_note_for(std::string_view text, std::string_view path) {
    // Anything but a well-formed object is left to the whole parse, for its error.
    if (text.size() > kMaxNoteBytes) return parse_note(text);
    // Most notes are read straight from the text, the other entries skipped; the rest (and
    // every faulty one, for its error) by selecting the entry into a text of its own.
    if (auto note = read_note_text_for(text, path)) return std::move(*note);
    JsonScanner s(text);
    s.ws();
    if (!s.take('{')) return parse_note(text);
    const std::string want = note_path_key(path);
    std::string kept = "{";                // the members other than "files", as they are
    std::optional<std::string_view> files; // the last "files" value
    std::optional<std::string> entry;      // its member for `path`: "key":value
    bool files_object = false;
    s.ws();
    if (!s.take('}')) {
        for (;;) {
            std::string_view key;
            bool escaped = false;
            if (!s.key(key, escaped)) return parse_note(text);
            s.ws();
            const size_t start = s.at();
            if (key_is(key, escaped, "files")) {
                // The last "files" wins, as in nlohmann's parse: it replaces an earlier one.
                entry.reset();
                files_object = s.take('{');
                if (files_object) {
                    s.ws();
                    if (!s.take('}'))
                        for (;;) {
                            std::string_view fkey;
                            bool fescaped = false;
                            if (!s.key(fkey, fescaped)) return parse_note(text);
                            s.ws();
                            const size_t fstart = s.at();
                            if (!s.value()) return parse_note(text);
                            if (key_is(fkey, fescaped, want)) // the last one wins here too
                                entry = std::string(fkey) + ":" +
                                        std::string(text.substr(fstart, s.at() - fstart));
                            s.ws();
                            if (s.take(',')) continue;
                            if (!s.take('}')) return parse_note(text);
                            break;
                        }
                } else if (!s.value()) {
                    return parse_note(text);
                }
                files = text.substr(start, s.at() - start);
            } else {
                if (!s.value()) return parse_note(text);
                kept += key;
                kept += ':';
                kept += text.substr(start, s.at() - start);
                kept += ',';
            }
            s.ws();
            if (s.take(',')) continue;
            if (!s.take('}')) return parse_note(text);
            break;
        }
    }
    s.ws();
    if (!s.done()) return parse_note(text);
    if (files) {
        kept += "\"files\":";
        if (files_object)
            kept += "{" + entry.value_or("") + "}";
        else
            kept += *files; // not an object: the reader says so
    } else if (kept.back() == ',') {
        kept.pop_back();
    }
    kept += '}';
    return parse_note(kept);
}

} // namespace provenant
