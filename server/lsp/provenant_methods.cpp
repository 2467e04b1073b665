// provenant's own LSP methods: annotate, documentProvenance and sync, decoded here and handled
// by the session.
#include "lsp/server.h"

#include <spdlog/spdlog.h>

namespace provenant::lsp {

void Server::provenant_annotate(const json* params) {
    AnnotateParams p;
    if (auto err = from_json(params, p))
        return spdlog::warn("lsp: provenant/annotate ignored: {}", err->message);
    session_.annotate(p.uri, p.version, p.origin, p.ranges);
}

void Server::provenant_documentProvenance(const json* params, const Reply& reply) {
    DocumentParams p;
    if (auto err = from_json(params, p)) return reply.error(*err);
    // Answered once the document's restore has arrived (the session keeps the callback).
    session_.provenance(p.uri, [reply](Result<session::DocumentProvenance> r) {
        if (!r.ok()) return reply.error(r.error().context("params.textDocument.uri"));
        reply.result(to_json(*r));
    });
}

void Server::provenant_sync(const json*, const Reply& reply) {
    session_.sync([reply] { reply.result(nullptr); });
}

} // namespace provenant::lsp
