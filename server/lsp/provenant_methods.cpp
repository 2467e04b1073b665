// provenant's own LSP methods: annotate, documentProvenance and sync.
#include "lsp/server.h"
#include "lsp/server_internal.h"

#include <asio/post.hpp>
#include <set>
#include <spdlog/spdlog.h>

namespace provenant::lsp {

void Server::provenant_annotate(const json* params) {
    AnnotateParams p;
    if (auto err = from_json(params, p))
        return spdlog::warn("lsp: provenant/annotate ignored: {}", err->message);
    OpenDocument* d = find(p.uri, "provenant/annotate");
    if (!d) return;
    Status s = d->doc.annotate(p.version, p.origin, p.ranges);
    if (!s.ok())
        spdlog::warn("lsp: provenant/annotate for {} (version {}) rejected: {}", p.uri, p.version,
                     s.error().message);
    else
        mark_dirty(*d);
    log_dropped(*d);
}

void Server::provenant_documentProvenance(const json* params, const Reply& reply) {
    DocumentParams p;
    if (auto err = from_json(params, p)) return reply.error(*err);
    reply_provenance(p.uri, reply);
}

void Server::reply_provenance(const std::string& uri, const Reply& reply) {
    auto it = documents_.find(uri);
    if (it == documents_.end())
        return reply.error(
            make_error(ErrorKind::not_found, "params.textDocument.uri: " + uri + " is not open"));
    if (it->second->restoring) { // answered with the journal's attribution, once it is here
        it->second->after_restore.emplace_back(
            [this, uri, reply] { reply_provenance(uri, reply); });
        return;
    }
    const Document& doc = it->second->doc;
    CharCounts chars;
    std::vector<LineVerdict> verdicts = doc.classify(&chars);
    json lines = json::array();
    json line_origins = json::array();
    std::set<uint32_t> used;
    for (const LineVerdict& v : verdicts) {
        lines.push_back(to_string(v.cls));
        if (v.origin) {
            line_origins.push_back(std::to_string(*v.origin));
            used.insert(*v.origin);
        } else {
            line_origins.push_back(nullptr);
        }
    }
    json origins = json::object();
    for (uint32_t id : used)
        origins[std::to_string(id)] = doc.origins().at(id);
    reply.result(json{{"uri", uri},
                      {"version", doc.version()},
                      {"lines", std::move(lines)},
                      {"lineOrigins", std::move(line_origins)},
                      {"origins", std::move(origins)},
                      {"chars",
                       {{"ai", chars.ai},
                        {"human", chars.human},
                        {"paste", chars.paste},
                        {"unknown", chars.unknown}}}});
}

void Server::provenant_sync(const json*, const Reply& reply) {
    // Every earlier message has been handled (the core thread takes them in order). Hand all
    // unsaved edits to the journal, look for other writers now, and answer once the worker
    // has done all of it and its results have come back to this thread. A document whose
    // restore is on its way is written when it arrives: the answer waits for that write too.
    after_restores([this, reply] {
        flush_all();
        if (!worker_ || finished_) return reply.result(nullptr);
        worker_->poll_now();
        worker_->barrier([this, reply] { asio::post(core_, [reply] { reply.result(nullptr); }); });
    });
}

} // namespace provenant::lsp
