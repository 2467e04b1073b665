// Reading LSP parameters from JSON with errors that name the bad field's JSON path.
#include "lsp/protocol.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <stdexcept>

namespace provenant::lsp {
namespace {

// A cursor into a JSON value that knows its path. The first error wins and is kept in `err`;
// later reads become no-ops, so handlers read every field and check once at the end. The
// path is kept as segments (string literals and indices) and only turned into text on an
// error, so reading a valid message allocates nothing for paths (this is the keystroke path).
class Reader {
public:
    Reader(const json* value, std::optional<ParamsError>& err) : value_(value), err_(err) {}

    const json* value() const { return value_; }
    bool failed() const { return err_.has_value(); }

    /// The path of this value, or of its first `depth` segments.
    std::string path(size_t depth = SIZE_MAX) const {
        std::string out = "params";
        for (size_t i = 0; i < std::min(depth, size_); ++i) {
            if (segments_[i].index == kNoIndex) {
                out += '.';
                out += segments_[i].key;
            } else {
                out += '[' + std::to_string(segments_[i].index) + ']';
            }
        }
        if (depth >= size_ && truncated_) out += "...";
        return out;
    }

    // `err_` is a reference shared by every Reader of one message, so failing is const.
    void fail(const std::string& what) const { fail_at(path(), what); }
    void fail_at(const std::string& at, const std::string& what) const {
        if (!err_) err_ = make_error(ErrorKind::invalid_input, at + ": " + what);
    }

    /// The member `key` (a string literal) of this object as a Reader (value null when
    /// missing; a missing parent makes every descendant missing, and a required read names
    /// the first missing ancestor).
    Reader field(std::string_view key) const {
        Reader sub = child(Segment{key, kNoIndex});
        if (failed() || !value_) {
            sub.missing_depth_ = missing_depth_ ? missing_depth_ : size_;
            return sub;
        }
        if (!value_->is_object()) {
            fail("expected an object");
            return sub;
        }
        auto it = value_->find(key);
        sub.value_ = it == value_->end() || it->is_null() ? nullptr : &*it;
        return sub;
    }

    bool present() const { return value_ != nullptr; }

    bool require() {
        if (!failed() && !value_)
            fail_at(path(missing_depth_ ? missing_depth_ : SIZE_MAX), "missing");
        return !failed();
    }

    void read(std::string& out) {
        if (!require()) return;
        if (!value_->is_string()) return fail("expected a string");
        out = value_->get<std::string>();
    }

    /// A view into the message: valid while the message lives (no copy of document text).
    void read(std::string_view& out) {
        if (!require()) return;
        if (!value_->is_string()) return fail("expected a string");
        out = value_->get_ref<const std::string&>();
    }

    void read(int64_t& out) {
        if (!require()) return;
        if (!value_->is_number_integer()) return fail("expected an integer");
        if (value_->is_number_unsigned() &&
            value_->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
            return fail("integer out of range");
        out = value_->get<int64_t>();
    }

    // LSP `uinteger`: 0 .. 2^31-1.
    void read(uint32_t& out) {
        if (!require()) return;
        if (!value_->is_number_integer() || value_->get<int64_t>() < 0 ||
            value_->get<int64_t>() > std::numeric_limits<int32_t>::max())
            return fail("expected a non-negative integer");
        out = static_cast<uint32_t>(value_->get<int64_t>());
    }

    void read(Position& out) {
        field("line").read(out.line);
        field("character").read(out.character);
    }

    void read(TextRange& out) {
        if (!require()) return;
        field("start").read(out.start);
        field("end").read(out.end);
        if (!failed() && out.end < out.start) fail("end before start");
    }

    template <typename T, typename F> void each(std::vector<T>& out, F&& read_one) {
        if (!require()) return;
        if (!value_->is_array()) return fail("expected an array");
        out.clear();
        out.reserve(value_->size());
        for (size_t i = 0; i < value_->size() && !failed(); ++i) {
            Reader item = child(Segment{{}, i});
            item.value_ = &(*value_)[i];
            out.emplace_back();
            read_one(item, out.back());
        }
    }

private:
    static constexpr size_t kNoIndex = SIZE_MAX;
    static constexpr size_t kMaxDepth = 8;
    struct Segment {
        std::string_view key; ///< a string literal
        size_t index = kNoIndex;
    };

    Reader child(Segment seg) const {
        Reader sub(nullptr, err_);
        sub.segments_ = segments_;
        sub.size_ = size_;
        sub.truncated_ = truncated_;
        if (size_ < kMaxDepth)
            sub.segments_[sub.size_++] = seg;
        else
            sub.truncated_ = true;
        return sub;
    }

    const json* value_;
    std::optional<ParamsError>& err_;
    std::array<Segment, kMaxDepth> segments_{};
    size_t size_ = 0;
    size_t missing_depth_ = 0; ///< path depth of the first absent ancestor (0: none)
    bool truncated_ = false;
};

std::optional<EditReason> reason_from(Reader r) {
    if (!r.present()) return std::nullopt;
    std::string s;
    r.read(s);
    if (r.failed()) return std::nullopt;
    if (s == "undo" || s == "Undo") return EditReason::Undo;
    if (s == "redo" || s == "Redo") return EditReason::Redo;
    return EditReason::None; // other reasons (VS Code sends none for typing) are plain edits
}

Reader params_reader(const json* params, std::optional<ParamsError>& err) {
    Reader r(params, err);
    if (!params || !params->is_object()) r.fail("expected an object");
    return r;
}

} // namespace

std::optional<ParamsError> from_json(const json* params, InitializeParams& out) {
    std::optional<ParamsError> err;
    Reader r = params_reader(params, err);
    Reader encodings = r.field("capabilities").field("general").field("positionEncodings");
    // (Readers copy their path, so chaining through temporaries is safe.)
    if (encodings.present())
        encodings.each(out.position_encodings, [](Reader& item, std::string& s) { item.read(s); });
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
    r.field("contentChanges").each(out.changes, [&](Reader& item, ContentChange& c) {
        if (Reader range = item.field("range"); range.present()) {
            c.range.emplace();
            range.read(*c.range);
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
        .each(out.files, [](Reader& item, RenameFilesParams::File& f) {
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
    if (origin.require()) {
        try {
            provenant::from_json(*origin.value(), out.origin);
            if (out.origin.cls == OriginClass::Unknown)
                origin.fail_at("params.origin.class", "expected ai, paste or human");
        } catch (const std::exception& e) {
            // from_json names the field relative to the origin ("origin.kind: ...").
            origin.fail_at("params", e.what());
        }
    }
    r.field("ranges").each(out.ranges, [](Reader& item, TextRange& range) { item.read(range); });
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
