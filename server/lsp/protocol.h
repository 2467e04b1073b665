// LSP and provenant message parameters as plain structs, each read from JSON by a function
// that names the JSON path of the first bad field ("params.contentChanges[0].range.start").
#pragma once

#include "core/document.h"
#include "lsp/jsonrpc.h"
#include "protocol/origin.h"
#include "session/session.h"

#include <optional>
#include <string>
#include <vector>

namespace provenant::lsp {

/// Reading a params object failed: an ErrorKind::invalid_input Error whose message names the
/// JSON path and what was expected.
using ParamsError = Error;

/// The parts of `initialize` we use.
struct InitializeParams {
    std::vector<std::string> position_encodings; ///< capabilities.general.positionEncodings
};

// Text fields are views into the JSON message: valid while the message lives, so document
// text is never copied on its way to the Document.

struct DidOpenParams {
    std::string uri;
    std::string language_id;
    int64_t version = 0;
    std::string_view text;
};

/// One of didChange's contentChanges, read straight into the session's type.
using ContentChange = session::TextChange;

struct DidChangeParams {
    std::string uri;
    int64_t version = 0;
    std::vector<ContentChange> changes;
};

struct DidSaveParams {
    std::string uri;
    std::optional<std::string_view> text;
};

struct DidCloseParams {
    std::string uri;
};

/// `workspace/didRenameFiles` (LSP file operations): files or folders renamed by the client.
struct RenameFilesParams {
    struct File {
        std::string old_uri;
        std::string new_uri;
    };
    std::vector<File> files;
};

/// `provenant/annotate`.
struct AnnotateParams {
    std::string uri;
    int64_t version = 0;
    OriginRecord origin;
    std::vector<TextRange> ranges;
};

/// `provenant/documentProvenance` (and anything else that names just a document).
struct DocumentParams {
    std::string uri;
};

/// `$/cancelRequest`.
struct CancelParams {
    json id;
};

// Each returns nullopt on success, else the first bad field. `params` may be null (absent).
std::optional<ParamsError> from_json(const json* params, InitializeParams& out);
std::optional<ParamsError> from_json(const json* params, DidOpenParams& out);
std::optional<ParamsError> from_json(const json* params, DidChangeParams& out);
std::optional<ParamsError> from_json(const json* params, DidSaveParams& out);
std::optional<ParamsError> from_json(const json* params, DidCloseParams& out);
std::optional<ParamsError> from_json(const json* params, RenameFilesParams& out);
std::optional<ParamsError> from_json(const json* params, AnnotateParams& out);
std::optional<ParamsError> from_json(const json* params, DocumentParams& out);
std::optional<ParamsError> from_json(const json* params, CancelParams& out);

/// LSP's encoding names.
std::string_view to_string(PositionEncoding e);
std::optional<PositionEncoding> position_encoding_from_string(std::string_view s);

/// The encoding the server picks from what the client offers: utf-8 (cheapest for us), else
/// utf-32, else utf-16 (the LSP default, also when nothing is offered).
PositionEncoding negotiate_encoding(const std::vector<std::string>& offered);

json to_json(const TextRange& r);

/// provenant/documentProvenance's result: {"uri", "version"} and the attribution's shape
/// (protocol/line_attribution.h, the same as status --json's per file).
json to_json(const session::DocumentProvenance& p);

} // namespace provenant::lsp
