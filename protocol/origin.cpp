// Origin classes and records: names and JSON conversion.
#include "protocol/origin.h"

#include "protocol/origin_reader.h"

#include <array>

namespace provenant {

namespace {
constexpr std::array<std::string_view, 4> kOriginNames = {"unknown", "human", "paste", "ai"};
constexpr std::array<std::string_view, 6> kLineNames = {"blank", "ai", "ai_modified",
                                                        "human", "paste", "unknown"};

} // namespace

std::string_view to_string(OriginClass c) { return kOriginNames.at(static_cast<size_t>(c)); }
std::string_view to_string(LineClass c) { return kLineNames.at(static_cast<size_t>(c)); }

std::optional<OriginClass> origin_class_from_string(std::string_view s) {
    for (size_t i = 0; i < kOriginNames.size(); ++i)
        if (kOriginNames[i] == s)
            return static_cast<OriginClass>(i);
    return std::nullopt;
}

std::optional<LineClass> line_class_from_string(std::string_view s) {
    for (size_t i = 0; i < kLineNames.size(); ++i)
        if (kLineNames[i] == s)
            return static_cast<LineClass>(i);
    return std::nullopt;
}

bool is_valid_ai_kind(std::string_view kind) {
    return kind == "completion" || kind == "agent" || kind == "chat";
}

TokenUsage& TokenUsage::operator+=(const TokenUsage& o) {
    input += o.input;
    output += o.output;
    cache_read += o.cache_read;
    cache_write_5m += o.cache_write_5m;
    cache_write_1h += o.cache_write_1h;
    reasoning += o.reasoning;
    return *this;
}

std::string OriginRecord::key() const {
    std::string k(to_string(cls));
    for (const std::string* f : {&tool, &kind, &model, &session, &request}) {
        k += '\x1f';
        k += *f;
    }
    return k;
}

void to_json(nlohmann::json& j, const OriginRecord& r) {
    j = nlohmann::json::object();
    j["class"] = to_string(r.cls);
    if (!r.tool.empty()) j["tool"] = r.tool;
    if (!r.kind.empty()) j["kind"] = r.kind;
    if (!r.model.empty()) j["model"] = r.model;
    if (!r.session.empty()) j["session"] = r.session;
    if (!r.request.empty()) j["request"] = r.request;
}

void read_origin(const json_fields::Reader& r, OriginRecord& out) {
    if (!r.expect_object()) return;
    OriginRecord rec;
    std::string cls;
    auto optional = [&](const char* key, std::string& s) {
        if (json_fields::Reader f = r.field(key); f.present()) f.read(s);
    };
    optional("class", cls);
    optional("tool", rec.tool);
    optional("kind", rec.kind);
    optional("model", rec.model);
    optional("session", rec.session);
    optional("request", rec.request);
    if (r.failed()) return;
    auto c = origin_class_from_string(cls.empty() ? "ai" : cls);
    if (!c) return r.field("class").fail("unknown class '" + cls + "'");
    rec.cls = *c;
    if (rec.cls == OriginClass::Ai && !rec.kind.empty() && !is_valid_ai_kind(rec.kind))
        return r.field("kind").fail("expected completion, agent or chat, got '" + rec.kind + "'");
    out = std::move(rec);
}

// Both throw json_fields::PathError (a std::invalid_argument), as nlohmann's from_json
// protocol expects; their callers catch it. The paths are named from "origin" and "tokens"
// because nlohmann's get<>() passes no path down.
void from_json(const nlohmann::json& j, OriginRecord& r) {
    std::optional<Error> err;
    read_origin(json_fields::Reader(&j, "origin", err), r);
    json_fields::throw_if(err);
}

void to_json(nlohmann::json& j, const TokenUsage& u) {
    j = nlohmann::json{{"input", u.input},
                       {"output", u.output},
                       {"cache_read", u.cache_read},
                       {"cache_write_5m", u.cache_write_5m},
                       {"cache_write_1h", u.cache_write_1h}};
    if (u.reasoning) j["reasoning"] = u.reasoning;
}

void read_tokens(const json_fields::Reader& r, TokenUsage& out) {
    if (!r.expect_object()) return;
    TokenUsage u;
    auto count = [&](const char* key, uint64_t& n) {
        if (json_fields::Reader f = r.field(key); f.present()) f.read(n);
    };
    count("input", u.input);
    count("output", u.output);
    count("cache_read", u.cache_read);
    count("cache_write_5m", u.cache_write_5m);
    count("cache_write_1h", u.cache_write_1h);
    count("reasoning", u.reasoning);
    if (!r.failed()) out = u;
}

void from_json(const nlohmann::json& j, TokenUsage& u) {
    std::optional<Error> err;
    read_tokens(json_fields::Reader(&j, "tokens", err), u);
    json_fields::throw_if(err);
}

} // namespace provenant
