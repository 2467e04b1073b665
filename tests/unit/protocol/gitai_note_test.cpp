// git-ai notes (authorship/3.0.0): reading real-format notes, writing them, the mapping to and
// from provenant's Note, and hostile input.
#include "protocol/gitai_note.h"

#include <doctest/doctest.h>
#include <string>

using namespace provenant;

namespace {

// The sessions form as git-ai >= 1.4 writes it: two traces of one session, a known human,
// a second file, a quoted path with a space.
const char* kSessionsNote = R"(src/main.rs
  s_c9883b05a2487d::t_9f8e7d6c5b4a32 1-10,15-20
  s_c9883b05a2487d::t_a1b2c3d4e5f678 25,30-35
  h_31dce776f88375 42-50
"docs/my notes.md"
  s_e7f2a90b31cc48::t_deadbeef012345 1-3
---
{
  "schema_version": "authorship/3.0.0",
  "git_ai_version": "1.4.5",
  "base_commit_sha": "7734793b756b3921c88db5375a8c156e9532447b",
  "prompts": {},
  "humans": {
    "h_31dce776f88375": {
      "author": "Developer <dev@example.com>"
    }
  },
  "sessions": {
    "s_c9883b05a2487d": {
      "agent_id": {
        "tool": "cursor",
        "id": "6ef2299e-a67f-432b-aa80-3d2fb4d28999",
        "model": "claude-sonnet-4-5-20250514"
      },
      "human_author": "dev@example.com"
    },
    "s_e7f2a90b31cc48": {
      "agent_id": {
        "tool": "claude",
        "id": "conv_abc123def456",
        "model": "claude-sonnet-4-5-20250514"
      },
      "human_author": null,
      "custom_attributes": {
        "team": "backend"
      }
    }
  }
}
)";

// The legacy form (git-ai < 1.4): bare 16-hex prompt keys, prompt records with counters and
// an old messages array that readers skip.
const char* kLegacyNote = R"(src/main.rs
  abcd1234abcd1234 1-10,15-20
  ef0b5678ef0b5678 25,30-35
src/lib.rs
  abcd1234abcd1234 1-50
---
{
  "schema_version": "authorship/3.0.0",
  "git_ai_version": "1.0.23",
  "base_commit_sha": "7734793b756b3921c88db5375a8c156e9532447b",
  "prompts": {
    "abcd1234abcd1234": {
      "agent_id": {"tool": "cursor", "id": "6ef2299e", "model": "claude-4.5-opus"},
      "human_author": "Developer <dev@example.com>",
      "messages": [{"type": "user", "text": "hi"}],
      "total_additions": 25,
      "total_deletions": 5,
      "accepted_lines": 20,
      "overriden_lines": 0
    },
    "ef0b5678ef0b5678": {
      "agent_id": {"tool": "codex", "id": "a1b2c3d4", "model": "gpt-5"},
      "human_author": null,
      "total_additions": 6,
      "total_deletions": 0,
      "accepted_lines": 6,
      "overriden_lines": 1
    }
  }
})";

std::vector<uint32_t> range(uint32_t a, uint32_t b) {
    std::vector<uint32_t> v;
    for (uint32_t i = a; i <= b; ++i)
        v.push_back(i);
    return v;
}

std::vector<uint32_t> cat(std::vector<uint32_t> a, const std::vector<uint32_t>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
    auto p = s.find(from);
    REQUIRE(p != std::string::npos);
    return s.replace(p, from.size(), to);
}

// Line -> origin record of a Note's AI lines (ai and ai_modified), for comparing notes by
// what they claim rather than by their origin ids.
std::map<std::pair<std::string, uint32_t>, OriginRecord> ai_claims(const Note& n) {
    std::map<std::pair<std::string, uint32_t>, OriginRecord> out;
    for (const auto& [path, f] : n.files)
        for (const auto& [id, lines] : f.by_origin)
            for (uint32_t l : lines)
                out[{path, l}] = n.origins.at(id).record;
    for (const auto& [path, f] : n.files)
        for (const auto* v : {&f.ai, &f.ai_modified})
            for (uint32_t l : *v)
                out.try_emplace({path, l}, OriginRecord{OriginClass::Ai});
    return out;
}

} // namespace

TEST_CASE("gitai: reads the sessions form") {
    auto r = parse_gitai_note(kSessionsNote);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
    const GitAiNote& n = *r;
    CHECK(n.schema_version == "authorship/3.0.0");
    CHECK(n.git_ai_version == std::optional<std::string>("1.4.5"));
    CHECK(n.base_commit_sha == "7734793b756b3921c88db5375a8c156e9532447b");
    REQUIRE(n.files.size() == 2);
    CHECK(n.files[0].path == "src/main.rs");
    REQUIRE(n.files[0].entries.size() == 3);
    CHECK(n.files[0].entries[0].key == "s_c9883b05a2487d::t_9f8e7d6c5b4a32");
    CHECK(n.files[0].entries[0].lines == cat(range(1, 10), range(15, 20)));
    CHECK(n.files[0].entries[1].lines == cat({25}, range(30, 35)));
    CHECK(n.files[0].entries[2].lines == range(42, 50));
    CHECK(n.files[1].path == "docs/my notes.md");
    CHECK(n.humans.at("h_31dce776f88375") == "Developer <dev@example.com>");
    const GitAiSession& s = n.sessions.at("s_c9883b05a2487d");
    CHECK(s.agent == GitAiAgent{"cursor", "6ef2299e-a67f-432b-aa80-3d2fb4d28999",
                                "claude-sonnet-4-5-20250514"});
    CHECK(s.human_author == std::optional<std::string>("dev@example.com"));
    CHECK(n.sessions.at("s_e7f2a90b31cc48").custom_attributes.at("team") == "backend");
    CHECK_FALSE(n.sessions.at("s_e7f2a90b31cc48").human_author);
}

TEST_CASE("gitai: sessions form into a provenant Note") {
    auto r = parse_gitai_note(kSessionsNote);
    REQUIRE(r.ok());
    auto note = gitai_note_to_note(*r);
    REQUIRE_MESSAGE(note.ok(), (note.ok() ? std::string() : note.error().message));
    CHECK(note->commit == "7734793b756b3921c88db5375a8c156e9532447b");
    CHECK(note->tool == "git-ai");
    CHECK(note->tool_version == "1.4.5");
    const NoteFile& f = note->files.at("src/main.rs");
    // Two traces of one session are one origin, id = the session id.
    CHECK(f.ai == cat(cat(range(1, 10), range(15, 20)), cat({25}, range(30, 35))));
    CHECK(f.by_origin.size() == 1);
    CHECK(f.by_origin.at("s_c9883b05a2487d") == f.ai);
    CHECK(f.human == range(42, 50));
    CHECK(f.ai_modified.empty());
    CHECK(f.paste.empty());
    CHECK(f.unknown.empty()); // lines 11-14 etc. are absent: the engine counts them unknown
    CHECK_FALSE(f.lookup(12).has_value());
    CHECK(f.blob.empty());
    const OriginRecord& cursor = note->origins.at("s_c9883b05a2487d").record;
    CHECK(cursor.cls == OriginClass::Ai);
    CHECK(cursor.tool == "cursor");
    CHECK(cursor.model == "claude-sonnet-4-5-20250514");
    CHECK(cursor.session == "6ef2299e-a67f-432b-aa80-3d2fb4d28999");
    CHECK(cursor.kind.empty()); // git-ai does not say; no claim without evidence
    CHECK(note->origins.at("s_e7f2a90b31cc48").record.tool == "claude-code");
    CHECK(note->files.at("docs/my notes.md").ai == range(1, 3));
    LineCounts totals = note->line_totals();
    CHECK(totals.ai == 10 + 6 + 1 + 6 + 3);
    CHECK(totals.human == 9);
    CHECK(totals.unknown == 0);
}

TEST_CASE("gitai: reads the legacy prompts form and maps it") {
    auto r = parse_gitai_note(kLegacyNote);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
    CHECK(r->sessions.empty());
    CHECK(r->humans.empty());
    const GitAiSession& p = r->prompts.at("ef0b5678ef0b5678");
    CHECK(p.agent.tool == "codex");
    CHECK(p.total_additions == 6);
    CHECK(p.overriden_lines == 1);
    auto note = gitai_note_to_note(*r);
    REQUIRE(note.ok());
    CHECK(note->files.at("src/lib.rs").by_origin.at("abcd1234abcd1234") == range(1, 50));
    CHECK(note->origins.at("ef0b5678ef0b5678").record.model == "gpt-5");
    CHECK(note->files.at("src/main.rs").ai.size() == 16 + 7);
}

TEST_CASE("gitai: a mixed note (legacy, session and human keys together)") {
    std::string text = R"(a.c
  s_0123456789abcd::t_0123456789abcd 1-2
  h_aaaaaaaaaaaaaa 3
  abcd1234abcd1234 4-5
---
{"schema_version":"authorship/3.0.0","base_commit_sha":"","prompts":{"abcd1234abcd1234":{"agent_id":{"tool":"cursor","id":"x","model":"gpt-4"}}},
 "humans":{"h_aaaaaaaaaaaaaa":{"author":"A <a@x>"}},
 "sessions":{"s_0123456789abcd":{"agent_id":{"tool":"codex","id":"y","model":"o3"}}}}
)";
    auto r = parse_gitai_note(text);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
    auto note = gitai_note_to_note(*r);
    REQUIRE(note.ok());
    const NoteFile& f = note->files.at("a.c");
    CHECK(f.ai == std::vector<uint32_t>{1, 2, 4, 5});
    CHECK(f.human == std::vector<uint32_t>{3});
    CHECK(f.lookup(4)->second == "abcd1234abcd1234");
    CHECK(f.lookup(1)->second == "s_0123456789abcd");
}

TEST_CASE("gitai: serializes in git-ai's layout and reads back equal") {
    auto r = parse_gitai_note(kSessionsNote);
    REQUIRE(r.ok());
    std::string text = serialize_gitai_note(*r);
    // The layout: quoted paths with spaces, two-space entries, compressed ranges, the divider,
    // then 2-space JSON in git-ai's key order.
    CHECK(
        text.rfind("src/main.rs\n  s_c9883b05a2487d::t_9f8e7d6c5b4a32 1-10,15-20\n"
                   "  s_c9883b05a2487d::t_a1b2c3d4e5f678 25,30-35\n  h_31dce776f88375 42-50\n"
                   "\"docs/my notes.md\"\n  s_e7f2a90b31cc48::t_deadbeef012345 1-3\n---\n{\n"
                   "  \"schema_version\": \"authorship/3.0.0\",\n  \"git_ai_version\": \"1.4.5\",\n"
                   "  \"base_commit_sha\": \"7734793b756b3921c88db5375a8c156e9532447b\",\n"
                   "  \"prompts\": {},\n  \"humans\": {",
                   0) == 0);
    CHECK(text.back() == '\n');
    auto again = parse_gitai_note(text);
    REQUIRE_MESSAGE(again.ok(), (again.ok() ? std::string() : again.error().message));
    CHECK(*again == *r);
    auto legacy = parse_gitai_note(kLegacyNote);
    REQUIRE(legacy.ok());
    auto legacy_again = parse_gitai_note(serialize_gitai_note(*legacy));
    REQUIRE(legacy_again.ok());
    CHECK(*legacy_again == *legacy);
}

TEST_CASE("gitai: provenant Note -> git-ai -> Note keeps the AI lines and their origins") {
    Note n;
    n.commit = std::string(40, 'c');
    n.origins["o1"].record = {OriginClass::Ai,   "claude-code", "agent",
                              "claude-opus-4-5", "sess-1",      "req-9"};
    n.origins["o2"].record = {OriginClass::Ai, "copilot", "completion", "gpt-4.1", "", ""};
    // Same conversation, another model: must not be merged into o1's session record.
    n.origins["o3"].record = {OriginClass::Ai,    "claude-code", "agent",
                              "claude-haiku-4-5", "sess-1",      ""};
    NoteFile& a = n.files["src/a.cpp"];
    a.blob = std::string(40, 'b');
    a.ai = {1, 2, 3, 10};
    a.ai_modified = {4};
    a.human = {5, 6};
    a.paste = {7};
    a.unknown = {8};
    a.by_origin["o1"] = {1, 2, 4};
    a.by_origin["o2"] = {3};
    a.by_origin["o3"] = {10};
    NoteFile& b = n.files["dir with space/b.py"];
    b.human = {1};
    b.ai = {2, 3};
    b.by_origin["o2"] = {2, 3};
    NoteFile& c = n.files["only-human.txt"];
    c.human = {1, 2};

    GitAiNote g = note_to_gitai_note(n, n.commit);
    CHECK(g.base_commit_sha == n.commit);
    CHECK(g.prompts.empty());
    CHECK(g.humans.empty());
    CHECK(g.sessions.size() == 3);
    // Files with no AI line are not attested at all.
    for (const GitAiFile& f : g.files)
        CHECK(f.path != "only-human.txt");
    bool found = false;
    for (const auto& [id, s] : g.sessions)
        if (s.agent.model == "claude-opus-4-5") {
            found = true;
            CHECK(s.agent.tool == "claude");
            CHECK(s.agent.id == "sess-1");
            CHECK(id.size() == 16);
            CHECK(id.rfind("s_", 0) == 0);
        }
    CHECK(found);

    std::string text = serialize_gitai_note(g);
    CHECK(text.find("paste") == std::string::npos);
    CHECK(serialize_gitai_note(note_to_gitai_note(n, n.commit)) == text); // deterministic
    auto parsed = parse_gitai_note(text);
    REQUIRE_MESSAGE(parsed.ok(),
                    (parsed.ok() ? std::string() : parsed.error().message + "\n" + text));
    auto back = gitai_note_to_note(*parsed);
    REQUIRE(back.ok());

    // The same AI lines (ai_modified reads back as ai: git-ai has no such class) with the same
    // origins (the request id is not carried).
    auto want = ai_claims(n);
    for (auto& [k, rec] : want)
        rec.request.clear();
    CHECK(ai_claims(*back) == want);
    CHECK(back->files.at("src/a.cpp").ai == std::vector<uint32_t>{1, 2, 3, 4, 10});
    // Nothing else is claimed: human, paste and unknown lines are absent (unknown to a reader).
    CHECK(back->files.at("src/a.cpp").human.empty());
    CHECK(back->files.at("src/a.cpp").lookup(7) == std::nullopt);
    CHECK(back->files.count("only-human.txt") == 0);
}

TEST_CASE("gitai: session id follows git-ai's SHA-256 rule") {
    Note n;
    n.origins["o"].record = {OriginClass::Ai, "cursor", "", "m", "conv-1", ""};
    n.files["x"].ai = {1};
    n.files["x"].by_origin["o"] = {1};
    GitAiNote g = note_to_gitai_note(n, "");
    REQUIRE(g.sessions.size() == 1);
    // printf %s 'cursor:conv-1' | sha256sum
    CHECK(g.sessions.begin()->first == "s_c4696ac1d3253e");
}

TEST_CASE("gitai: AI lines with no origin are attested under an 'unknown' tool session") {
    Note n;
    n.files["x"].ai = {1, 2};
    GitAiNote g = note_to_gitai_note(n, "");
    REQUIRE(g.files.size() == 1);
    REQUIRE(g.sessions.size() == 1);
    CHECK(g.sessions.begin()->second.agent.tool == "unknown");
    auto back = gitai_note_to_note(*parse_gitai_note(serialize_gitai_note(g)));
    REQUIRE(back.ok());
    CHECK(back->files.at("x").ai == std::vector<uint32_t>{1, 2});
}

TEST_CASE("gitai: hostile and malformed notes get clear errors") {
    auto err = [](const std::string& text) {
        auto r = parse_gitai_note(text);
        REQUIRE_FALSE(r.ok());
        return r.error().message;
    };
    const std::string meta =
        "---\n{\"schema_version\":\"authorship/3.0.0\",\"base_commit_sha\":\"\",\"prompts\":{}}\n";
    CHECK(err("").find("no '---'") != std::string::npos);
    CHECK(err("a.c\n  abcd1234abcd1234 1-2\n").find("no '---'") != std::string::npos);
    CHECK(err("  abcd1234abcd1234 1\n" + meta)
              .find("line 1: attestation entry before any file path") != std::string::npos);
    CHECK(err("a.c\n  s_zz::t_00 1\n" + meta).find("line 2: bad attestation key") !=
          std::string::npos);
    CHECK(err("a.c\n  s_0123456789abcd 1\n" + meta).find("lacks its '::t_' trace id") !=
          std::string::npos);
    CHECK(err("a.c\n  abcd1234abcd1234 0-3\n" + meta).find("line 2: bad line ranges") !=
          std::string::npos);
    CHECK(err("a.c\n  abcd1234abcd1234 5-3\n" + meta).find("bad line ranges") != std::string::npos);
    CHECK(err("a.c\n  abcd1234abcd1234 1,x\n" + meta).find("bad line ranges") != std::string::npos);
    CHECK(err("a.c\n  abcd1234abcd1234\n" + meta).find("line 2: expected '<key> <ranges>'") !=
          std::string::npos);
    CHECK(err("a.c\n   abcd1234abcd1234 1\n" + meta).find("line 2: expected") != std::string::npos);
    CHECK(err("a.c\n\tx 1\n" + meta).find("unexpected indentation") != std::string::npos);
    CHECK(err("a.c\n  abcd1234abcd1234 1\n" + meta).find("names no prompt record") !=
          std::string::npos);
    CHECK(err("a.c\n  h_0123456789abcd 1\n" + meta).find("names no human record") !=
          std::string::npos);
    CHECK(err("a.c\n  abcd1234abcd1234 1-3\n  h_0123456789abcd 3\n" + meta)
              .find("line 3 is attested twice") != std::string::npos);
    CHECK(err("a.c\n  abcd1234abcd1234 1\nb.c\n  abcd1234abcd1234 1\na.c\n  abcd1234abcd1234 2\n" +
              meta)
              .find("listed twice") != std::string::npos);
    // Line ranges that would expand to billions of numbers are refused, not allocated.
    CHECK(err("a.c\n  abcd1234abcd1234 1-4000000000\n" + meta).find("expand beyond") !=
          std::string::npos);
    // Metadata.
    CHECK(err("---\nnot json").find("metadata: not valid JSON") != std::string::npos);
    CHECK(err("---\n[]").find("metadata: $: expected an object") != std::string::npos);
    CHECK(err("---\n{\"schema_version\":\"authorship/"
              "2.0.0\",\"base_commit_sha\":\"\",\"prompts\":{}}")
              .find("unsupported version") != std::string::npos);
    CHECK(err("---\n{\"schema_version\":\"authorship/3.0.0\",\"prompts\":{}}")
              .find("$.base_commit_sha: missing") != std::string::npos);
    CHECK(err("---\n{\"schema_version\":\"authorship/3.0.0\",\"base_commit_sha\":\"\"}")
              .find("$.prompts: missing") != std::string::npos);
    CHECK(
        err("---\n{\"schema_version\":\"authorship/3.0.0\",\"base_commit_sha\":\"\",\"prompts\":{},"
            "\"sessions\":{\"s_0123456789abcd\":{\"agent_id\":{\"tool\":1,\"id\":\"x\"}}}}")
            .find("$.sessions.s_0123456789abcd.agent_id.tool: expected a string") !=
        std::string::npos);
    CHECK(err("---\n{\"schema_version\":\"authorship/"
              "3.0.0\",\"base_commit_sha\":\"\",\"prompts\":{\"abcd1234abcd1234\":"
              "{\"agent_id\":{\"tool\":\"t\",\"id\":\"x\"},\"total_additions\":-1}}}")
              .find("total_additions: expected a non-negative integer") != std::string::npos);
    CHECK(
        err("---\n" + std::string(100000, '[') + std::string(100000, ']')).find("nested deeper") !=
        std::string::npos);
    CHECK(err(std::string(kMaxGitAiNoteBytes + 1, 'a')).find("exceeds") != std::string::npos);
    // Binary junk.
    std::string junk;
    for (int i = 0; i < 4096; ++i)
        junk += static_cast<char>((i * 7919) & 0xff);
    CHECK_FALSE(parse_gitai_note(junk).ok());
}

TEST_CASE("gitai: tolerated variations") {
    // CRLF line ends, blank lines, a file with no entries, missing optional maps, a null model.
    std::string text =
        "a.c\r\n  abcd1234abcd1234 1-2\r\n\r\nempty.c\r\n---\r\n"
        "{\"schema_version\":\"authorship/3.0.0\",\"base_commit_sha\":\"abcdef0\","
        "\"prompts\":{\"abcd1234abcd1234\":{\"agent_id\":{\"tool\":\"cursor\",\"id\":\"x\","
        "\"model\":null}}},\"future_field\":[1,2]}\r\n";
    auto r = parse_gitai_note(text);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
    REQUIRE(r->files.size() == 1);
    CHECK(r->files[0].entries[0].lines == std::vector<uint32_t>{1, 2});
    CHECK(r->prompts.at("abcd1234abcd1234").agent.model.empty());
    // A 7-hex legacy key (git-ai before 1.0).
    std::string old = replace(text, "abcd1234abcd1234 1-2", "abc1234 1-2");
    old = replace(old, "\"abcd1234abcd1234\":", "\"abc1234\":");
    CHECK(parse_gitai_note(old).ok());
    // A human key with a trace id (announced by the standard) routes to `humans`.
    std::string traced =
        "a.c\n  h_0123456789abcd::t_0123456789abcd 3\n---\n"
        "{\"schema_version\":\"authorship/3.0.0\",\"base_commit_sha\":\"\",\"prompts\":{},"
        "\"humans\":{\"h_0123456789abcd\":{\"author\":\"A <a@x>\"}}}";
    auto t = parse_gitai_note(traced);
    REQUIRE_MESSAGE(t.ok(), (t.ok() ? std::string() : t.error().message));
    auto tn = gitai_note_to_note(*t);
    REQUIRE(tn.ok());
    CHECK(tn->files.at("a.c").human == std::vector<uint32_t>{3});
}

TEST_CASE("gitai: to_note refuses paths outside the repository") {
    for (const char* path : {"/etc/passwd", "../x", "a/../../x", "a//b", ""}) {
        CAPTURE(path);
        GitAiNote g;
        g.prompts["abcd1234abcd1234"].agent = {"cursor", "x", ""};
        g.files.push_back({path, {{"abcd1234abcd1234", {1}}}});
        CHECK_FALSE(gitai_note_to_note(g).ok());
    }
}

TEST_CASE("gitai: the notes provenant writes are marked as its own; git-ai's are not") {
    Note n;
    n.origins["o1"].record = {OriginClass::Ai, "claude-code", "agent", "m", "s-1", ""};
    n.origins["o2"].record = {OriginClass::Ai, "cursor", "", "m2", "s-2", ""};
    n.files["x"].ai = {1, 2, 3};
    n.files["x"].by_origin["o1"] = {1};
    n.files["x"].by_origin["o2"] = {2}; // line 3: no origin, the "unknown" session
    GitAiNote mine = note_to_gitai_note(n, std::string(40, 'c'));
    REQUIRE(mine.sessions.size() == 3);
    CHECK(written_by_provenant(mine));
    // The mark survives the text (what a later provenant reads back from refs/notes/ai).
    auto reread = parse_gitai_note(serialize_gitai_note(mine));
    REQUIRE(reread.ok());
    CHECK(written_by_provenant(*reread));

    // git-ai's own notes, in both forms, are not provenant's.
    auto theirs = parse_gitai_note(kSessionsNote);
    REQUIRE(theirs.ok());
    CHECK_FALSE(written_by_provenant(*theirs));
    auto legacy = parse_gitai_note(kLegacyNote);
    REQUIRE(legacy.ok());
    CHECK_FALSE(written_by_provenant(*legacy));
    // One unmarked session (another tool added to the note), a wrong value, or no session at
    // all: not provenant's either.
    GitAiNote mixed = mine;
    mixed.sessions.begin()->second.custom_attributes.clear();
    CHECK_FALSE(written_by_provenant(mixed));
    GitAiNote other = mine;
    for (auto& [id, s] : other.sessions)
        s.custom_attributes[std::string(kGitAiWriterAttribute)] = "someone-else";
    CHECK_FALSE(written_by_provenant(other));
    CHECK_FALSE(written_by_provenant(GitAiNote{}));
}
