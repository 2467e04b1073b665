// libFuzzer target: the note readers (provenant/1 and git-ai's authorship log). Any input is
// read without crashing, within bounds; what reads back is written and read again to the same
// note (a note we accept is one we can write).
#include "protocol/gitai_note.h"
#include "protocol/note.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace provenant;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto note = parse_note(text)) {
        const std::string again = serialize_note(*note);
        auto reread = parse_note(again);
        if (!reread || serialize_note(*reread) != again) std::abort();
    }
    if (auto g = parse_gitai_note(text)) {
        const std::string again = serialize_gitai_note(*g);
        if (!parse_gitai_note(again)) std::abort();
        (void)gitai_note_to_note(*g);
    }
    return 0;
}
