// libFuzzer target: the journal entry reader (entries on disk are untrusted: anything the
// user runs can write `.git/provenant`). Any input parses or is refused without crashing; an
// entry that parses is valid, and writes and reads back to the same entry.
#include "journal/entry_format.h"
#include "journal/journal.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace provenant;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)entry_path_from_prefix(text);
    ParsedEntry parsed = parse_entry(text);
    if (parsed.kind != ParsedEntry::Ok) return 0;
    if (!parsed.entry.snapshot.validate()) std::abort();
    auto written = journal_entry_to_text(parsed.entry);
    if (!written) return 0; // text JSON cannot carry (it came in escaped): refused, not stored
    ParsedEntry again = parse_entry(*written);
    if (again.kind != ParsedEntry::Ok || again.entry.path != parsed.entry.path ||
        again.entry.snapshot.text != parsed.entry.snapshot.text ||
        again.entry.snapshot.runs != parsed.entry.snapshot.runs)
        std::abort();
    if (entry_path_from_prefix(*written) != parsed.entry.path) std::abort();
    return 0;
}
