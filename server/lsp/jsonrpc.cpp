// JSON-RPC 2.0: body parsing with a depth cap, message classification, reply objects.
#include "lsp/jsonrpc.h"

#include "support/json_text.h"

namespace provenant::lsp {

namespace {

bool carries_document_text(std::string_view method) {
    return method == "textDocument/didOpen" || method == "textDocument/didChange" ||
           method == "textDocument/didSave";
}

} // namespace

std::optional<json> parse_body(std::string_view body, std::string* error, ErrorCode* code) {
    auto fail = [&](ErrorCode c, std::string message) {
        if (error) *error = std::move(message);
        if (code) *code = c;
        return std::nullopt;
    };
    // One linear scan (strings skipped), far cheaper than the parse it guards: the nesting
    // depth, how many values a parse would build, and the top-level "method".
    const JsonShape shape = measure_json(body, kMaxJsonDepth, "method");
    if (shape.too_deep)
        return fail(ErrorCode::ParseError,
                    "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    // Budgets before the parse, so memory is bounded by design: a parsed value costs up to
    // ~100 bytes (`[{},{},...]` amplified 33x), a string about its length.
    if (shape.values > kMaxJsonValues)
        return fail(ErrorCode::InvalidRequest, "message refused: more than " +
                                                   std::to_string(kMaxJsonValues) +
                                                   " JSON values (no LSP message needs that many)");
    if (body.size() > kMaxSmallMessage && !carries_document_text(shape.member))
        return fail(ErrorCode::InvalidRequest,
                    "message refused: " + std::to_string(body.size()) + " bytes is over the " +
                        std::to_string(kMaxSmallMessage) + "-byte limit for " +
                        (shape.member.empty() ? std::string("a message without a method")
                                              : "method " + shape.member) +
                        " (only didOpen, didChange and didSave carry document text)");
    // One parse, with exceptions: the library's message carries the byte position. Every
    // json::exception is caught, not only parse_error: a number out of range (`1e400`) is an
    // out_of_range, and once an exception escaped here the I/O thread lost its read chain.
    try {
        return json::parse(body);
    } catch (const json::exception& e) {
        return fail(ErrorCode::ParseError, e.what());
    } catch (const std::exception& e) { // bad_alloc and the like: still one answer per body
        return fail(ErrorCode::ParseError, std::string("invalid JSON: ") + e.what());
    }
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
    return json_text_lossy(id);
}

} // namespace provenant::lsp
