// git-ai's authorship/3.0.0 notes: strict reading, writing, and the mapping to provenant's Note.
#include "protocol/gitai_note.h"

#include "support/json_fields.h"
#include "support/json_text.h"
#include "support/line_ranges.h"

#include <algorithm>
#include <array>
#include <openssl/evp.h>
#include <set>
#include <stdexcept>

namespace provenant {

namespace {

// Hex digits per id component we accept. git-ai writes 14 (16 for legacy keys, 7 before
// v1.0); the standard says lengths may change, so allow some room, but keep an origin id
// ("s_" + hex) within provenant's 64-character limit.
constexpr size_t kMaxHexDigits = 32;
// Nesting deeper than this in the metadata is not a git-ai note.
constexpr int kMaxJsonDepth = 32;
// Error messages quote at most this much of the offending text.
constexpr size_t kMaxQuoted = 80;

std::string show_text(std::string_view s) {
    if (s.size() <= kMaxQuoted) return "'" + std::string(s) + "'";
    return "'" + std::string(s.substr(0, kMaxQuoted)) + "...'";
}

bool is_hex(std::string_view s, size_t min_len, size_t max_len) {
    if (s.size() < min_len || s.size() > max_len) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
}

bool is_prefixed_hex(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix &&
           is_hex(s.substr(prefix.size()), 1, kMaxHexDigits);
}

// Legacy prompt keys: 7 (pre-1.0) to 16 hex today; accept up to kMaxHexDigits.
bool is_legacy_key(std::string_view s) {
    return is_hex(s, 7, kMaxHexDigits);
}

enum class KeyKind { Session, Human, Legacy };

struct ParsedKey {
    KeyKind kind;
    std::string record; // the key into sessions / humans / prompts
};

// Routes an attestation key by its prefix (standard §1.2.3.1).
Result<ParsedKey> parse_key(std::string_view key) {
    if (key.substr(0, 2) == "s_" || key.substr(0, 2) == "h_") {
        bool session = key[0] == 's';
        size_t sep = key.find("::");
        std::string_view id = key.substr(0, sep);
        if (!is_prefixed_hex(id, session ? "s_" : "h_"))
            return make_error(ErrorKind::invalid_input, "bad attestation key " + show_text(key));
        if (sep != std::string_view::npos) {
            if (!is_prefixed_hex(key.substr(sep + 2), "t_"))
                return make_error(ErrorKind::invalid_input,
                                  "bad trace id in attestation key " + show_text(key));
        } else if (session) {
            return make_error(ErrorKind::invalid_input,
                              "session key " + show_text(key) + " lacks its '::t_' trace id");
        }
        return ParsedKey{session ? KeyKind::Session : KeyKind::Human, std::string(id)};
    }
    if (!is_legacy_key(key))
        return make_error(ErrorKind::invalid_input, "bad attestation key " + show_text(key));
    return ParsedKey{KeyKind::Legacy, std::string(key)};
}

// Depth of JSON nesting outside strings; hostile "[[[[..." is refused before parsing.
int json_depth(std::string_view text) {
    int depth = 0, max_depth = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            max_depth = std::max(max_depth, ++depth);
            if (max_depth > kMaxJsonDepth) return max_depth;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return max_depth;
}

using json_fields::fail;

GitAiSession read_session(const nlohmann::json& j, const std::string& path, bool legacy) {
    if (!j.is_object()) fail(path, "expected an object");
    GitAiSession s;
    const nlohmann::json& agent = json_fields::object(j, "agent_id", path);
    s.agent.tool = json_fields::string(agent, "tool", path + ".agent_id");
    s.agent.id = json_fields::string(agent, "id", path + ".agent_id");
    s.agent.model = json_fields::opt_string(agent, "model", path + ".agent_id").value_or("");
    if (const nlohmann::json* h = json_fields::find(j, "human_author", path)) {
        if (!h->is_string()) fail(path + ".human_author", "expected a string");
        s.human_author = h->get<std::string>();
    }
    for (const auto& [k, v] : json_fields::opt_object(j, "custom_attributes", path).items()) {
        if (!v.is_string()) fail(path + ".custom_attributes." + k, "expected a string");
        s.custom_attributes[k] = v.get<std::string>();
    }
    if (legacy) {
        s.total_additions = json_fields::opt_count(j, "total_additions", path);
        s.total_deletions = json_fields::opt_count(j, "total_deletions", path);
        s.accepted_lines = json_fields::opt_count(j, "accepted_lines", path);
        s.overriden_lines = json_fields::opt_count(j, "overriden_lines", path);
    }
    return s;
}

// The metadata JSON into `note` (everything but the files). Throws std::invalid_argument.
void read_metadata(const nlohmann::json& j, GitAiNote& note) {
    if (!j.is_object()) fail("$", "expected an object");
    note.schema_version = json_fields::string(j, "schema_version", "$");
    if (note.schema_version.rfind("authorship/3.", 0) != 0)
        fail("$.schema_version", "unsupported version " + show_text(note.schema_version) +
                                     " (expected authorship/3.x)");
    if (const nlohmann::json* v = json_fields::find(j, "git_ai_version", "$")) {
        if (!v->is_string()) fail("$.git_ai_version", "expected a string");
        note.git_ai_version = v->get<std::string>();
    }
    note.base_commit_sha = json_fields::string(j, "base_commit_sha", "$");
    if (!note.base_commit_sha.empty() && !is_hex(note.base_commit_sha, 4, 64))
        fail("$.base_commit_sha", "expected a hex commit id");
    for (const auto& [k, v] : json_fields::object(j, "prompts", "$").items()) {
        if (!is_legacy_key(k)) fail("$.prompts", "bad prompt key " + show_text(k));
        note.prompts[k] = read_session(v, "$.prompts." + k, true);
    }
    for (const auto& [k, v] : json_fields::opt_object(j, "sessions", "$").items()) {
        if (!is_prefixed_hex(k, "s_")) fail("$.sessions", "bad session id " + show_text(k));
        note.sessions[k] = read_session(v, "$.sessions." + k, false);
    }
    for (const auto& [k, v] : json_fields::opt_object(j, "humans", "$").items()) {
        if (!is_prefixed_hex(k, "h_")) fail("$.humans", "bad human id " + show_text(k));
        if (!v.is_object()) fail("$.humans." + k, "expected an object");
        note.humans[k] = json_fields::string(v, "author", "$.humans." + k);
    }
}

std::string_view trim_end(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

bool needs_quoting(std::string_view path) {
    return path.find_first_of(" \t\n") != std::string_view::npos || path == "---";
}

// A path git-ai's line format cannot carry (it has no escapes).
bool unwritable_path(std::string_view path) {
    return path.empty() || path.find_first_of("\n\r\"") != std::string_view::npos ||
           path.front() == ' ';
}

std::string sha256_hex(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr) != 1)
        return std::string(64, '0'); // cannot happen with the built-in provider
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * len);
    for (unsigned int i = 0; i < len; ++i) {
        out += kHex[md[i] >> 4];
        out += kHex[md[i] & 15];
    }
    return out;
}

// git-ai's tool names that differ from provenant's.
constexpr std::array<std::pair<std::string_view, std::string_view>, 1> kToolNames = {{
    {"claude", "claude-code"}, // git-ai's `claude` is Claude Code
}};

std::string tool_from_gitai(std::string_view tool) {
    for (auto [gitai, ours] : kToolNames)
        if (tool == gitai) return std::string(ours);
    return std::string(tool);
}

std::string tool_to_gitai(std::string_view tool) {
    for (auto [gitai, ours] : kToolNames)
        if (tool == ours) return std::string(gitai);
    return std::string(tool);
}

bool is_repo_relative(std::string_view path) {
    if (path.empty() || path.front() == '/' || path.find('\0') != std::string_view::npos)
        return false;
    size_t pos = 0;
    while (pos <= path.size()) {
        size_t slash = path.find('/', pos);
        std::string_view part =
            path.substr(pos, slash == std::string_view::npos ? path.npos : slash - pos);
        if (part == ".." || part.empty()) return false;
        if (slash == std::string_view::npos) break;
        pos = slash + 1;
    }
    return true;
}

constexpr std::string_view kKindAttribute = "provenant_kind";

} // namespace

Result<GitAiNote> parse_gitai_note(std::string_view text) {
    if (text.size() > kMaxGitAiNoteBytes)
        return make_error(ErrorKind::invalid_input,
                          "git-ai note of " + std::to_string(text.size()) + " bytes exceeds the " +
                              std::to_string(kMaxGitAiNoteBytes) + "-byte limit");
    GitAiNote note;
    uint64_t expanded = 0;
    std::set<std::string> seen_paths;
    GitAiFile* current = nullptr;
    std::vector<uint32_t> file_lines; // every line attested in `current`, to find doubles
    auto finish_file = [&]() -> Status {
        sort_line_runs(file_lines);
        auto dup = std::adjacent_find(file_lines.begin(), file_lines.end());
        if (dup != file_lines.end())
            return make_error(ErrorKind::invalid_input, "file " + show_text(current->path) +
                                                            ": line " + std::to_string(*dup) +
                                                            " is attested twice");
        file_lines.clear();
        if (current->entries.empty()) note.files.pop_back(); // git-ai drops empty files too
        current = nullptr;
        return {};
    };

    size_t pos = 0;
    size_t line_no = 0;
    bool divider = false;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        std::string_view raw =
            text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        ++line_no;
        std::string_view line = trim_end(raw);
        auto where = [&](const std::string& what) {
            return make_error(ErrorKind::invalid_input,
                              "line " + std::to_string(line_no) + ": " + what);
        };
        if (line == "---" && raw.substr(0, 3) == "---") {
            divider = true;
            break;
        }
        if (line.empty()) continue;
        if (line.substr(0, 2) == "  ") {
            if (!current) return where("attestation entry before any file path");
            std::string_view entry = line.substr(2);
            size_t space = entry.find(' ');
            if (space == std::string_view::npos || space == 0)
                return where("expected '<key> <ranges>', got " + show_text(entry));
            std::string_view key = entry.substr(0, space);
            std::string_view ranges = entry.substr(space + 1);
            auto parsed = parse_key(key);
            if (!parsed) return where(parsed.error().message);
            // Whether the key names a record is checked once the metadata is read.
            if (ranges.empty() || ranges.find(' ') != std::string_view::npos)
                return where("bad line ranges " + show_text(ranges));
            auto lines =
                parse_line_ranges(ranges, static_cast<uint32_t>(kMaxGitAiNoteLines - expanded));
            if (!lines) {
                if (lines.error().message.find("expand beyond") != std::string::npos)
                    return where("line ranges expand beyond " + std::to_string(kMaxGitAiNoteLines) +
                                 " lines in one note");
                return where("bad line ranges " + show_text(ranges));
            }
            expanded += lines->size();
            file_lines.insert(file_lines.end(), lines->begin(), lines->end());
            current->entries.push_back({std::string(key), std::move(*lines)});
            continue;
        }
        if (line.front() == ' ' || line.front() == '\t')
            return where("unexpected indentation (entries are indented by exactly two spaces)");
        if (current)
            if (auto st = finish_file(); !st) return where(st.error().message);
        std::string path(line);
        if (path.size() >= 2 && path.front() == '"' && path.back() == '"')
            path = path.substr(1, path.size() - 2);
        if (path.empty()) return where("empty file path");
        if (!seen_paths.insert(path).second)
            return where("file " + show_text(path) + " listed twice");
        note.files.push_back({std::move(path), {}});
        current = &note.files.back();
    }
    if (!divider)
        return make_error(ErrorKind::invalid_input,
                          "no '---' line between the attestations and the metadata");
    if (current)
        if (auto st = finish_file(); !st)
            return make_error(ErrorKind::invalid_input, st.error().message);

    std::string_view json_text = text.substr(pos);
    if (json_depth(json_text) > kMaxJsonDepth)
        return make_error(ErrorKind::invalid_input, "metadata: nested deeper than " +
                                                        std::to_string(kMaxJsonDepth) + " levels");
    nlohmann::json j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return make_error(ErrorKind::invalid_input, "metadata: not valid JSON");
    try {
        read_metadata(j, note);
    } catch (const std::exception& e) {
        return make_error(ErrorKind::invalid_input, std::string("metadata: ") + e.what());
    }

    // Every key must name a record of its map.
    for (const GitAiFile& f : note.files) {
        for (const GitAiAttestation& a : f.entries) {
            ParsedKey k = parse_key(a.key).value();
            bool found = k.kind == KeyKind::Session ? note.sessions.count(k.record) > 0
                         : k.kind == KeyKind::Human ? note.humans.count(k.record) > 0
                                                    : note.prompts.count(k.record) > 0;
            if (!found)
                return make_error(ErrorKind::invalid_input,
                                  "file " + show_text(f.path) + ": key " + show_text(a.key) +
                                      " names no " +
                                      (k.kind == KeyKind::Session ? "session"
                                       : k.kind == KeyKind::Human ? "human"
                                                                  : "prompt") +
                                      " record");
        }
    }
    return note;
}

std::string serialize_gitai_note(const GitAiNote& note) {
    std::string out;
    for (const GitAiFile& f : note.files) {
        bool any = std::any_of(f.entries.begin(), f.entries.end(),
                               [](const GitAiAttestation& a) { return !a.lines.empty(); });
        if (!any) continue; // the standard: files with no attestations are not listed
        out += needs_quoting(f.path) ? "\"" + f.path + "\"" : f.path;
        out += '\n';
        for (const GitAiAttestation& a : f.entries) {
            if (a.lines.empty()) continue;
            out += "  " + a.key + " " + format_line_ranges(a.lines) + "\n";
        }
    }
    out += "---\n";

    auto session_json = [](const GitAiSession& s, bool legacy) {
        nlohmann::ordered_json j;
        j["agent_id"] = {{"tool", s.agent.tool}, {"id", s.agent.id}, {"model", s.agent.model}};
        j["human_author"] = s.human_author ? nlohmann::ordered_json(*s.human_author) : nullptr;
        if (legacy) {
            j["total_additions"] = s.total_additions;
            j["total_deletions"] = s.total_deletions;
            j["accepted_lines"] = s.accepted_lines;
            j["overriden_lines"] = s.overriden_lines;
        }
        if (!s.custom_attributes.empty()) j["custom_attributes"] = s.custom_attributes;
        return j;
    };
    nlohmann::ordered_json j;
    j["schema_version"] = note.schema_version;
    if (note.git_ai_version) j["git_ai_version"] = *note.git_ai_version;
    j["base_commit_sha"] = note.base_commit_sha;
    j["prompts"] = nlohmann::ordered_json::object();
    for (const auto& [k, s] : note.prompts)
        j["prompts"][k] = session_json(s, true);
    if (!note.humans.empty())
        for (const auto& [k, author] : note.humans)
            j["humans"][k] = {{"author", author}};
    if (!note.sessions.empty())
        for (const auto& [k, s] : note.sessions)
            j["sessions"][k] = session_json(s, false);
    out += json_text_lossy(j, 2);
    out += '\n';
    return out;
}

Result<Note> gitai_note_to_note(const GitAiNote& gn) {
    Note note;
    note.commit = gn.base_commit_sha;
    note.tool = "git-ai";
    note.tool_version = gn.git_ai_version.value_or("");
    for (const GitAiFile& f : gn.files) {
        if (!is_repo_relative(f.path))
            return make_error(ErrorKind::invalid_input,
                              "file " + show_text(f.path) + ": not a repository-relative path");
        NoteFile nf;
        for (const GitAiAttestation& a : f.entries) {
            auto key = parse_key(a.key);
            if (!key)
                return make_error(ErrorKind::invalid_input,
                                  "file " + show_text(f.path) + ": " + key.error().message);
            if (key->kind == KeyKind::Human) {
                if (!gn.humans.count(key->record))
                    return make_error(ErrorKind::invalid_input, "file " + show_text(f.path) +
                                                                    ": key " + show_text(a.key) +
                                                                    " names no human record");
                nf.human.insert(nf.human.end(), a.lines.begin(), a.lines.end());
                continue;
            }
            const auto& map = key->kind == KeyKind::Session ? gn.sessions : gn.prompts;
            auto it = map.find(key->record);
            if (it == map.end())
                return make_error(ErrorKind::invalid_input, "file " + show_text(f.path) + ": key " +
                                                                show_text(a.key) +
                                                                " names no record");
            const GitAiSession& s = it->second;
            NoteOrigin& o = note.origins[key->record];
            o.record.cls = OriginClass::Ai;
            o.record.tool = tool_from_gitai(s.agent.tool);
            o.record.model = s.agent.model;
            o.record.session = s.agent.id;
            if (auto k = s.custom_attributes.find(std::string(kKindAttribute));
                k != s.custom_attributes.end() && is_valid_ai_kind(k->second))
                o.record.kind = k->second;
            nf.ai.insert(nf.ai.end(), a.lines.begin(), a.lines.end());
            auto& mine = nf.by_origin[key->record];
            mine.insert(mine.end(), a.lines.begin(), a.lines.end());
        }
        std::vector<uint32_t> all;
        for (auto* v : {&nf.ai, &nf.human}) {
            sort_line_runs(*v);
            all.insert(all.end(), v->begin(), v->end());
        }
        for (auto& [id, lines] : nf.by_origin)
            sort_line_runs(lines);
        sort_line_runs(all);
        if (auto dup = std::adjacent_find(all.begin(), all.end()); dup != all.end())
            return make_error(ErrorKind::invalid_input, "file " + show_text(f.path) + ": line " +
                                                            std::to_string(*dup) +
                                                            " is attested twice");
        if (std::find(all.begin(), all.end(), 0u) != all.end())
            return make_error(ErrorKind::invalid_input,
                              "file " + show_text(f.path) + ": line 0 (lines are 1-based)");
        if (all.empty()) continue;
        note.files[f.path] = std::move(nf);
    }
    return note;
}

bool written_by_provenant(const GitAiNote& note) {
    if (note.sessions.empty() || !note.prompts.empty()) return false;
    for (const auto& [id, s] : note.sessions) {
        auto it = s.custom_attributes.find(std::string(kGitAiWriterAttribute));
        if (it == s.custom_attributes.end() || it->second != kGitAiWriterValue) return false;
    }
    return true;
}

GitAiNote note_to_gitai_note(const Note& note, std::string_view base_commit) {
    GitAiNote gn;
    gn.base_commit_sha = std::string(base_commit);

    // Origin id -> session id, in sorted origin order so the result is deterministic.
    std::map<std::string, std::string> session_of;
    auto add_session = [&](const std::string& origin_id, const OriginRecord& r) {
        std::string tool = tool_to_gitai(r.tool.empty() ? "unknown" : r.tool);
        GitAiSession s;
        s.agent = {tool, r.session, r.model};
        if (!r.kind.empty()) s.custom_attributes[std::string(kKindAttribute)] = r.kind;
        s.custom_attributes[std::string(kGitAiWriterAttribute)] = std::string(kGitAiWriterValue);
        std::string id =
            "s_" +
            sha256_hex(tool + ":" + (r.session.empty() ? origin_id : r.session)).substr(0, 14);
        auto it = gn.sessions.find(id);
        if (it != gn.sessions.end() && !(it->second == s)) {
            // One conversation with two records (another model, another kind): a session
            // record holds one model, so the second gets its own id rather than a wrong model.
            id = "s_" + sha256_hex("provenant:" + origin_id).substr(0, 14);
        }
        gn.sessions[id] = s;
        session_of[origin_id] = id;
    };
    for (const auto& [id, o] : note.origins)
        if (o.record.cls == OriginClass::Ai && note.origin_has_lines(id)) add_session(id, o.record);
    const std::string unattributed = "provenant-unattributed";

    for (const auto& [path, f] : note.files) {
        if (unwritable_path(path)) continue;
        GitAiFile gf{path, {}};
        std::vector<uint32_t> ai_lines = f.ai;
        ai_lines.insert(ai_lines.end(), f.ai_modified.begin(), f.ai_modified.end());
        std::sort(ai_lines.begin(), ai_lines.end());
        std::set<uint32_t> covered;
        for (const auto& [origin_id, lines] : f.by_origin) {
            std::vector<uint32_t> mine;
            for (uint32_t l : lines)
                if (std::binary_search(ai_lines.begin(), ai_lines.end(), l) &&
                    covered.insert(l).second)
                    mine.push_back(l);
            if (mine.empty()) continue;
            if (!session_of.count(origin_id)) {
                auto o = note.origins.find(origin_id);
                OriginRecord r = o != note.origins.end() ? o->second.record : OriginRecord{};
                r.cls = OriginClass::Ai;
                add_session(origin_id, r);
            }
            std::string trace = "t_" + sha256_hex("provenant:" + origin_id).substr(0, 14);
            gf.entries.push_back({session_of[origin_id] + "::" + trace, std::move(mine)});
        }
        std::vector<uint32_t> rest;
        for (uint32_t l : ai_lines)
            if (!covered.count(l)) rest.push_back(l);
        if (!rest.empty()) {
            if (!session_of.count(unattributed))
                add_session(unattributed, OriginRecord{OriginClass::Ai});
            std::string trace = "t_" + sha256_hex("provenant:" + unattributed).substr(0, 14);
            gf.entries.push_back({session_of[unattributed] + "::" + trace, std::move(rest)});
        }
        if (!gf.entries.empty()) gn.files.push_back(std::move(gf));
    }
    return gn;
}

} // namespace provenant
