// The text synchronisation notifications (didOpen/didChange/didSave/didClose) and
// workspace/didRenameFiles: decoded here, handled by the session.
#include "lsp/server.h"

#include <spdlog/spdlog.h>

namespace provenant::lsp {

void Server::textDocument_didOpen(const json* params) {
    DidOpenParams p;
    if (auto err = from_json(params, p))
        return spdlog::warn("lsp: textDocument/didOpen ignored: {}", err->message);
    session_.open(p.uri, p.version, p.text);
}

void Server::textDocument_didChange(const json* params) {
    DidChangeParams p;
    if (auto err = from_json(params, p))
        return spdlog::warn("lsp: textDocument/didChange ignored: {}", err->message);
    session_.change(p.uri, p.version, p.changes);
}

void Server::textDocument_didSave(const json* params) {
    DidSaveParams p;
    if (auto err = from_json(params, p))
        return spdlog::warn("lsp: textDocument/didSave ignored: {}", err->message);
    session_.save(p.uri, p.text);
}

void Server::textDocument_didClose(const json* params) {
    DidCloseParams p;
    if (auto err = from_json(params, p))
        return spdlog::warn("lsp: textDocument/didClose ignored: {}", err->message);
    session_.close(p.uri);
}

void Server::workspace_didRenameFiles(const json* params) {
    RenameFilesParams p;
    if (auto err = from_json(params, p))
        return spdlog::warn("lsp: workspace/didRenameFiles ignored: {}", err->message);
    for (const auto& f : p.files)
        session_.rename(f.old_uri, f.new_uri);
}

} // namespace provenant::lsp
