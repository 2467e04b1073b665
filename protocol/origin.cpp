// Origin classes and records: names and JSON conversion.
#include "protocol/origin.h"

#include <array>
#include <stdexcept>

namespace provenant {

namespace {
constexpr std::array<std::string_view, 4> kOriginNames = {"unknown", "human", "paste", "ai"};
constexpr std::array<std::string_view, 6> kLineNames = {"blank", "ai", "ai_modified",
                                                        "human", "paste", "unknown"};

std::string get_string(const nlohmann::json& j, const char* field) {
    auto it = j.find(field);
    if (it == j.end() || it->is_null())
        return {};
    if (!it->is_string())
        throw std::invalid_argument(std::string("origin.") + field + ": expected a string");
    return it->get<std::string>();
}

uint64_t get_count(const nlohmann::json& j, const char* field) {
    auto it = j.find(field);
    if (it == j.end() || it->is_null())
        return 0;
    if (!it->is_number_unsigned() && !(it->is_number_integer() && it->get<int64_t>() >= 0))
        throw std::invalid_argument(std::string("tokens.") + field +
                                    ": expected a non-negative integer");
    return it->get<uint64_t>();
}
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

void from_json(const nlohmann::json& j, OriginRecord& r) {
    if (!j.is_object())
        throw std::invalid_argument("origin: expected an object");
    std::string cls = get_string(j, "class");
    auto c = origin_class_from_string(cls.empty() ? "ai" : cls);
    if (!c)
        throw std::invalid_argument("origin.class: unknown class '" + cls + "'");
    r.cls = *c;
    r.tool = get_string(j, "tool");
    r.kind = get_string(j, "kind");
    r.model = get_string(j, "model");
    r.session = get_string(j, "session");
    r.request = get_string(j, "request");
    if (r.cls == OriginClass::Ai && !r.kind.empty() && !is_valid_ai_kind(r.kind))
        throw std::invalid_argument("origin.kind: expected completion, agent or chat, got '" +
                                    r.kind + "'");
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
    if (!j.is_object())
        throw std::invalid_argument("tokens: expected an object");
    u.input = get_count(j, "input");
    u.output = get_count(j, "output");
    u.cache_read = get_count(j, "cache_read");
    u.cache_write_5m = get_count(j, "cache_write_5m");
    u.cache_write_1h = get_count(j, "cache_write_1h");
    u.reasoning = get_count(j, "reasoning");
}

} // namespace provenant
