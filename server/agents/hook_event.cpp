// Typed access to payload fields with JSON-path errors, and dispatch to each agent's parser.
#include "agents/hook_event.h"

#include <stdexcept>

namespace provenant::agents {
using nlohmann::json;

namespace field {

namespace {
std::string type_error(std::string_view where, const char* key, const char* expected,
                       const json& got) {
    return std::string(where) + (where.empty() ? "" : ".") + key + ": expected " + expected +
           ", got " + got.type_name();
}
} // namespace

std::optional<std::string> opt_string(const json& obj, const char* key, std::string_view where) {
    if (!obj.is_object())
        throw std::invalid_argument(std::string(where.empty() ? "payload" : where) +
                                    ": expected an object");
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) throw std::invalid_argument(type_error(where, key, "a string", *it));
    return it->get<std::string>();
}

std::string string(const json& obj, const char* key, std::string_view where) {
    auto s = opt_string(obj, key, where);
    if (!s)
        throw std::invalid_argument(std::string(where) + (where.empty() ? "" : ".") + key +
                                    ": missing");
    return *s;
}

const json& object(const json& obj, const char* key, std::string_view where) {
    auto it = obj.find(key);
    if (it == obj.end())
        throw std::invalid_argument(std::string(where) + (where.empty() ? "" : ".") + key +
                                    ": missing");
    if (!it->is_object()) throw std::invalid_argument(type_error(where, key, "an object", *it));
    return *it;
}

std::optional<std::string> first_string(const json& obj, std::initializer_list<const char*> keys,
                                        std::string_view where) {
    for (const char* k : keys)
        if (auto s = opt_string(obj, k, where)) return s;
    return std::nullopt;
}

} // namespace field

const std::vector<std::string>& known_agents() {
    static const std::vector<std::string> agents = {"claude-code", "cursor",  "codex",
                                                    "gemini",      "copilot", "generic"};
    return agents;
}

Result<HookEvent> parse_payload(std::string_view agent, const json& j) {
    if (!j.is_object())
        return make_error(std::string("payload: expected a JSON object, got ") + j.type_name());
    if (agent == "claude-code") return parse_claude_code(j);
    if (agent == "cursor") return parse_cursor(j);
    if (agent == "codex") return parse_codex(j);
    if (agent == "gemini") return parse_gemini(j);
    if (agent == "copilot") return parse_copilot(j);
    if (agent == "generic") return parse_generic(j);
    return make_error("unknown agent \"" + std::string(agent) + "\"");
}

} // namespace provenant::agents
