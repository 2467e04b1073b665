// `provenant export --format agent-trace`: one Agent Trace record per (commit, file), valid
// against the fields of the open schema (agent-trace.dev trace-record.json), with the note's
// lines mapped as docs/note-format.md says.
#include "export_support.h"

#include <regex>
#include <set>

using namespace provenant::test;
using nlohmann::json;

namespace {

/// Fails unless `obj` is an object whose keys are all in `allowed` and include `required`.
void check_keys(const json& obj, const std::set<std::string>& allowed,
                const std::set<std::string>& required, const std::string& where) {
    CAPTURE(where);
    REQUIRE(obj.is_object());
    for (const auto& item : obj.items()) { // additionalProperties: false
        const std::string key = item.key();
        CHECK_MESSAGE(allowed.count(key) == 1, (std::string("unexpected field ") + key));
    }
    for (const auto& k : required)
        CHECK_MESSAGE(obj.contains(k), (std::string("missing field ") + k));
}

void check_contributor(const json& c) {
    check_keys(c, {"type", "model_id"}, {"type"}, "contributor");
    const std::set<std::string> types = {"human", "ai", "mixed", "unknown"};
    CHECK(types.count(c["type"].get<std::string>()) == 1);
    if (c.contains("model_id")) CHECK(c["model_id"].get<std::string>().size() <= 250);
}

/// The schema's constraints, field by field.
void validate(const json& rec) {
    check_keys(rec, {"version", "id", "timestamp", "vcs", "tool", "files", "metadata"},
               {"version", "id", "timestamp", "files"}, "record");
    CHECK(std::regex_match(rec["version"].get<std::string>(), std::regex("^[0-9]+\\.[0-9]+$")));
    CHECK(std::regex_match(rec["id"].get<std::string>(),
                           std::regex("^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                                      "[0-9a-f]{12}$")));
    CHECK(std::regex_match(rec["timestamp"].get<std::string>(),
                           std::regex("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$")));
    check_keys(rec["vcs"], {"type", "revision"}, {"type", "revision"}, "vcs");
    CHECK(rec["vcs"]["type"] == "git");
    check_keys(rec["tool"], {"name", "version"}, {"name", "version"}, "tool");
    CHECK(rec["metadata"].is_object());
    REQUIRE(rec["files"].is_array());
    for (const json& f : rec["files"]) {
        check_keys(f, {"path", "conversations"}, {"path", "conversations"}, "file");
        for (const json& c : f["conversations"]) {
            check_keys(c, {"url", "contributor", "ranges", "related"}, {"ranges"}, "conversation");
            if (c.contains("contributor")) check_contributor(c["contributor"]);
            for (const json& r : c["ranges"]) {
                check_keys(r, {"start_line", "end_line", "content_hash", "contributor"},
                           {"start_line", "end_line"}, "range");
                CHECK(r["start_line"].get<int64_t>() >= 1);
                CHECK(r["end_line"].get<int64_t>() >= r["start_line"].get<int64_t>());
                if (r.contains("contributor")) check_contributor(r["contributor"]);
            }
        }
    }
}

/// Every (contributor type, line) the record's ranges give.
std::map<uint32_t, std::string> lines_by_type(const json& rec) {
    std::map<uint32_t, std::string> out;
    for (const json& c : rec["files"][0]["conversations"])
        for (const json& r : c["ranges"]) {
            const json& who = r.contains("contributor") ? r["contributor"] : c["contributor"];
            for (uint32_t l = r["start_line"]; l <= r["end_line"].get<uint32_t>(); ++l) {
                CHECK_MESSAGE(out.count(l) == 0, "line in two ranges");
                out[l] = who["type"].get<std::string>() +
                         (who.contains("model_id") ? "/" + who["model_id"].get<std::string>() : "");
            }
        }
    return out;
}

} // namespace

TEST_CASE("export agent-trace: one valid record per (commit, file), the note's classes mapped") {
    ReportRepo r;
    r.agent_write("src/a.py", "", numbered("a", 1, 3), "claude-code", "claude-sonnet-4-5", 10, 2);
    const std::string c1 = r.commit_on(1, "a");
    // A note with every class, as the sidecar writes it: lines 1-2 ai, 3 ai_modified (both from
    // o1), 4 human, 5 paste, 6 unknown.
    r.write("src/m.py", numbered("m", 1, 6));
    const std::string c2 = r.commit_on(2, "m");
    const std::string blob = r.git({"rev-parse", "HEAD:src/m.py"}).out.substr(0, 40);
    json note = {{"schema", "provenant/1"},
                 {"commit", c2},
                 {"parent", c1},
                 {"files",
                  {{"src/m.py",
                    {{"blob", blob},
                     {"lines",
                      {{"ai", "1-2"},
                       {"ai_modified", "3"},
                       {"human", "4"},
                       {"paste", "5"},
                       {"unknown", "6"}}},
                     {"by_origin", {{"o1", "1-3"}}}}}}},
                 {"origins",
                  {{"o1",
                    {{"class", "ai"},
                     {"tool", "cursor"},
                     {"kind", "agent"},
                     {"model", "gpt-5"},
                     {"session", "conv-7"}}}}}};
    r.git({"notes", "--ref=provenant", "add", "-f", "-m", note.dump(), c2});

    auto res = r.provenant({"export", "--format", "agent-trace"});
    REQUIRE_MESSAGE(res.exit_code == 0, res.err);
    const auto recs = parse_ndjson(res.out);
    REQUIRE(recs.size() == 2);
    std::set<std::string> ids;
    for (const json& rec : recs) {
        validate(rec);
        ids.insert(rec["id"].get<std::string>());
        REQUIRE(rec["files"].size() == 1);
    }
    CHECK(ids.size() == 2);
    const json& a = recs[0]["vcs"]["revision"] == c1 ? recs[0] : recs[1];
    const json& m = recs[0]["vcs"]["revision"] == c2 ? recs[0] : recs[1];
    CHECK(a["files"][0]["path"] == "src/a.py");
    CHECK(a["timestamp"] == "2026-01-02T00:00:00Z");
    const auto la = lines_by_type(a);
    // model_id names the vendor where it is known (the RFC's `anthropic/claude-…` form).
    CHECK(la == std::map<uint32_t, std::string>{{1, "ai/anthropic/claude-sonnet-4-5"},
                                                {2, "ai/anthropic/claude-sonnet-4-5"},
                                                {3, "ai/anthropic/claude-sonnet-4-5"}});
    const auto lm = lines_by_type(m);
    CHECK(lm == std::map<uint32_t, std::string>{{1, "ai/openai/gpt-5"},
                                                {2, "ai/openai/gpt-5"},
                                                {3, "mixed/openai/gpt-5"},
                                                {4, "human"},
                                                {5, "unknown"},
                                                {6, "unknown"}});
    const json& meta = m["metadata"]["provenant"];
    CHECK(meta["lines"] ==
          json{{"ai", 2}, {"ai_modified", 1}, {"human", 1}, {"paste", 1}, {"unknown", 1}});
    REQUIRE(meta["origins"].size() == 1);
    CHECK(meta["origins"][0]["tool"] == "cursor");
    CHECK(meta["origins"][0]["model"] == "gpt-5"); // the model as recorded, beside model_id
    CHECK(meta["origins"][0]["session"] == "conv-7");
    CHECK(meta["origins"][0]["conversation"] == 0);
    // The same ids on a second export: re-importing does not duplicate records.
    auto again = r.provenant({"export", "--format", "agent-trace"});
    CHECK(again.out == res.out);
    // A range selects whose records are written.
    auto one = r.provenant({"export", "--format", "agent-trace", c1 + ".." + c2});
    REQUIRE(one.exit_code == 0);
    CHECK(parse_ndjson(one.out).size() == 1);
}
