// The generic hook payload: a documented JSON form (docs/agents.md) for any agent or script.
#include "agents/hook_event.h"

#include <algorithm>

namespace provenant::agents {
using nlohmann::json;

namespace {

const std::string kKinds[] = {"agent", "completion", "chat"};

TokenUsage usage_of(const json& u, const std::string& where) {
    if (!u.is_object()) throw std::invalid_argument(where + ": expected an object");
    TokenUsage t;
    auto num = [&](const char* key) -> uint64_t {
        auto it = u.find(key);
        if (it == u.end() || it->is_null()) return 0;
        if (!it->is_number_unsigned())
            throw std::invalid_argument(where + "." + key + ": expected a non-negative integer");
        return it->get<uint64_t>();
    };
    t.input = num("input");
    t.output = num("output");
    t.cache_read = num("cache_read");
    t.cache_write_5m = num("cache_write_5m");
    t.cache_write_1h = num("cache_write_1h");
    t.reasoning = num("reasoning");
    for (const auto& [k, v] : u.items()) {
        (void)v;
        if (k != "input" && k != "output" && k != "cache_read" && k != "cache_write_5m" &&
            k != "cache_write_1h" && k != "reasoning")
            throw std::invalid_argument(where + "." + k + ": unknown token field");
    }
    return t;
}

} // namespace

Result<HookEvent> parse_generic(const json& j) {
    return guarded("generic payload", [&]() -> Result<HookEvent> {
        HookEvent ev;
        ev.tool = field::string(j, "agent", "");
        if (ev.tool.empty() || ev.tool.size() > 64)
            throw std::invalid_argument("agent: expected a name of 1 to 64 characters");
        for (char c : ev.tool)
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                  c == '.'))
                throw std::invalid_argument("agent: use lower-case letters, digits, '-', '_', '.'");
        ev.kind = field::opt_string(j, "kind", "").value_or("agent");
        if (std::find(std::begin(kKinds), std::end(kKinds), ev.kind) == std::end(kKinds))
            throw std::invalid_argument("kind: expected agent, completion or chat");
        ev.model = field::opt_string(j, "model", "").value_or("");
        ev.session = field::opt_string(j, "session", "").value_or("");
        ev.request = field::opt_string(j, "request", "").value_or("");
        ev.cwd = field::opt_string(j, "cwd", "").value_or("");
        std::string phase = field::opt_string(j, "event", "").value_or("post");
        if (phase == "pre")
            ev.phase = HookPhase::Pre;
        else if (phase == "post")
            ev.phase = HookPhase::Post;
        else
            throw std::invalid_argument("event: expected \"pre\" or \"post\"");
        ev.event_name = phase;
        if (const json* t = field::find(j, "tokens", ""))
            ev.tokens[ev.model] = usage_of(*t, "tokens");
        const json* files = field::opt_array(j, "files", "");
        if (!files) {
            // No files: a pre snapshots the repository, a post compares with that snapshot.
            ev.snapshot_repo = !ev.request.empty();
            if (!ev.snapshot_repo && ev.tokens.empty())
                ev.notes.push_back("no files, no tokens and no request: nothing to record");
            return ev;
        }
        for (size_t i = 0; i < files->size(); ++i) {
            std::string where = field::index_path("files", i);
            const json& f = (*files)[i];
            FileChange c;
            c.path = field::string(f, "path", where);
            c.before = field::opt_string(f, "before", where);
            c.after = field::opt_string(f, "after", where);
            c.created = field::opt_bool(f, "created", where).value_or(false);
            c.deleted = field::opt_bool(f, "deleted", where).value_or(false);
            if (c.created && !c.before) c.before = std::string();
            if (const json* edits = field::opt_array(f, "edits", where)) {
                for (size_t k = 0; k < edits->size(); ++k) {
                    std::string w = field::index_path(field::member_path(where, "edits"), k);
                    const json& e = (*edits)[k];
                    Replacement r;
                    r.old_text = field::string(e, "old", w);
                    r.new_text = field::string(e, "new", w);
                    r.replace_all = field::opt_bool(e, "all", w).value_or(false);
                    c.replacements.push_back(std::move(r));
                }
            }
            ev.files.push_back(std::move(c));
        }
        return ev;
    });
}

} // namespace provenant::agents
