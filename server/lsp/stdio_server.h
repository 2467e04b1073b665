// Runs the LSP server over stdin/stdout: wires the transport, the core thread and signals.
#pragma once

#include "lsp/server.h"

namespace provenant::lsp {

struct StdioOptions {
    ServerOptions server;
    int in_fd = 0;
    int out_fd = 1;
};

/// Serves one LSP session until `exit`, the end of the input, SIGINT or SIGTERM. Threads: the
/// caller's thread becomes the core thread (documents); one I/O thread reads and writes;
/// the server's journal worker writes to disk. Returns the process exit code: 0 after
/// shutdown + exit, 1 otherwise. Never throws.
int run_stdio_server(const StdioOptions& options);

} // namespace provenant::lsp
