// Support for the ported scenarios.
#include "scenario_support.h"

#include "core/carry.h"
#include "core/document.h"
#include "git/note_store.h"
#include "git/repository.h"
#include "journal/journal.h"

#include <doctest/doctest.h>
#include <filesystem>

namespace provenant::test {

OriginRecord claude() {
    OriginRecord r;
    r.cls = OriginClass::Ai;
    r.tool = "claude-code";
    r.kind = "agent";
    r.model = "claude-sonnet-4";
    r.session = "s-claude";
    return r;
}

OriginRecord codex() {
    OriginRecord r;
    r.cls = OriginClass::Ai;
    r.tool = "codex";
    r.kind = "agent";
    r.model = "gpt-5.4";
    r.session = "s-codex";
    return r;
}

OriginRecord person() {
    OriginRecord r;
    r.cls = OriginClass::Human;
    return r;
}

ScenarioRepo::ScenarioRepo() {
    auto r = provenant({"install"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

void ScenarioRepo::edit(const std::string& rel, const std::string& text,
                        const OriginRecord& who) const {
    wait_for_pending_notes(path()); // like every journal writer: the last note first
    std::optional<std::string> head;
    {
        auto repo = git::Repo::open(path());
        REQUIRE(repo.ok());
        if (auto id = repo->resolve("HEAD"); id.ok())
            if (auto t = repo->text_at(*id, rel); t.ok() && *t) head = **t;
    }
    write(rel, text);
    Journal journal(std::filesystem::canonical(path() + "/.git"));
    const Evidence ev = who.cls == OriginClass::Human ? Evidence::Inferred : Evidence::Recorded;
    auto st = journal.update(rel, [&](std::optional<JournalEntry> cur) {
        Snapshot base =
            cur ? cur->snapshot
                : Snapshot::uniform(head.value_or(""), OriginRecord{}, Evidence::None, false);
        JournalEntry e;
        e.path = rel;
        if (who.cls == OriginClass::Human) {
            // A watched person's edit is what the sidecar sees: its own edit path diffs the
            // keystrokes to characters (an observation), which carrying by content does not.
            // A person types one change at a time: each edit of the character diff is its own
            // didChange (applied last first, so earlier offsets stay valid).
            Document doc(base.text, 1, PositionEncoding::Utf8, &base);
            int64_t version = 1;
            const std::vector<ByteEdit> edits = diff_edits(base.text, text);
            for (size_t k = edits.size(); k-- > 0;) {
                const ByteEdit& be = edits[k];
                const TextRange range{doc.position_of(be.offset),
                                      doc.position_of(be.offset + be.removed)};
                Status applied = doc.apply_change(
                    ++version, range,
                    std::string_view(text).substr(be.inserted_offset, be.inserted));
                REQUIRE_MESSAGE(applied.ok(), (applied.ok() ? "" : applied.error().message));
            }
            e.snapshot = doc.snapshot();
        } else {
            e.snapshot = carry(base, text, Attr{0, ev, true}, who);
        }
        e.writer = who.cls == OriginClass::Human ? "lsp" : "hook:" + who.tool;
        return std::optional<JournalEntry>(std::move(e));
    });
    REQUIRE_MESSAGE(st.ok(), (st.ok() ? "" : st.error().message));
}

NoteLine note_line(const TempRepo& repo, const std::string& rev, const std::string& path,
                   uint32_t line) {
    wait_for_pending_notes(repo.path());
    auto r = git::Repo::open(repo.path());
    REQUIRE(r.ok());
    auto id = r->resolve(rev);
    REQUIRE(id.ok());
    git::NoteStore store(*r);
    auto n = store.read(*id);
    REQUIRE_MESSAGE(n.ok(), (n.ok() ? "" : n.error().message));
    if (!*n) return {LineClass::Blank, "no note"};
    auto f = (*n)->files.find(path);
    if (f == (*n)->files.end()) return kNotAdded;
    auto l = f->second.lookup(line);
    if (!l) return kNotAdded;
    auto o = (*n)->origins.find(l->second);
    return {l->first, o == (*n)->origins.end() ? "" : o->second.record.tool};
}

std::vector<NoteLine> note_lines(const TempRepo& repo, const std::string& rev,
                                 const std::string& path, uint32_t count) {
    std::vector<NoteLine> out(1, kNotAdded);
    for (uint32_t l = 1; l <= count; ++l)
        out.push_back(note_line(repo, rev, path, l));
    return out;
}

std::string describe(const NoteLine& l) {
    return std::string(to_string(l.first)) + (l.second.empty() ? "" : " " + l.second);
}

} // namespace provenant::test
