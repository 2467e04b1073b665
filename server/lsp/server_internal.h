// The server's per-document state, shared by the handler files of the LSP binding.
#pragma once

#include "core/document.h"
#include "lsp/journal_worker.h"
#include "lsp/server.h"

#include <optional>
#include <string>

namespace provenant::lsp {

/// One open document. Owned by the Server, touched on the core thread only.
struct Server::OpenDocument {
    uint64_t id = 0; ///< unique per didOpen, so late journal results find no reopened copy
    std::string uri;
    Document doc;
    std::optional<JournalTarget> journal; ///< none: outside any repository (memory only)
    bool dirty = false;                   ///< edits not yet handed to the journal worker
};

} // namespace provenant::lsp
