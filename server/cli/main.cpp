// provenant's entry point: parses the command line and dispatches; commands live in
// their own files.
#include "cli/commands.h"
#include "cli/exit_code.h"
#include "support/log.h"

#include <cstdio>
#include <iostream>

namespace provenant::cli {
void fail(const std::string& command, const Error& error) {
    std::fprintf(stderr, "provenant %s: %s\n", command.c_str(), error.message.c_str());
    throw CLI::RuntimeError(exit_code(error.kind));
}
void fail(const std::string& command, ErrorKind kind, const std::string& message) {
    fail(command, make_error(kind, message));
}
void fail_quietly() {
    throw CLI::RuntimeError(kExitFailure);
}
} // namespace provenant::cli

int main(int argc, char** argv) {
    CLI::App app{"provenant: line-level provenance of AI-written code, kept in git notes.",
                 "provenant"};
    app.set_version_flag("--version", std::string("provenant ") + PROVENANT_VERSION);
    app.require_subcommand(1);
    std::string log_file;
    std::string log_level = "warn";
    app.add_option("--log", log_file, "Write logs to this file instead of stderr");
    app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
    app.parse_complete_callback([&] { provenant::setup_logging(log_file, log_level); });

    provenant::cli::register_lsp(app);
    provenant::cli::register_status(app);
    provenant::cli::register_git(app);
    provenant::cli::register_hook(app);
    provenant::cli::register_report(app);
    provenant::cli::register_export(app);

    // libgit2 is initialised lazily by the git layer (git::ensure_libgit2): commands that
    // never touch a repository (lsp, most hooks) skip its ~8 ms start-up.
    int code = provenant::cli::kExitOk;
    try {
        app.parse(argc, argv);
    } catch (const CLI::RuntimeError& e) { // a command's failure (cli::fail): code chosen
        code = e.get_exit_code();
    } catch (const CLI::ParseError& e) { // prints CLI11's message (or the help)
        code = provenant::cli::parse_exit_code(app.exit(e));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "provenant: %s\n", e.what());
        code = provenant::cli::exit_code(provenant::ErrorKind::internal);
    }
    return code;
}
