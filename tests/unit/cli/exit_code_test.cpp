// Unit tests: the CLI's exit codes, mapped from error kinds in one place (cli/exit_code.h).
#include "cli/exit_code.h"

#include <doctest/doctest.h>

using namespace provenant;
using namespace provenant::cli;

TEST_CASE("exit codes: a usage error is 2, every other failure 1 (README, man page)") {
    CHECK(kExitOk == 0);
    CHECK(exit_code(ErrorKind::usage) == 2);
    for (ErrorKind k : {ErrorKind::invalid_input, ErrorKind::not_found, ErrorKind::io,
                        ErrorKind::conflict, ErrorKind::internal})
        CHECK_MESSAGE(exit_code(k) == 1, to_string(k));
    // The kind travels with the error through context(), so the code does too.
    Error e = make_error(ErrorKind::usage, "expected 'amend' or 'rebase'").context("rewritten");
    CHECK(exit_code(e.kind) == 2);
}

TEST_CASE("exit codes: CLI11's parse errors are usage errors; --help and --version succeed") {
    CHECK(parse_exit_code(0) == 0);
    CHECK(parse_exit_code(105) == 2); // CLI11's ValidationError
    CHECK(parse_exit_code(109) == 2); // CLI11's ExtrasError (an unknown option)
}
