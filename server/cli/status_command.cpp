// `provenant status`: placeholder until the journal lands (issue 2).
#include "cli/commands.h"
namespace provenant::cli {
void register_status(CLI::App& app) {
    auto* cmd = app.add_subcommand("status", "Show the pending provenance of uncommitted work");
    cmd->callback([] { fail("status", "not built yet"); });
}
} // namespace provenant::cli
