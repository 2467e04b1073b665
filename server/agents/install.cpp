// Agent hook installation: each agent's settings file, merged with nlohmann::ordered_json so
// that everything already there (and its order) is kept, and removed again exactly.
#include "agents/install.h"

#include "support/fs.h"
#include "support/json_text.h"
#include "support/shell_quote.h"

#include <functional>
#include <nlohmann/json.hpp>

namespace provenant::agents {
namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

namespace {

/// How one agent's file is laid out.
struct Layout {
    fs::path project_file;
    fs::path user_file;
    /// Claude-style nesting: event -> [{matcher, hooks: [{type, command}]}]; otherwise flat:
    /// event -> [{command...}].
    bool nested = true;
    std::vector<std::pair<std::string, std::string>> events; ///< (event, matcher or "")
    std::function<ojson(const std::string& command)> entry;  ///< one hook object
    bool versioned = false;                                  ///< top-level "version": 1
};

Layout layout_of(std::string_view agent) {
    Layout l;
    auto claude_entry = [](const std::string& c) {
        return ojson{{"type", "command"}, {"command", c}};
    };
    if (agent == "claude-code") {
        l.project_file = ".claude/settings.json";
        l.user_file = ".claude/settings.json";
        const std::string m = "Write|Edit|MultiEdit|NotebookEdit|Bash";
        l.events = {{"PreToolUse", m}, {"PostToolUse", m}, {"Stop", ""}};
        l.entry = claude_entry;
    } else if (agent == "codex") {
        l.project_file = ".codex/hooks.json";
        l.user_file = ".codex/hooks.json";
        l.events = {{"PreToolUse", ""}, {"PostToolUse", ""}, {"Stop", ""}};
        l.entry = claude_entry;
    } else if (agent == "gemini") {
        l.project_file = ".gemini/settings.json";
        l.user_file = ".gemini/settings.json";
        const std::string m = "write_file|replace|run_shell_command";
        l.events = {{"BeforeTool", m}, {"AfterTool", m}};
        l.entry = [](const std::string& c) {
            return ojson{{"name", "provenant"}, {"type", "command"}, {"command", c}};
        };
    } else if (agent == "cursor") {
        l.project_file = ".cursor/hooks.json";
        l.user_file = ".cursor/hooks.json";
        l.nested = false;
        l.versioned = true;
        l.events = {{"afterFileEdit", ""},
                    {"afterTabFileEdit", ""},
                    {"preToolUse", ""},
                    {"postToolUse", ""}};
        l.entry = [](const std::string& c) { return ojson{{"command", c}}; };
    } else if (agent == "copilot") {
        l.project_file = ".github/hooks/provenant.json";
        l.user_file = ".copilot/hooks/provenant.json";
        l.nested = false;
        l.versioned = true;
        l.events = {{"preToolUse", ""}, {"postToolUse", ""}};
        // `bash` for the Copilot CLI and cloud agent, `command` for VS Code's agent hooks.
        l.entry = [](const std::string& c) {
            return ojson{{"type", "command"}, {"bash", c}, {"command", c}, {"timeoutSec", 10}};
        };
    }
    return l;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// Whether a hook object is one of ours for `agent` (any provenant binary).
bool is_ours(const ojson& hook, std::string_view agent) {
    if (!hook.is_object()) return false;
    for (const char* key : {"command", "bash"}) {
        auto it = hook.find(key);
        if (it != hook.end() && it->is_string()) {
            const std::string& c = it->get_ref<const std::string&>();
            if (c.find("provenant") != std::string::npos &&
                ends_with(c, " hook " + std::string(agent)))
                return true;
        }
    }
    return false;
}

Result<ojson> read_config(const fs::path& file, bool& existed) {
    std::error_code ec;
    existed = fs::exists(file, ec);
    if (!existed) return ojson::object();
    auto text = read_file(file);
    if (!text) return text.error();
    if (text->find_first_not_of(" \t\r\n") == std::string::npos) return ojson::object();
    ojson j = ojson::parse(*text, nullptr, false);
    if (j.is_discarded())
        return make_error(ErrorKind::invalid_input,
                          file.string() + " is not valid JSON: left untouched");
    if (!j.is_object())
        return make_error(ErrorKind::invalid_input,
                          file.string() + " does not hold a JSON object: left untouched");
    return j;
}

std::string serialise(const ojson& j) {
    return json_text_lossy(j, 2) + "\n"; // parsed text and our own strings: already UTF-8
}

/// Install (add=true) or remove our hooks in `root`. Returns whether anything changed.
Result<bool> edit_hooks(ojson& root, const Layout& l, std::string_view agent,
                        const std::string& command, bool add, const fs::path& file) {
    if (root.contains("hooks") && !root["hooks"].is_object())
        return make_error(ErrorKind::invalid_input,
                          file.string() + ": \"hooks\" is not an object: left untouched");
    if (!add && !root.contains("hooks")) return false;
    ojson before = root;
    ojson& hooks = root["hooks"];
    if (hooks.is_null()) hooks = ojson::object();
    for (const auto& [event, matcher] : l.events) {
        if (hooks.contains(event) && !hooks[event].is_array())
            return make_error(ErrorKind::invalid_input, file.string() + ": hooks." + event +
                                                            " is not an array: left untouched");
        if (!add && !hooks.contains(event)) continue;
        ojson& list = hooks[event];
        if (list.is_null()) list = ojson::array();
        bool present = false;
        if (l.nested) {
            for (auto group = list.begin(); group != list.end();) {
                if (!group->is_object() || !group->contains("hooks") ||
                    !(*group)["hooks"].is_array()) {
                    ++group;
                    continue;
                }
                auto& inner = (*group)["hooks"];
                bool erased = false;
                for (auto it = inner.begin(); it != inner.end();) {
                    if (!is_ours(*it, agent)) {
                        ++it;
                    } else if (!add || present) { // removing, or a duplicate of ours
                        it = inner.erase(it);
                        erased = true;
                    } else {
                        present = true;
                        if ((*it)["command"] != command) (*it)["command"] = command;
                        ++it;
                    }
                }
                if (erased && inner.empty()) // a group only we were in
                    group = list.erase(group);
                else
                    ++group;
            }
        } else {
            for (auto it = list.begin(); it != list.end();) {
                if (!is_ours(*it, agent)) {
                    ++it;
                } else if (!add || present) {
                    it = list.erase(it);
                } else {
                    present = true;
                    if (*it != l.entry(command)) *it = l.entry(command);
                    ++it;
                }
            }
        }
        if (add && !present) {
            if (l.nested) {
                ojson group = ojson::object();
                if (!matcher.empty()) group["matcher"] = matcher;
                group["hooks"] = ojson::array({l.entry(command)});
                list.push_back(group);
            } else {
                list.push_back(l.entry(command));
            }
        }
        if (list.empty()) hooks.erase(event);
    }
    if (hooks.empty()) root.erase("hooks");
    if (add && l.versioned && !root.contains("version")) root["version"] = 1;
    return root != before;
}

Result<InstallReport> run(const InstallOptions& opts, bool add) {
    InstallReport report;
    if (add && opts.binary.empty())
        return make_error(ErrorKind::not_found, "cannot tell where the provenant executable is");
    for (const auto& agent : opts.agents) {
        const auto& known = installable_agents();
        if (std::find(known.begin(), known.end(), agent) == known.end())
            return make_error(ErrorKind::invalid_input,
                              "unknown agent \"" + agent +
                                  "\" (known: claude-code, cursor, codex, gemini, copilot)");
    }
    for (const auto& agent : opts.agents) {
        Layout l = layout_of(agent);
        fs::path file = agent_config_file(agent, opts);
        bool existed = false;
        auto root = read_config(file, existed);
        if (!root) {
            report.lines.push_back(agent + ": " + root.error().message);
            continue;
        }
        if (!add && !existed) {
            report.lines.push_back(agent + ": " + file.string() + ": nothing to remove");
            continue;
        }
        auto changed = edit_hooks(*root, l, agent, hook_command(opts.binary, agent), add, file);
        if (!changed) {
            report.lines.push_back(agent + ": " + changed.error().message);
            continue;
        }
        if (!*changed) {
            report.lines.push_back(agent + ": " + file.string() + ": unchanged");
            continue;
        }
        // A file that now holds nothing but what install adds on its own is removed.
        bool empty = root->empty() || (l.versioned && root->size() == 1 &&
                                       root->contains("version") && (*root)["version"] == 1);
        if (!add && empty) {
            std::error_code ec;
            fs::remove(file, ec);
            if (ec)
                return make_error(ErrorKind::io, "removing " + file.string() + ": " + ec.message());
            report.lines.push_back(agent + ": " + file.string() +
                                   ": removed (it held only provenant's hooks)");
        } else {
            if (auto st = atomic_write_file(file, serialise(*root)); !st) return st.error();
            report.lines.push_back(agent + ": " + file.string() +
                                   (add ? ": hooks added" : ": hooks removed"));
        }
        report.changed.push_back(file);
    }
    return report;
}

} // namespace

const std::vector<std::string>& installable_agents() {
    static const std::vector<std::string> a = {"claude-code", "cursor", "codex", "gemini",
                                               "copilot"};
    return a;
}

fs::path agent_config_file(std::string_view agent, const InstallOptions& opts) {
    Layout l = layout_of(agent);
    return opts.user ? opts.home / l.user_file : opts.project / l.project_file;
}

std::string hook_command(std::string_view binary, std::string_view agent) {
    return shell_quote(binary) + " hook " + std::string(agent);
}

Result<InstallReport> install_agent_hooks(const InstallOptions& opts) {
    return run(opts, true);
}
Result<InstallReport> uninstall_agent_hooks(const InstallOptions& opts) {
    return run(opts, false);
}

} // namespace provenant::agents
