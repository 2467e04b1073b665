// Reading LSP parameters from JSON with errors that name the bad field's JSON path.
#include "lsp/protocol.h"

#include "protocol/origin_reader.h"
#include "support/json_fields.h"

#include <cstdint>
#include <limits>

namespace provenant::lsp {
namespace {

// Parameters are read with support's json_fields::Reader: non-throwing on the LSP thread, its
// path kept as segments and only turned into text on an error. LSP's own types follow.
using json_fields::Reader;

/// LSP `uinteger`: 0 .. 2^31-1.
void read_uinteger(const Reader& r, uint32_t& out) {
    uint64_t v = 0;
    r.read_count(v, static_cast<uint64_t>(std::numeric_limits<int32_t>::max()));
    if (!r.failed()) out = static_cast<uint32_t>(v);
}

void read_position(const Reader& r, Position& out) {
    read_uinteger(r.field("line"), out.line);
    read_uinteger(r.field("character"), out.character);
}

void read_range(const Reader& r, TextRange& out) {
    if (!r.require()) return;
    read_position(r.field("start"), out.start);
    read_position(r.field("end"), out.end);
    if (!r.failed() && out.end < out.start) r.fail("end before start");
}

std::optional<EditReason> reason_from(const Reader& r) {
    if (!r.present()) return std::nullopt;
    std::string s;
    r.read(s);
    if (r.failed()) return std::nullopt;
    if (s == "undo" || s == "Undo") return EditReason::Undo;
    if (s == "redo" || s == "Redo") return EditReason::Redo;
    return EditReason::None; // other reasons (VS Code sends none for typing) are plain edits
}

Reader params_reader(const json* params, std::optional<ParamsError>& err) {
    Reader r(params, "params", err);
    r.expect_object();
    return r;
}

} // namespace

std::optional<ParamsError> from_json(const json* params, InitializeParams& out) {
    std::optional<ParamsError> err;
    Reader r = params_reader(params, err);
    Reader encodings = r.field("capabilities").field("general").field("positionEncodings");
    // (Readers copy their path, so chaining through temporaries is safe.)
    if (encodings.present())
        encodings.each(out.position_encodings,
                       [](const Reader& item, std::string& s) { item.read(s); });
    return err;
}

std::optional<ParamsError> from_json(const json* params, DidOpenParams& out) {
    std::optional<ParamsError> err;
    Reader doc = params_reader(params, err).field("textDocument");
    doc.field("uri").read(out.uri);
    doc.field("version").read(out.version);
    doc.field("text").read(out.text);
    if (Reader lang = doc.field("languageId"); lang.present()) lang.read(out.language_id);
    return err;
}

std::optional<ParamsError> from_json(const json* params, DidChangeParams& out) {
    std::optional<ParamsError> err;
    Reader r = params_reader(params, err);
    Reader doc = r.field("textDocument");
    doc.field("uri").read(out.uri);
    doc.field("version").read(out.version);
    // `reason` is our extension: on the params (applies to every change) or on a change.
    EditReason all = reason_from(r.field("reason")).value_or(EditReason::None);
    r.field("contentChanges").each(out.changes, [&](const Reader& item, ContentChange& c) {
        if (Reader range = item.field("range"); range.present()) {
            c.range.emplace();
            read_range(range, *c.range);
        }
        item.field("text").read(c.text);
        c.reason = reason_from(item.field("reason")).value_or(all);
    });
    return err;
}

std::optional<ParamsError> from_json(const json* params, DidSaveParams& out) {
    std::optional<ParamsError> err;
    Reader r = params_reader(params, err);
    r.field("textDocument").field("uri").read(out.uri);
    if (Reader text = r.field("text"); text.present()) {
        std::string_view t;
        text.read(t);
        out.text = t;
    }
    return err;
}

std::optional<ParamsError> from_json(const json* params, DidCloseParams& out) {
    std::optional<ParamsError> err;
    params_reader(params, err).field("textDocument").field("uri").read(out.uri);
    return err;
}

std::optional<ParamsError> from_json(const json* params, RenameFilesParams& out) {
    std::optional<ParamsError> err;
    params_reader(params, err)
        .field("files")
        .each(out.files, [](const Reader& item, RenameFilesParams::File& f) {
            item.field("oldUri").read(f.old_uri);
            item.field("newUri").read(f.new_uri);
        });
    return err;
}

std::optional<ParamsError> from_json(const json* params, AnnotateParams& out) {
    std::optional<ParamsError> err;
    Reader r = params_reader(params, err);
    Reader doc = r.field("textDocument");
    doc.field("uri").read(out.uri);
    doc.field("version").read(out.version);
    Reader origin = r.field("origin");
    read_origin(origin, out.origin);
    if (!origin.failed() && out.origin.cls == OriginClass::Unknown)
        origin.field("class").fail("expected ai, paste or human");
    r.field("ranges").each(out.ranges,
                           [](const Reader& item, TextRange& range) { read_range(item, range); });
    return err;
}

std::optional<ParamsError> from_json(const json* params, DocumentParams& out) {
    std::optional<ParamsError> err;
    params_reader(params, err).field("textDocument").field("uri").read(out.uri);
    return err;
}

std::optional<ParamsError> from_json(const json* params, CancelParams& out) {
    std::optional<ParamsError> err;
    Reader id = params_reader(params, err).field("id");
    if (id.require()) {
        if (id.value()->is_string() || id.value()->is_number_integer())
            out.id = *id.value();
        else
            id.fail("expected an integer or a string");
    }
    return err;
}

std::string_view to_string(PositionEncoding e) {
    switch (e) {
    case PositionEncoding::Utf8:
        return "utf-8";
    case PositionEncoding::Utf32:
        return "utf-32";
    case PositionEncoding::Utf16:
        break;
    }
    return "utf-16";
}

std::optional<PositionEncoding> position_encoding_from_string(std::string_view s) {
    if (s == "utf-8") return PositionEncoding::Utf8;
    if (s == "utf-16") return PositionEncoding::Utf16;
    if (s == "utf-32") return PositionEncoding::Utf32;
    return std::nullopt;
}

PositionEncoding negotiate_encoding(const std::vector<std::string>& offered) {
    auto has = [&](std::string_view name) {
        for (const auto& o : offered)
            if (o == name) return true;
        return false;
    };
    if (has("utf-8")) return PositionEncoding::Utf8;
    if (has("utf-32")) return PositionEncoding::Utf32;
    return PositionEncoding::Utf16;
}

json to_json(const TextRange& r) {
    return json{{"start", {{"line", r.start.line}, {"character", r.start.character}}},
                {"end", {{"line", r.end.line}, {"character", r.end.character}}}};
}

json to_json(const session::DocumentProvenance& p) {
    json out = {{"uri", p.uri}, {"version", p.version}};
    add_to_json(out, p.attribution);
    return out;
}

} // namespace provenant::lsp
