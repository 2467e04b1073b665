// The process exit codes of `provenant`: the one place they are chosen (README "Exit codes").
#pragma once

#include "support/result.h"

namespace provenant::cli {

inline constexpr int kExitOk = 0;
/// A command failed: its error, or each item that failed, is said on stderr.
inline constexpr int kExitFailure = 1;
/// The command line could not be used: an unknown option or subcommand, a missing or extra
/// argument, or git's post-rewrite argument or input. Option values that parse but name
/// nothing (an unknown ref, `--by` key, date) are failures (1), as docs/report.md says.
inline constexpr int kExitUsage = 2;

/// The exit code of a command that failed with an error of `kind`.
constexpr int exit_code(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::usage:
        return kExitUsage;
    case ErrorKind::invalid_input:
    case ErrorKind::not_found:
    case ErrorKind::io:
    case ErrorKind::conflict:
    case ErrorKind::internal:
        return kExitFailure;
    }
    return kExitFailure;
}

/// The exit code for a command-line parse error that CLI11 reports with `cli11_code` (0 for
/// --help and --version, which succeed): every other parse error is a usage error.
constexpr int parse_exit_code(int cli11_code) {
    return cli11_code == 0 ? kExitOk : exit_code(ErrorKind::usage);
}

} // namespace provenant::cli
