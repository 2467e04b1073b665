// Git commands: placeholder until notes land (issue 3).
#include "cli/commands.h"
#include "cli/git_commands.h"
namespace provenant::cli {
void register_git(CLI::App& app) { register_git_rewrites(app); }
} // namespace provenant::cli
