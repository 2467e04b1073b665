// The per-repository session store: one JSON file per agent session, updated under an flock.
#include "journal/sessions.h"

#include "support/hash.h"
#include "support/json_fields.h"
#include "support/json_text.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <spdlog/spdlog.h>
#include <system_error>
#include <unistd.h>

namespace provenant {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::string_view kSchema = "provenant-session/1";

// Keeps file names readable and safe: [A-Za-z0-9._-] only, bounded.
std::string safe_part(std::string_view s, size_t max) {
    std::string out;
    for (char c : s) {
        if (out.size() >= max) break;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        out += ok ? c : '_';
    }
    if (!out.empty() && out[0] == '.') out[0] = '_';
    return out;
}

json usage_map_to_json(const std::map<std::string, TokenUsage>& m) {
    json j = json::object();
    for (const auto& [model, u] : m)
        j[model] = u;
    return j;
}

std::map<std::string, TokenUsage> usage_map_from_json(const json& j, const char* field) {
    if (!j.is_object()) throw std::invalid_argument(std::string(field) + ": expected an object");
    std::map<std::string, TokenUsage> m;
    for (const auto& [model, u] : j.items())
        m[model] = u.get<TokenUsage>();
    return m;
}

// Saturating difference so a reset transcript never produces huge unsigned values.
uint64_t sub0(uint64_t a, uint64_t b) {
    return a > b ? a - b : 0;
}

TokenUsage usage_minus(const TokenUsage& a, const TokenUsage& b) {
    TokenUsage d;
    d.input = sub0(a.input, b.input);
    d.output = sub0(a.output, b.output);
    d.cache_read = sub0(a.cache_read, b.cache_read);
    d.cache_write_5m = sub0(a.cache_write_5m, b.cache_write_5m);
    d.cache_write_1h = sub0(a.cache_write_1h, b.cache_write_1h);
    d.reasoning = sub0(a.reasoning, b.reasoning);
    return d;
}

SessionDelta delta_of(const SessionRecord& r) {
    SessionDelta d;
    d.key = r.key;
    d.kind = r.kind;
    d.models = r.models;
    for (const auto& [model, u] : r.tokens) {
        auto it = r.tokens_settled.find(model);
        TokenUsage diff = it == r.tokens_settled.end() ? u : usage_minus(u, it->second);
        if (!diff.empty() || diff.reasoning != 0) d.tokens[model] = diff;
    }
    d.generated = sub0(r.generated, r.generated_settled);
    d.pending_before = r.pending_settled;
    return d;
}

} // namespace

void SessionRecord::add_generated(const std::string& path, uint64_t lines,
                                  const std::string& request) {
    if (!request.empty()) {
        std::string seen = request + "|" + path;
        if (std::find(counted.begin(), counted.end(), seen) != counted.end()) return;
        counted.push_back(std::move(seen));
        if (counted.size() > kMaxCounted) counted.erase(counted.begin());
    }
    generated += lines;
    auto it = generated_by_file.find(path);
    if (it != generated_by_file.end()) {
        it->second += lines;
    } else if (generated_by_file.size() < kMaxFiles) {
        generated_by_file.emplace(path, lines);
    }
}

void SessionRecord::note_model(const std::string& model) {
    if (!model.empty() && std::find(models.begin(), models.end(), model) == models.end())
        models.push_back(model);
}

void SessionRecord::note_tool_model(const std::string& tool_use_id, const std::string& model) {
    if (tool_use_id.empty() || model.empty()) return;
    for (auto& [id, m] : tool_models) {
        if (id == tool_use_id) {
            m = model;
            return;
        }
    }
    tool_models.emplace_back(tool_use_id, model);
    if (tool_models.size() > kMaxToolModels)
        tool_models.erase(tool_models.begin(),
                          tool_models.begin() +
                              static_cast<std::ptrdiff_t>(tool_models.size() - kMaxToolModels));
}

std::string SessionRecord::model_of_tool(const std::string& tool_use_id) const {
    for (const auto& [id, m] : tool_models)
        if (id == tool_use_id) return m;
    return {};
}

TokenUsage SessionDelta::total_tokens() const {
    TokenUsage t;
    for (const auto& [model, u] : tokens)
        t += u;
    return t;
}

Funnel funnel(const SessionDelta& delta, uint64_t committed, uint64_t pending_after) {
    Funnel f;
    f.generated = delta.generated;
    f.committed = committed;
    f.pending = pending_after;
    f.discarded = sub0(delta.pending_before + delta.generated, committed + pending_after);
    return f;
}

json session_to_json(const SessionRecord& r) {
    json tm = json::array();
    for (const auto& [id, m] : r.tool_models)
        tm.push_back(json::array({id, m}));
    json un = json::array();
    for (const auto& [id, path] : r.unresolved)
        un.push_back(json::array({id, path}));
    return json{{"schema", kSchema},
                {"tool", r.key.tool},
                {"session", r.key.session},
                {"kind", r.kind},
                {"models", r.models},
                {"tokens", usage_map_to_json(r.tokens)},
                {"transcript",
                 {{"path", r.transcript.path},
                  {"offset", r.transcript.offset},
                  {"state", r.transcript.state}}},
                {"generated", r.generated},
                {"generated_by_file", r.generated_by_file},
                {"tool_models", tm},
                {"unresolved", un},
                {"counted", r.counted},
                {"tokens_settled", usage_map_to_json(r.tokens_settled)},
                {"generated_settled", r.generated_settled},
                {"pending_settled", r.pending_settled},
                {"first_seen_ms", r.first_seen_ms},
                {"last_seen_ms", r.last_seen_ms}};
}

Result<SessionRecord> session_from_json(const json& j) {
    try {
        if (!j.is_object())
            return make_error(ErrorKind::invalid_input, "session record: expected an object");
        if (j.value("schema", std::string()) != kSchema)
            return make_error(ErrorKind::invalid_input,
                              "session record: unsupported schema " +
                                  json_text_lossy(j.value("schema", json("(none)"))));
        SessionRecord r;
        r.key.tool = j.at("tool").get<std::string>();
        r.key.session = j.at("session").get<std::string>();
        r.kind = j.value("kind", std::string());
        r.models = j.value("models", std::vector<std::string>{});
        r.tokens = usage_map_from_json(j.value("tokens", json::object()), "tokens");
        if (j.contains("transcript")) {
            const json& t = j.at("transcript");
            r.transcript.path = t.at("path").get<std::string>();
            r.transcript.offset = json_fields::get_count(
                json_fields::require(t, "offset", "transcript"), "transcript.offset");
            r.transcript.state = t.value("state", json::object());
            if (!r.transcript.state.is_object()) r.transcript.state = json::object();
        }
        // Counts through json_fields: a float where a count belongs is an error, never a
        // conversion (get<uint64_t> of 3.3e57 is undefined behaviour).
        r.generated = json_fields::opt_count(j, "generated", "");
        for (const auto& [file, n] : json_fields::opt_object(j, "generated_by_file", "").items())
            r.generated_by_file[file] =
                json_fields::get_count(n, json_fields::quoted_path("generated_by_file", file));
        for (const auto& p : j.value("tool_models", json::array())) {
            if (!p.is_array() || p.size() != 2)
                return make_error(ErrorKind::invalid_input,
                                  "session record: tool_models: expected [id, model] pairs");
            r.tool_models.emplace_back(p[0].get<std::string>(), p[1].get<std::string>());
        }
        for (const auto& p : j.value("unresolved", json::array())) {
            if (!p.is_array() || p.size() != 2)
                return make_error(ErrorKind::invalid_input,
                                  "session record: unresolved: expected [id, path] pairs");
            r.unresolved.emplace_back(p[0].get<std::string>(), p[1].get<std::string>());
        }
        if (r.unresolved.size() > SessionRecord::kMaxUnresolved)
            r.unresolved.erase(r.unresolved.begin(),
                               r.unresolved.end() -
                                   static_cast<std::ptrdiff_t>(SessionRecord::kMaxUnresolved));
        r.counted = j.value("counted", std::vector<std::string>{});
        if (r.counted.size() > SessionRecord::kMaxCounted)
            r.counted.erase(r.counted.begin(), r.counted.end() - static_cast<std::ptrdiff_t>(
                                                                     SessionRecord::kMaxCounted));
        r.tokens_settled =
            usage_map_from_json(j.value("tokens_settled", json::object()), "tokens_settled");
        r.generated_settled = json_fields::opt_count(j, "generated_settled", "");
        r.pending_settled = json_fields::opt_count(j, "pending_settled", "");
        r.first_seen_ms = json_fields::opt_integer(j, "first_seen_ms", "");
        r.last_seen_ms = json_fields::opt_integer(j, "last_seen_ms", "");
        return r;
    } catch (const std::exception& e) {
        return make_error(ErrorKind::invalid_input, std::string("session record: ") + e.what());
    }
}

Status replace_file_no_sync(const fs::path& path, const std::string& data) {
    // One writer for every file under .git/provenant: 0600 files in 0700 directories.
    return atomic_write_file(path, data, WriteOptions{.sync = false});
}

SessionStore::SessionStore(fs::path gitdir) : dir_(gitdir / "provenant" / "sessions") {}

fs::path SessionStore::file_of(const SessionKey& key) const {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016" PRIx64, fnv1a64(key.tool + '\x1f' + key.session));
    return dir_ /
           (safe_part(key.tool, 24) + "-" + safe_part(key.session, 48) + "-" + hex + ".json");
}

Result<std::optional<SessionRecord>> SessionStore::load_file(const fs::path& file) const {
    std::error_code ec;
    if (!fs::exists(file, ec)) return std::optional<SessionRecord>();
    auto size = fs::file_size(file, ec);
    if (!ec && size > kMaxRecordBytes) {
        spdlog::warn("session store: {} is larger than {} bytes: skipped", file.string(),
                     kMaxRecordBytes);
        return std::optional<SessionRecord>();
    }
    auto text = read_file(file);
    if (!text) return text.error();
    json j = json::parse(*text, nullptr, false);
    auto rec = j.is_discarded()
                   ? Result<SessionRecord>(make_error(ErrorKind::invalid_input, "not JSON"))
                   : session_from_json(j);
    if (!rec) {
        spdlog::warn("session store: {}: {}: skipped", file.string(), rec.error().message);
        return std::optional<SessionRecord>();
    }
    return std::optional<SessionRecord>(std::move(*rec));
}

Result<std::optional<SessionRecord>> SessionStore::load(const SessionKey& key) const {
    auto r = load_file(file_of(key));
    if (r && *r && (*r)->key != key) // a hash collision: treat as absent
        return std::optional<SessionRecord>();
    return r;
}

Result<SessionRecord> SessionStore::update(const SessionKey& key,
                                           const std::function<void(SessionRecord&)>& fn) {
    auto lock = FileLock::acquire(dir_ / ".lock");
    if (!lock) return lock.error().context("locking the session store");
    fs::path file = file_of(key);
    std::error_code ec;
    bool exists = fs::exists(file, ec);
    auto cur = load_file(file);
    if (!cur) return cur.error();
    SessionRecord rec;
    if (*cur && (*cur)->key == key) {
        rec = std::move(**cur);
    } else {
        if (exists) {
            // Unreadable or colliding: keep it for inspection rather than overwrite it.
            fs::create_directories(dir_ / "corrupt", ec);
            fs::rename(file, dir_ / "corrupt" / file.filename(), ec);
        }
        size_t count = 0;
        for (const auto& e : fs::directory_iterator(dir_, ec))
            count += e.path().extension() == ".json";
        if (count >= kMaxSessions)
            return make_error(ErrorKind::io, "session store is full (" +
                                                 std::to_string(kMaxSessions) +
                                                 " sessions): not recording " + key.str());
        rec.key = key;
        rec.first_seen_ms = now_ms();
    }
    try {
        fn(rec);
    } catch (const std::exception& e) {
        return make_error(ErrorKind::io,
                          std::string("updating session ") + key.str() + ": " + e.what());
    }
    rec.key = key;
    rec.last_seen_ms = now_ms();
    // No fsync here: this runs in every agent hook. Losing the last update to a power failure
    // rolls back the usage and the transcript offset together, so nothing is counted twice.
    auto text = json_text(session_to_json(rec));
    if (!text) return text.error().context("writing session record " + file.string());
    auto st = replace_file_no_sync(file, *text);
    if (!st) return st.error();
    return rec;
}

Result<std::vector<SessionRecord>> SessionStore::list() const {
    std::vector<SessionRecord> out;
    std::error_code ec;
    if (!fs::exists(dir_, ec)) return out;
    for (const auto& e : fs::directory_iterator(dir_, ec)) {
        if (e.path().extension() != ".json" || !e.is_regular_file(ec)) continue;
        auto r = load_file(e.path());
        if (r && *r) out.push_back(std::move(**r));
    }
    if (ec) return make_error(ErrorKind::io, "listing " + dir_.string() + ": " + ec.message());
    std::sort(out.begin(), out.end(),
              [](const SessionRecord& a, const SessionRecord& b) { return a.key < b.key; });
    return out;
}

Result<std::vector<SessionDelta>> SessionStore::unsettled() const {
    auto all = list();
    if (!all) return all.error();
    std::vector<SessionDelta> out;
    for (const auto& r : *all) {
        SessionDelta d = delta_of(r);
        if (!d.tokens.empty() || d.generated != 0 || d.pending_before != 0)
            out.push_back(std::move(d));
    }
    return out;
}

Status SessionStore::settle(const std::vector<SessionSettlement>& settlements) {
    auto lock = FileLock::acquire(dir_ / ".lock");
    if (!lock) return lock.error().context("locking the session store");
    for (const auto& s : settlements) {
        fs::path file = file_of(s.delta.key);
        auto cur = load_file(file);
        if (!cur) return cur.error();
        if (!*cur || (*cur)->key != s.delta.key) continue; // gone meanwhile: nothing to move
        SessionRecord rec = std::move(**cur);
        for (const auto& [model, u] : s.delta.tokens)
            rec.tokens_settled[model] += u;
        rec.generated_settled += s.delta.generated;
        rec.pending_settled = s.pending_after;
        auto text = json_text(session_to_json(rec));
        auto st = text ? atomic_write_file(file, *text) : Status(text.error());
        if (!st) return st.error();
    }
    // Prune sessions that are fully settled and idle: their history is in the notes.
    std::error_code ec;
    long long now = now_ms();
    for (const auto& e : fs::directory_iterator(dir_, ec)) {
        if (e.path().extension() != ".json") continue;
        auto r = load_file(e.path());
        if (!r || !*r) continue;
        const SessionRecord& rec = **r;
        SessionDelta d = delta_of(rec);
        if (d.tokens.empty() && d.generated == 0 && rec.pending_settled == 0 &&
            now - rec.last_seen_ms > kIdlePruneMs)
            fs::remove(e.path(), ec);
    }
    return {};
}

} // namespace provenant
