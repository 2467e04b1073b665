// `provenant hook <agent>`: placeholder until agent hooks land (issue 4).
#include "cli/commands.h"
namespace provenant::cli {
void register_hook(CLI::App& app) { (void)app; }
} // namespace provenant::cli
