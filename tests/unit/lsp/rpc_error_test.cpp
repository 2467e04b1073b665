// Unit tests: JSON-RPC error codes mapped from error kinds in one place (lsp/jsonrpc.h), and
// the reply that carries an Error.
#include "lsp/jsonrpc.h"
#include "lsp/protocol.h"
#include "lsp/server.h"

#include <doctest/doctest.h>

using namespace provenant;
using namespace provenant::lsp;

TEST_CASE("rpc error codes: bad params and unknown documents are InvalidParams") {
    CHECK(error_code(ErrorKind::invalid_input) == ErrorCode::InvalidParams);
    CHECK(error_code(ErrorKind::not_found) == ErrorCode::InvalidParams);
    CHECK(error_code(ErrorKind::usage) == ErrorCode::InvalidParams);
    CHECK(error_code(ErrorKind::io) == ErrorCode::RequestFailed);
    CHECK(error_code(ErrorKind::conflict) == ErrorCode::RequestFailed);
    CHECK(error_code(ErrorKind::internal) == ErrorCode::InternalError);
    RpcError r = rpc_error(make_error(ErrorKind::not_found, "params.textDocument.uri: x"));
    CHECK(r.code == ErrorCode::InvalidParams);
    CHECK(r.message == "params.textDocument.uri: x");
}

TEST_CASE("rpc error codes: a params error is invalid_input; Reply::error sends its code") {
    json params = {{"textDocument", {{"uri", 3}}}};
    DocumentParams p;
    auto err = from_json(&params, p);
    REQUIRE(err.has_value());
    CHECK(err->kind == ErrorKind::invalid_input);
    std::vector<json> sent;
    Reply reply(json(7), "provenant/documentProvenance", [&](const json& m) { sent.push_back(m); });
    reply.error(make_error(ErrorKind::io, "reading the journal: EIO"));
    REQUIRE(sent.size() == 1);
    CHECK(sent[0]["id"] == 7);
    CHECK(sent[0]["error"]["code"] == -32803);
    CHECK(sent[0]["error"]["message"] == "reading the journal: EIO");
}
