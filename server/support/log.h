// Logging setup: spdlog to stderr or a file, never stdout (stdout carries LSP in `lsp` mode).
#pragma once

#include <string>

namespace provenant {

/// Configure the default spdlog logger. `file` empty means stderr. `level` is one of
/// trace, debug, info, warn, error, off. Call once from main, before any thread starts.
void setup_logging(const std::string& file, const std::string& level);

} // namespace provenant
