// Git commands: placeholder until notes land (issue 3).
#include "cli/commands.h"
namespace provenant::cli {
void register_git(CLI::App& app) { (void)app; }
} // namespace provenant::cli
