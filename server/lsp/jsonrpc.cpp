// JSON-RPC 2.0: body parsing with a depth cap, message classification, reply objects.
#include "lsp/jsonrpc.h"

namespace provenant::lsp {

namespace {

// A linear scan for nesting depth (strings skipped), far cheaper than the parse it guards.
bool too_deep(std::string_view body) {
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < body.size(); ++i) {
        char c = body[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"')
            in_string = true;
        else if (c == '[' || c == '{') {
            if (++depth > kMaxJsonDepth) return true;
        } else if (c == ']' || c == '}')
            --depth;
    }
    return false;
}

} // namespace

std::optional<json> parse_body(std::string_view body, std::string* error) {
    if (too_deep(body)) {
        if (error) *error = "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
        return std::nullopt;
    }
    json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
        if (error) {
            // Re-parse with exceptions only on the error path, for a message with a position.
            try {
                json again = json::parse(body);
                (void)again;
                *error = "invalid JSON";
            } catch (const json::parse_error& e) {
                *error = e.what();
            }
        }
        return std::nullopt;
    }
    return j;
}

Incoming classify(const json& msg) {
    Incoming in;
    if (!msg.is_object()) {
        in.problem = msg.is_array() ? "batches are not supported" : "message: expected an object";
        return in;
    }
    auto version = msg.find("jsonrpc");
    if (version == msg.end() || !version->is_string() || *version != "2.0") {
        in.problem = "jsonrpc: expected \"2.0\"";
        // Still pick up the id so the error reply can name the request.
    }
    auto id = msg.find("id");
    bool has_id = id != msg.end();
    if (has_id) {
        if (id->is_string() || id->is_number_integer() || id->is_number_unsigned())
            in.id = *id;
        else if (!id->is_null()) {
            in.problem = "id: expected an integer or a string";
            return in;
        }
    }
    if (!in.problem.empty()) return in;
    auto method = msg.find("method");
    if (method == msg.end()) {
        if (has_id && (msg.contains("result") || msg.contains("error"))) {
            in.kind = Incoming::Response;
            return in;
        }
        in.problem = "method: missing";
        return in;
    }
    if (!method->is_string()) {
        in.problem = "method: expected a string";
        return in;
    }
    in.method = method->get<std::string>();
    auto params = msg.find("params");
    if (params != msg.end()) {
        if (!params->is_object() && !params->is_array() && !params->is_null()) {
            in.problem = "params: expected an object or an array";
            return in;
        }
        if (!params->is_null()) in.params = &*params;
    }
    in.kind = has_id ? Incoming::Request : Incoming::Notification;
    return in;
}

json make_result(const json& id, json result) {
    return json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

json make_error(const json& id, const RpcError& error) {
    return json{{"jsonrpc", "2.0"},
                {"id", id},
                {"error", {{"code", static_cast<int>(error.code)}, {"message", error.message}}}};
}

json make_notification(std::string_view method, json params) {
    return json{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}

std::string id_to_string(const json& id) {
    if (id.is_string()) return id.get<std::string>();
    return id.dump();
}

} // namespace provenant::lsp
