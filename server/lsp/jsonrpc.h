// JSON-RPC 2.0 vocabulary: error codes, message shapes, and the one place errors become JSON.
#pragma once

#include "support/json_budget.h"
#include "support/result.h"

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

/// The JSON-RPC code of a reply that carries an Error of `kind`: the one place the binding
/// maps error kinds to codes. Bad or missing params (and a document that is not open) are
/// InvalidParams, as LSP clients expect; a failure of the server's own work is
/// RequestFailed; a broken invariant is InternalError. Protocol errors that are not an
/// Error (unknown method, not initialized, cancelled) name their ErrorCode directly.
constexpr ErrorCode error_code(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::usage:
    case ErrorKind::invalid_input:
    case ErrorKind::not_found:
        return ErrorCode::InvalidParams;
    case ErrorKind::io:
    case ErrorKind::conflict:
        return ErrorCode::RequestFailed;
    case ErrorKind::internal:
        return ErrorCode::InternalError;
    }
    return ErrorCode::InternalError;
}
inline RpcError rpc_error(const Error& e) {
    return {error_code(e.kind), e.message};
}

/// The deepest JSON nesting and the most JSON values (containers and elements) one message
/// may hold: the budget of every JSON text from outside (support/json_budget.h). A parsed
/// value costs up to ~100 bytes, so this bounds a message's parse at ~30 MB whatever its
/// shape; a didChange of 20,000 ranged edits or a didChangeWatchedFiles of 100,000 files fits.
inline constexpr int kMaxJsonDepth = kJsonBudget.max_depth;
inline constexpr size_t kMaxJsonValues = kJsonBudget.max_values;
/// The largest body of a message that carries no document text: everything but didOpen,
/// didChange and didSave (whose text may be megabytes, up to kMaxContentLength).
inline constexpr size_t kMaxSmallMessage = 1u << 20;

/// Parses one message body. Errors carry a message for the reply and, in `code`, its kind:
/// ParseError for invalid JSON or nesting deeper than kMaxJsonDepth, InvalidRequest for a
/// body over budget (more than kMaxJsonValues values, or over kMaxSmallMessage bytes for a
/// method that carries no document text), refused before any parse. Thread-safe.
std::optional<json> parse_body(std::string_view body, std::string* error,
                               ErrorCode* code = nullptr);

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
