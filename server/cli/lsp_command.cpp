// `provenant lsp`: placeholder until the LSP server lands (issue 2).
#include "cli/commands.h"
namespace provenant::cli {
void register_lsp(CLI::App& app) {
    auto* cmd = app.add_subcommand("lsp", "Run the LSP sidecar over stdio");
    cmd->callback([] { fail("lsp", "not built yet"); });
}
} // namespace provenant::cli
