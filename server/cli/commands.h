// The subcommands of `provenant`, one registration function per file in this directory.
#pragma once

#include "support/result.h"

#include <CLI/CLI.hpp>

namespace provenant::cli {

// Each adds its subcommand(s) to `app`. A failing command prints its error to stderr and
// throws CLI::RuntimeError(exit_code(kind)) (cli/exit_code.h), which main turns into the
// process exit code.
void register_lsp(CLI::App& app);       // lsp_command.cpp
void register_status(CLI::App& app);    // status_command.cpp
void register_git(CLI::App& app);       // install, uninstall, attach, show, blame, sync, ci (git_*.cpp)
void register_hook(CLI::App& app);      // hook <agent> (hook_command.cpp)
void register_report(CLI::App& app);    // report (report_command.cpp)
void register_export(CLI::App& app);    // export (export_command.cpp)

/// Prints "provenant <command>: <message>" to stderr and throws CLI::RuntimeError with the
/// exit code of the error's kind.
[[noreturn]] void fail(const std::string& command, const Error& error);
[[noreturn]] void fail(const std::string& command, ErrorKind kind, const std::string& message);
/// Exits with kExitFailure: the items that failed have been said on stderr.
[[noreturn]] void fail_quietly();

} // namespace provenant::cli
