// Test support: the LSP client over the real binary's stdio (its own framing, subset matching).
#include "support/lsp_client.h"

#include <cctype>
#include <doctest/doctest.h>

namespace provenant::test {

using namespace std::chrono;

json lsp_position(uint32_t line, uint32_t character) {
    return json{{"line", line}, {"character", character}};
}

json lsp_range(uint32_t l1, uint32_t c1, uint32_t l2, uint32_t c2) {
    return json{{"start", lsp_position(l1, c1)}, {"end", lsp_position(l2, c2)}};
}

std::string file_uri(const std::string& path) {
    static const char* kHex = "0123456789ABCDEF";
    std::string out = "file://";
    for (unsigned char c : path) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string lsp_frame(const std::string& body) {
    return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

bool json_subset(const json& expected, const json& actual, std::string* where) {
    auto fail = [&](const std::string& what) {
        if (where) *where = what;
        return false;
    };
    if (expected.is_object()) {
        if (!actual.is_object()) return fail("expected an object, got " + actual.dump());
        for (auto& [k, v] : expected.items()) {
            auto it = actual.find(k);
            if (it == actual.end()) return fail("missing key '" + k + "'");
            std::string sub;
            if (!json_subset(v, *it, &sub)) return fail(k + ": " + sub);
        }
        return true;
    }
    if (expected.is_array()) {
        if (!actual.is_array() || actual.size() != expected.size())
            return fail("expected " + expected.dump() + ", got " + actual.dump());
        for (size_t i = 0; i < expected.size(); ++i) {
            std::string sub;
            if (!json_subset(expected[i], actual[i], &sub))
                return fail("[" + std::to_string(i) + "]: " + sub);
        }
        return true;
    }
    if (expected != actual) return fail("expected " + expected.dump() + ", got " + actual.dump());
    return true;
}

LspClient::LspClient() : LspClient(Options{}) {}

LspClient::LspClient(Options options) : options_(std::move(options)) {
    stderr_path_ = options_.stderr_path;
    if (stderr_path_.empty()) {
        log_dir_ = std::make_unique<TempDir>();
        stderr_path_ = log_dir_->path() + "/server.log";
    }
    std::vector<std::string> argv{PROVENANT_BINARY, "lsp"};
    argv.insert(argv.end(), options_.args.begin(), options_.args.end());
    child_ = std::make_unique<Child>(argv, options_.cwd, options_.env, stderr_path_);
}

LspClient::~LspClient() = default;

std::string LspClient::log() const {
    return read_text(stderr_path_);
}

void LspClient::send(const json& message) {
    send_raw(lsp_frame(message.dump()));
}

void LspClient::send_raw(const std::string& bytes) {
    bool ok = child_->write(bytes);
    CHECK_MESSAGE(ok, "writing to provenant lsp failed (did it die?)");
}

int64_t LspClient::send_request(const std::string& method, const json& params) {
    int64_t id = next_id_++;
    send(json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}});
    return id;
}

void LspClient::notify(const std::string& method, const json& params) {
    send(json{{"jsonrpc", "2.0"}, {"method", method}, {"params", params}});
}

std::optional<json> LspClient::read_message(milliseconds timeout) {
    auto header = child_->read_until("\r\n\r\n", timeout);
    if (!header) return std::nullopt;
    size_t length = 0;
    bool found = false;
    size_t pos = 0;
    while (pos < header->size()) {
        size_t eol = header->find("\r\n", pos);
        std::string line = header->substr(pos, eol - pos);
        pos = eol + 2;
        std::string lower;
        for (char c : line)
            lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower.rfind("content-length:", 0) == 0) {
            length = std::stoul(line.substr(15));
            found = true;
        }
    }
    REQUIRE_MESSAGE(found, "server sent a header without Content-Length: " << *header);
    std::string body = child_->read_exact(length, timeout);
    REQUIRE_MESSAGE(body.size() == length, "server message body truncated");
    json j = json::parse(body, nullptr, false);
    REQUIRE_MESSAGE(!j.is_discarded(), "server sent invalid JSON: " << body);
    return j;
}

std::optional<json> LspClient::next_message(milliseconds timeout) {
    if (!queue_.empty()) {
        json j = std::move(queue_.front());
        queue_.pop_front();
        return j;
    }
    return read_message(timeout);
}

json LspClient::wait_reply(int64_t id) {
    for (auto it = queue_.begin(); it != queue_.end(); ++it) {
        if (it->contains("id") && (*it)["id"] == id && !it->contains("method")) {
            json j = std::move(*it);
            queue_.erase(it);
            return j;
        }
    }
    auto deadline = steady_clock::now() + options_.timeout;
    for (;;) {
        auto left = duration_cast<milliseconds>(deadline - steady_clock::now());
        REQUIRE_MESSAGE(left.count() > 0, "no reply to request " << id << "; server log:\n"
                                                                 << log());
        auto m = read_message(left);
        REQUIRE_MESSAGE(m.has_value(), "no reply to request " << id << " (EOF or timeout); "
                                                              << "server log:\n"
                                                              << log());
        if (m->contains("id") && (*m)["id"] == id && !m->contains("method")) return *m;
        queue_.push_back(std::move(*m));
    }
}

json LspClient::request(const std::string& method, const json& params) {
    return wait_reply(send_request(method, params));
}

json LspClient::initialize(const std::vector<std::string>& encodings) {
    json caps = json::object();
    if (!encodings.empty()) caps["general"]["positionEncodings"] = encodings;
    json reply = request(
        "initialize", json{{"processId", nullptr}, {"rootUri", nullptr}, {"capabilities", caps}});
    REQUIRE_MESSAGE(reply.contains("result"), "initialize failed: " << reply.dump());
    notify("initialized", json::object());
    return reply["result"];
}

int LspClient::shutdown_and_exit() {
    json reply = request("shutdown", nullptr);
    CHECK_MESSAGE(reply.contains("result"), "shutdown failed: " << reply.dump());
    notify("exit", nullptr);
    auto code = wait_exit();
    REQUIRE_MESSAGE(code.has_value(), "provenant lsp did not exit");
    return *code;
}

std::optional<int> LspClient::wait_exit(milliseconds timeout) {
    return child_->wait(timeout);
}

void LspClient::did_open(const std::string& uri, const std::string& text, int64_t version,
                         const std::string& language) {
    notify("textDocument/didOpen",
           json{{"textDocument",
                 {{"uri", uri}, {"languageId", language}, {"version", version}, {"text", text}}}});
}

void LspClient::did_change(const std::string& uri, int64_t version, const json& range,
                           const std::string& text, const std::string& reason) {
    json change{{"range", range}, {"text", text}};
    json params{{"textDocument", {{"uri", uri}, {"version", version}}},
                {"contentChanges", json::array({change})}};
    if (!reason.empty()) params["reason"] = reason;
    notify("textDocument/didChange", params);
}

void LspClient::did_change_many(const std::string& uri, int64_t version, const json& changes) {
    notify("textDocument/didChange", json{{"textDocument", {{"uri", uri}, {"version", version}}},
                                          {"contentChanges", changes}});
}

void LspClient::did_change_full(const std::string& uri, int64_t version, const std::string& text) {
    did_change_many(uri, version, json::array({json{{"text", text}}}));
}

void LspClient::did_save(const std::string& uri) {
    notify("textDocument/didSave", json{{"textDocument", {{"uri", uri}}}});
}

void LspClient::did_close(const std::string& uri) {
    notify("textDocument/didClose", json{{"textDocument", {{"uri", uri}}}});
}

void LspClient::annotate(const std::string& uri, int64_t version, const json& origin,
                         const json& ranges) {
    notify("provenant/annotate", json{{"textDocument", {{"uri", uri}, {"version", version}}},
                                      {"origin", origin},
                                      {"ranges", ranges}});
}

json LspClient::provenance(const std::string& uri) {
    json reply = request("provenant/documentProvenance", json{{"textDocument", {{"uri", uri}}}});
    REQUIRE_MESSAGE(reply.contains("result"), "documentProvenance failed: " << reply.dump());
    return reply["result"];
}

std::vector<std::string> LspClient::line_classes(const std::string& uri) {
    return provenance(uri)["lines"].get<std::vector<std::string>>();
}

void LspClient::sync() {
    json reply = request("provenant/sync", nullptr);
    REQUIRE_MESSAGE(reply.contains("result"), "sync failed: " << reply.dump());
}

} // namespace provenant::test
