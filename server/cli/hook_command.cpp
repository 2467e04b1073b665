// `provenant hook <agent>` (agent hook payloads on stdin; always exits 0) and the
// `--agents`/`--user` options of `install` / `uninstall` (agent hook configuration).
#include "agents/hook_event.h"
#include "agents/hook_runner.h"
#include "agents/install.h"
#include "cli/commands.h"
#include "cli/git_commands.h"
#include "journal/journal.h"
#include "support/fs.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <memory>
#include <spdlog/spdlog.h>
#include <sstream>
#include <unistd.h>

namespace provenant::cli {
namespace fs = std::filesystem;

namespace {

/// Reads stdin up to the payload limit (plus one byte, to detect an oversized payload).
std::string read_stdin() {
    std::string data;
    char buf[65536];
    while (data.size() <= agents::kMaxPayloadBytes) {
        size_t n = std::fread(buf, 1, sizeof buf, stdin);
        if (n == 0) break;
        data.append(buf, n);
    }
    return data;
}

struct AgentInstallArgs {
    std::vector<std::string> agents;
    bool user = false;
};

void run_install(const std::string& command, const AgentInstallArgs& args, bool add) {
    if (args.agents.empty()) return;
    agents::InstallOptions opts;
    opts.agents = args.agents;
    opts.user = args.user;
    opts.binary = self_path().string();
    const char* home = std::getenv("HOME");
    opts.home = home ? fs::path(home) : fs::path();
    if (opts.user && opts.home.empty())
        fail(command, ErrorKind::invalid_input, "--user needs HOME to be set");
    std::error_code ec;
    fs::path cwd = fs::current_path(ec);
    if (auto loc = find_repository(cwd))
        opts.project = loc->workdir;
    else
        opts.project = cwd;
    auto r = add ? agents::install_agent_hooks(opts) : agents::uninstall_agent_hooks(opts);
    if (!r) fail(command, r.error());
    for (const auto& line : r->lines)
        std::printf("%s\n", line.c_str());
}

/// Adds --agents/--user to `sub` and runs the agent part once parsing is complete (before
/// the subcommand's own callback, which may belong to the git notes engineer's install).
void add_agent_options(CLI::App* sub, const std::string& name, bool add) {
    auto args = std::make_shared<AgentInstallArgs>();
    sub->add_option("--agents", args->agents,
                    "Agents whose hooks to " + std::string(add ? "install" : "remove") +
                        ": claude-code, cursor, codex, gemini, copilot (comma-separated)")
        ->delimiter(',')
        ->check(CLI::IsMember(agents::installable_agents()));
    sub->add_flag(
        "--user", args->user,
        "The user's own agent settings (~/.claude, ~/.cursor, ...) instead of the project's");
    sub->parse_complete_callback([args, name, add] { run_install(name, *args, add); });
}

} // namespace

void register_hook(CLI::App& app) {
    auto* hook = app.add_subcommand(
        "hook", "Record what a coding agent wrote: reads the agent's hook payload on stdin");
    auto agent = std::make_shared<std::string>();
    hook->add_option("agent", *agent,
                     "claude-code, cursor, codex, gemini, copilot or generic (docs/agents.md)")
        ->required();
    hook->callback([agent] {
        // An agent waits on this process: answer, never fail, say what was not used.
        std::string payload = read_stdin();
        const auto& known = agents::known_agents();
        agents::HookReport report;
        if (std::find(known.begin(), known.end(), *agent) == known.end()) {
            report.messages.push_back("unknown agent \"" + *agent +
                                      "\" (known: claude-code, cursor, codex, gemini, copilot, "
                                      "generic): payload ignored");
        } else {
            std::error_code ec;
            const fs::path cwd = fs::current_path(ec);
            // Notes of commits made since the agent's last edit are written first: their attach
            // reads the journal this edit is about to change (a directory read when none wait).
            finish_pending_attaches_at(cwd);
            report = agents::run_hook(*agent, payload, cwd);
        }
        for (const auto& m : report.messages)
            std::fprintf(stderr, "provenant hook %s: %s\n", agent->c_str(), m.c_str());
        if (*agent == "cursor")
            std::printf("{}\n"); // Cursor reads a JSON answer; empty means "carry on"
        std::fflush(stdout);
    });

    for (auto [name, add] : {std::pair<const char*, bool>{"install", true}, {"uninstall", false}}) {
        CLI::App* sub = nullptr;
        for (CLI::App* existing : app.get_subcommands({}))
            if (existing->get_name() == name) sub = existing;
        if (!sub) {
            // The git notes commands are not registered (yet): offer the agent part alone.
            sub = app.add_subcommand(name, add ? "Install provenant's hooks"
                                               : "Remove provenant's hooks");
        }
        add_agent_options(sub, name, add);
    }
}

} // namespace provenant::cli
