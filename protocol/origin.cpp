// Origin classes and records: names and JSON conversion.
#include "protocol/origin.h"

#include "support/json_fields.h"

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

// Both throw json_fields::PathError (a std::invalid_argument), as nlohmann's from_json
// protocol expects; their callers catch it. The paths are named from "origin" and "tokens"
// because nlohmann's get<>() passes no path down.
void from_json(const nlohmann::json& j, OriginRecord& r) {
    namespace jf = json_fields;
    std::string cls = jf::opt_string(j, "class", "origin").value_or("");
    auto c = origin_class_from_string(cls.empty() ? "ai" : cls);
    if (!c) jf::fail("origin.class", "unknown class '" + cls + "'");
    r.cls = *c;
    r.tool = jf::opt_string(j, "tool", "origin").value_or("");
    r.kind = jf::opt_string(j, "kind", "origin").value_or("");
    r.model = jf::opt_string(j, "model", "origin").value_or("");
    r.session = jf::opt_string(j, "session", "origin").value_or("");
    r.request = jf::opt_string(j, "request", "origin").value_or("");
    if (r.cls == OriginClass::Ai && !r.kind.empty() && !is_valid_ai_kind(r.kind))
        jf::fail("origin.kind", "expected completion, agent or chat, got '" + r.kind + "'");
}

void to_json(nlohmann::json& j, const TokenUsage& u) {
    j = nlohmann::json{{"input", u.input},
                       {"output", u.output},
                       {"cache_read", u.cache_read},
                       {"cache_write_5m", u.cache_write_5m},
                       {"cache_write_1h", u.cache_write_1h}};
    if (u.reasoning) j["reasoning"] = u.reasoning;
}

void from_json(const nlohmann::json& j, TokenUsage& u) {
    namespace jf = json_fields;
    u.input = jf::opt_count(j, "input", "tokens");
    u.output = jf::opt_count(j, "output", "tokens");
    u.cache_read = jf::opt_count(j, "cache_read", "tokens");
    u.cache_write_5m = jf::opt_count(j, "cache_write_5m", "tokens");
    u.cache_write_1h = jf::opt_count(j, "cache_write_1h", "tokens");
    u.reasoning = jf::opt_count(j, "reasoning", "tokens");
}

} // namespace provenant
