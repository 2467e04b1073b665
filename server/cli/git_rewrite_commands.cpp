// Rewrite, sync and CI commands: placeholder until the rewrites work lands (issue 3).
#include "cli/git_commands.h"

namespace provenant::cli {
void register_git_rewrites(CLI::App& app) {
    (void)app;
}
} // namespace provenant::cli
