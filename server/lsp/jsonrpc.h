// JSON-RPC 2.0 vocabulary: error codes, message shapes, and the one place errors become JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace provenant::lsp {

using json = nlohmann::json;

/// JSON-RPC and LSP error codes.
enum class ErrorCode : int {
    ParseError = -32700,
    InvalidRequest = -32600,
    MethodNotFound = -32601,
    InvalidParams = -32602,
    InternalError = -32603,
    ServerNotInitialized = -32002,
    RequestFailed = -32803,
    RequestCancelled = -32800,
};

/// An error to send back for one request.
struct RpcError {
    ErrorCode code = ErrorCode::InternalError;
    std::string message;
};

/// The deepest JSON nesting accepted. LSP messages nest a handful of levels; the cap keeps
/// hostile input (`[[[[...`) from exhausting the stack in code that recurses over values.
inline constexpr int kMaxJsonDepth = 64;

/// Parses one message body. Errors (invalid JSON, nesting deeper than kMaxJsonDepth) carry
/// a message for the ParseError reply. Thread-safe (no shared state).
std::optional<json> parse_body(std::string_view body, std::string* error);

/// What an incoming message is, decided from its shape alone.
struct Incoming {
    enum Kind { Request, Notification, Response, Invalid } kind = Invalid;
    std::string method;
    json id;                      ///< request / response id (number or string), null otherwise
    const json* params = nullptr; ///< points into the message; null when absent
    std::string problem;          ///< for Invalid: what is wrong, naming the field
};
/// Classifies `msg` (which must outlive the result). Never throws.
Incoming classify(const json& msg);

/// The JSON-RPC reply objects.
json make_result(const json& id, json result);
json make_error(const json& id, const RpcError& error);
json make_notification(std::string_view method, json params);

/// A short printable form of an id for logs.
std::string id_to_string(const json& id);

} // namespace provenant::lsp
