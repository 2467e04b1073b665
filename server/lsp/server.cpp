// The LSP binding's core: message dispatch, the reply-once guard, cancellation, lifecycle state.
#include "lsp/server.h"

#include "support/json_text.h"

#include <spdlog/spdlog.h>

namespace provenant::lsp {

// ---- CancelRegistry ----

void CancelRegistry::cancel(const json& id) {
    std::lock_guard lock(mutex_);
    std::string key = json_text_lossy(id);
    if (!ids_.insert(key).second) return;
    order_.push_back(key);
    if (order_.size() > kMax) {
        ids_.erase(order_.front());
        order_.pop_front();
    }
}

bool CancelRegistry::take(const json& id) {
    std::lock_guard lock(mutex_);
    if (ids_.empty()) return false;
    return ids_.erase(json_text_lossy(id)) > 0; // its order_ slot ages out harmlessly
}

// ---- Reply ----

struct Reply::State {
    json id;
    std::string method;
    Send send;
    std::mutex mutex;
    bool replied = false;

    bool claim() {
        std::lock_guard lock(mutex);
        if (replied) {
            spdlog::error("lsp: second reply to {} (id {}) dropped", method, id_to_string(id));
            return false;
        }
        replied = true;
        return true;
    }
    ~State() {
        if (!replied && send) {
            spdlog::error("lsp: {} (id {}) finished without a reply", method, id_to_string(id));
            send(make_error(id, {ErrorCode::InternalError, method + ": no reply was produced"}));
        }
    }
};

Reply::Reply(json id, std::string method, Send send) : state_(std::make_shared<State>()) {
    state_->id = std::move(id);
    state_->method = std::move(method);
    state_->send = std::move(send);
}

void Reply::result(json value) const {
    if (state_->claim()) state_->send(make_result(state_->id, std::move(value)));
}

void Reply::error(const Error& e) const {
    RpcError r = rpc_error(e);
    error(r.code, std::move(r.message));
}

void Reply::error(ErrorCode code, std::string message) const {
    if (state_->claim()) {
        spdlog::info("lsp: {} (id {}) failed: {}", state_->method, id_to_string(state_->id),
                     message);
        state_->send(make_error(state_->id, {code, std::move(message)}));
    }
}

// ---- Server ----

Server::Server(asio::io_context& core, Send send, ServerOptions options)
    : send_(std::move(send)), runtime_(core, options.journal),
      session_(runtime_, std::move(options)) {
    requests_ = {
        {"initialize", &Server::initialize},
        {"shutdown", &Server::shutdown},
        {"provenant/documentProvenance", &Server::provenant_documentProvenance},
        {"provenant/sync", &Server::provenant_sync},
    };
    notifications_ = {
        {"initialized", &Server::initialized},
        {"exit", &Server::exit},
        {"textDocument/didOpen", &Server::textDocument_didOpen},
        {"textDocument/didChange", &Server::textDocument_didChange},
        {"textDocument/didSave", &Server::textDocument_didSave},
        {"textDocument/didClose", &Server::textDocument_didClose},
        {"workspace/didRenameFiles", &Server::workspace_didRenameFiles},
        {"provenant/annotate", &Server::provenant_annotate},
    };
}

Server::~Server() {
    finish();
}

void Server::finish() {
    session_.finish();
}

void Server::handle(const json& message) {
    if (done_) return; // messages after `exit` (or the end of input) are not handled
    Incoming in = classify(message);
    try {
        switch (in.kind) {
        case Incoming::Request:
            handle_request(in);
            return;
        case Incoming::Notification:
            handle_notification(in);
            return;
        case Incoming::Response:
            spdlog::debug("lsp: ignoring a response (id {}): this server sends no requests",
                          id_to_string(in.id));
            return;
        case Incoming::Invalid:
            spdlog::warn("lsp: invalid message: {}", in.problem);
            send_(make_error(in.id, {ErrorCode::InvalidRequest, in.problem}));
            return;
        }
    } catch (const std::exception& e) {
        // A handler bug must not take the editor's session down with it. Requests still get
        // their one reply (from the Reply guard going out of scope).
        spdlog::error("lsp: handling {}: {}", in.method, e.what());
    }
}

void Server::handle_request(const Incoming& in) {
    Reply reply(in.id, in.method, send_);
    if (cancel_.take(in.id))
        return reply.error(ErrorCode::RequestCancelled, in.method + ": cancelled");
    if (phase_ == Phase::Uninitialized && in.method != "initialize")
        return reply.error(ErrorCode::ServerNotInitialized,
                           in.method + ": the server is not initialized");
    if (phase_ == Phase::ShutDown)
        return reply.error(ErrorCode::InvalidRequest, in.method + ": the server is shut down");
    auto it = requests_.find(in.method);
    if (it == requests_.end())
        return reply.error(ErrorCode::MethodNotFound, "method not found: " + in.method);
    (this->*(it->second))(in.params, reply);
}

void Server::handle_notification(const Incoming& in) {
    if (in.method == "exit") return exit(in.params);
    if (in.method == "$/cancelRequest")
        return; // recorded by the transport thread; reaching here means nothing was waiting
    if (in.method.rfind("$/", 0) == 0)
        return; // protocol-implementation notifications may be ignored
    if (phase_ != Phase::Running) {
        spdlog::info("lsp: {} ignored: the server is {}", in.method,
                     phase_ == Phase::Uninitialized ? "not initialized" : "shut down");
        return;
    }
    auto it = notifications_.find(in.method);
    if (it == notifications_.end()) {
        spdlog::info("lsp: unknown notification {} ignored", in.method);
        return;
    }
    (this->*(it->second))(in.params);
}

void Server::mark_done(int code) {
    if (done_) return;
    done_ = true;
    exit_code_ = code;
    finish();
    if (on_done_) on_done_();
}

void Server::stop(std::string_view why) {
    if (done_) return;
    spdlog::info("lsp: {}; stopping without exit", why);
    mark_done(phase_ == Phase::ShutDown ? 0 : 1);
}

// ---- lifecycle ----

void Server::initialize(const json* params, const Reply& reply) {
    if (phase_ != Phase::Uninitialized)
        return reply.error(ErrorCode::InvalidRequest, "initialize: already initialized");
    InitializeParams p;
    if (auto err = from_json(params, p)) return reply.error(*err);
    const PositionEncoding encoding = negotiate_encoding(p.position_encodings);
    session_.set_encoding(encoding);
    phase_ = Phase::Running;
    spdlog::info("lsp: initialized; positions in {}", to_string(encoding));
    // Renamed files keep their pending provenance (session/renames.cpp): every file: URI, files and
    // folders alike.
    json rename_filter = {{"scheme", "file"}, {"pattern", {{"glob", "**"}}}};
    json file_operations = {{"didRename", {{"filters", json::array({rename_filter})}}}};
    reply.result(json{{"capabilities",
                       {{"positionEncoding", to_string(encoding)},
                        {"textDocumentSync",
                         {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
                        {"workspace", {{"fileOperations", file_operations}}}}},
                      {"serverInfo", {{"name", "provenant"}, {"version", PROVENANT_VERSION}}}});
}

void Server::initialized(const json*) {}

void Server::shutdown(const json*, const Reply& reply) {
    phase_ = Phase::ShutDown;
    session_.shutdown([reply] { reply.result(nullptr); });
}

void Server::exit(const json*) {
    mark_done(phase_ == Phase::ShutDown ? 0 : 1);
}

} // namespace provenant::lsp
