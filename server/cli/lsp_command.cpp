// `provenant lsp`: the LSP sidecar over stdio (server/lsp does the work).
#include "cli/commands.h"
#include "cli/git_commands.h"
#include "lsp/stdio_server.h"
#include "support/log.h"

#include <spdlog/spdlog.h>

namespace provenant::cli {

void register_lsp(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "lsp", "Run the LSP sidecar over stdio: watch buffer edits, keep the origin of every "
               "character, and write pending provenance to the repository's journal");
    struct Options {
        std::string log_file;
        std::string log_level;
        bool no_journal = false;
    };
    auto opts = std::make_shared<Options>();
    cmd->add_option("--log", opts->log_file, "Write logs to this file (same as the global --log)");
    cmd->add_option("--log-level", opts->log_level, "trace, debug, info, warn, error or off")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
    cmd->add_flag("--no-journal", opts->no_journal,
                  "Keep provenance in memory only (no journal reads or writes)");
    cmd->callback([cmd, opts] {
        if (!opts->log_file.empty() || !opts->log_level.empty()) {
            // The subcommand's logging options override the global ones.
            std::string file = opts->log_file;
            std::string level = opts->log_level;
            CLI::App* root = cmd->get_parent();
            if (file.empty() && root->get_option("--log")->count())
                file = root->get_option("--log")->as<std::string>();
            if (level.empty())
                level = root->get_option("--log-level")->count()
                            ? root->get_option("--log-level")->as<std::string>()
                            : "warn";
            spdlog::drop("provenant");
            setup_logging(file, level);
        }
        lsp::StdioOptions options;
        options.server.journal = !opts->no_journal;
        // Notes of commits made since the last write go first (their attach reads the journal).
        options.server.before_journal_write = [](const std::filesystem::path& gitdir) {
            finish_pending_attaches_in(gitdir);
        };
        int code = lsp::run_stdio_server(options);
        if (code != 0) throw CLI::RuntimeError(code);
    });
}

} // namespace provenant::cli
