// Helpers for the journal's end-to-end tests (editor_session.h).
#include "editor_session.h"

#include "journal/journal.h"

#include <algorithm>
#include <doctest/doctest.h>

namespace provenant::test {
using nlohmann::json;

json pos(int line, int character) {
    return {{"line", line}, {"character", character}};
}
json range(int l0, int c0, int l1, int c1) {
    return {{"start", pos(l0, c0)}, {"end", pos(l1, c1)}};
}

void agent_writes(const TempRepo& r, const std::string& agent, const std::string& path,
                  const std::string& before, const std::string& after) {
    r.write(path, after);
    json j = {{"agent", agent},
              {"model", agent + "-model"},
              {"session", agent + "-session"},
              {"cwd", r.path()},
              {"files", {{{"path", path}, {"before", before}, {"after", after}}}}};
    auto res = r.provenant({"hook", "generic"}, j.dump());
    REQUIRE_MESSAGE(res.exit_code == 0, res.err);
}

void age_entry(const TempRepo& r, const std::string& path, uint32_t seconds) {
    auto loc = provenant::find_repository(r.path());
    REQUIRE(loc);
    provenant::Journal journal(loc->gitdir);
    REQUIRE(journal
                .update(path,
                        [seconds](std::optional<provenant::JournalEntry> e) {
                            if (!e) return e;
                            for (provenant::Run& run : e->snapshot.runs)
                                if (run.attr.seen != 0) run.attr.seen -= seconds;
                            return e;
                        })
                .ok());
}

void type_line(LspClient& lsp, const std::string& uri, int64_t& v, int line,
               const std::string& text) {
    int col = 0;
    for (char c : text) {
        lsp.did_change(uri, ++v, range(line, col, line, col), std::string(1, c));
        ++col;
    }
}

void reload_from_disk(LspClient& lsp, const std::string& uri, int64_t& v, Reload how,
                      const std::string& from, const std::string& to) {
    const auto a = lines_of(from), b = lines_of(to);
    if (how == Reload::Full) {
        lsp.did_change_full(uri, ++v, to);
    } else if (how == Reload::Range) {
        size_t head = 0, tail = 0;
        while (head < a.size() && head < b.size() && a[head] == b[head])
            ++head;
        while (tail < a.size() - head && tail < b.size() - head &&
               a[a.size() - 1 - tail] == b[b.size() - 1 - tail])
            ++tail;
        std::string text;
        for (size_t k = head; k < b.size() - tail; ++k)
            text += b[k];
        lsp.did_change(
            uri, ++v, range(static_cast<int>(head), 0, static_cast<int>(a.size() - tail), 0), text);
    } else {
        const std::vector<LineHunk> hunks = line_hunks(from, to);
        for (size_t k = hunks.size(); k-- > 0;)
            lsp.did_change(
                uri, ++v, range(static_cast<int>(hunks[k].a0), 0, static_cast<int>(hunks[k].a1), 0),
                hunks[k].text);
    }
    lsp.sync();
}

json note_file(const TempRepo& r, const std::string& path) {
    auto res = r.provenant({"show", "--json"});
    REQUIRE_MESSAGE(res.exit_code == 0, res.err);
    json note = json::parse(res.out);
    INFO(note.dump(2));
    REQUIRE(note["files"].contains(path));
    return note["files"][path];
}

} // namespace provenant::test
