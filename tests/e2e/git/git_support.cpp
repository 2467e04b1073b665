// Helpers for the git e2e tests.
#include "git_support.h"

#include "journal/journal.h"

#include <doctest/doctest.h>
#include <filesystem>

namespace provenant::test {

OriginRecord ai_origin(const std::string& tool, const std::string& model,
                       const std::string& session) {
    OriginRecord r;
    r.cls = OriginClass::Ai;
    r.tool = tool;
    r.kind = "agent";
    r.model = model;
    r.session = session;
    r.request = "toolu_1";
    return r;
}

OriginRecord human_origin() {
    OriginRecord r;
    r.cls = OriginClass::Human;
    return r;
}

void put_journal(const TempRepo& repo, const std::string& path, const std::vector<Span>& spans,
                 bool write_file) {
    Snapshot s;
    for (const Span& sp : spans) {
        const uint32_t id = s.origins.intern(sp.origin);
        const Evidence ev =
            sp.origin.cls == OriginClass::Unknown ? Evidence::None : Evidence::Recorded;
        s.text += sp.text;
        s.push_run(static_cast<uint32_t>(sp.text.size()), Attr{id, ev, sp.fresh});
    }
    REQUIRE(s.validate().ok());
    wait_for_pending_notes(repo.path()); // like every journal writer: the last note first
    if (write_file) repo.write(path, s.text);
    Journal journal(std::filesystem::canonical(repo.path() + "/.git"));
    auto r = journal.update(path, [&](std::optional<JournalEntry>) {
        JournalEntry e;
        e.path = path;
        e.snapshot = s;
        e.writer = "test";
        return std::optional<JournalEntry>(e);
    });
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
}

bool has_note(const TempRepo& repo, const std::string& rev) {
    return repo.git({"notes", "--ref=provenant", "show", rev}, true).exit_code == 0;
}

std::string schema_errors(const std::string& json_text) {
    TempDir dir;
    write_text(dir.path() + "/note.json", json_text);
    const std::string script =
        "import json, sys, jsonschema\n"
        "schema = json.load(open(sys.argv[1]))\n"
        "note = json.load(open(sys.argv[2]))\n"
        "errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(note)]\n"
        "print('\\n'.join(errors)); sys.exit(1 if errors else 0)\n";
    auto r = run({"/usr/bin/python3", "-c", script,
                  std::string(PROVENANT_SOURCE_DIR) + "/protocol/schema/note-v1.schema.json",
                  dir.path() + "/note.json"});
    if (r.exit_code == 0) return {};
    return r.out + r.err + (r.exit_code == 127 ? " (is python3-jsonschema installed?)" : "");
}

Note read_note(const TempRepo& repo, const std::string& rev) {
    auto r = repo.git({"notes", "--ref=provenant", "show", rev}, true);
    REQUIRE_MESSAGE(r.exit_code == 0, "no provenant note on " << rev << ": " << r.err);
    const std::string errors = schema_errors(r.out);
    CHECK_MESSAGE(errors.empty(), "note of " << rev << " violates the schema: " << errors << "\n"
                                             << r.out);
    auto note = parse_note(r.out);
    REQUIRE_MESSAGE(note.ok(), (note.ok() ? "" : note.error().message));
    return *note;
}

int journal_fresh(const TempRepo& repo, const std::string& path) {
    wait_for_pending_notes(repo.path());
    Journal journal(std::filesystem::canonical(repo.path() + "/.git"));
    auto e = journal.load(path);
    REQUIRE(e.ok());
    if (!*e) return -1;
    for (const Run& r : (*e)->snapshot.runs)
        if (r.attr.fresh) return 1;
    return 0;
}

} // namespace provenant::test
