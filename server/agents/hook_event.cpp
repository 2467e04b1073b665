// Typed access to payload fields with JSON-path errors, and dispatch to each agent's parser.
#include "agents/hook_event.h"

#include <stdexcept>

namespace provenant::agents {
using nlohmann::json;

const std::vector<std::string>& known_agents() {
    static const std::vector<std::string> agents = {"claude-code", "cursor",  "codex",
                                                    "gemini",      "copilot", "generic"};
    return agents;
}

Result<HookEvent> parse_payload(std::string_view agent, const json& j) {
    if (!j.is_object())
        return make_error(ErrorKind::invalid_input,
                          std::string("payload: expected a JSON object, got ") + j.type_name());
    if (agent == "claude-code") return parse_claude_code(j);
    if (agent == "cursor") return parse_cursor(j);
    if (agent == "codex") return parse_codex(j);
    if (agent == "gemini") return parse_gemini(j);
    if (agent == "copilot") return parse_copilot(j);
    if (agent == "generic") return parse_generic(j);
    return make_error(ErrorKind::invalid_input, "unknown agent \"" + std::string(agent) + "\"");
}

} // namespace provenant::agents
