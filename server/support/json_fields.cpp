// Reading fields of untrusted JSON with errors that name the field's JSON path.
#include "support/json_fields.h"

#include "support/json_text.h"

namespace provenant::json_fields {
using nlohmann::json;

namespace {
std::string expected(std::string_view what, const json& got) {
    return "expected " + std::string(what) + ", got " + got.type_name();
}
} // namespace

void fail(std::string_view path, std::string_view what) {
    throw PathError(std::string(path) + ": " + std::string(what));
}

std::string member_path(std::string_view base, std::string_view key) {
    if (base.empty()) return std::string(key);
    std::string out(base);
    out += '.';
    out += key;
    return out;
}

std::string quoted_path(std::string_view base, std::string_view key) {
    // A key that is not UTF-8 is shown with U+FFFD: the message itself must be valid JSON text.
    return std::string(base) + "[" + json_text_lossy(json(std::string(key))) + "]";
}

std::string index_path(std::string_view base, size_t i) {
    return std::string(base) + "[" + std::to_string(i) + "]";
}

void expect_object(const json& j, std::string_view path) {
    if (!j.is_object()) fail(path.empty() ? "payload" : path, expected("an object", j));
}

void expect_array(const json& j, std::string_view path) {
    if (!j.is_array()) fail(path.empty() ? "payload" : path, expected("an array", j));
}

const json* find(const json& obj, std::string_view key, std::string_view path) {
    expect_object(obj, path);
    auto it = obj.find(key);
    return it == obj.end() || it->is_null() ? nullptr : &*it;
}

const json& require(const json& obj, std::string_view key, std::string_view path) {
    expect_object(obj, path);
    auto it = obj.find(key);
    if (it == obj.end()) fail(member_path(path, key), "missing");
    return *it;
}

std::string get_string(const json& j, std::string_view path) {
    if (!j.is_string()) fail(path, expected("a string", j));
    return j.get<std::string>();
}

uint64_t get_count(const json& j, std::string_view path) {
    if (j.is_number_unsigned()) return j.get<uint64_t>();
    if (j.is_number_integer() && j.get<int64_t>() >= 0) return j.get<uint64_t>();
    fail(path, "expected a non-negative integer, got " +
                   (j.is_number() ? j.dump() : std::string(j.type_name())));
}

std::optional<std::string> opt_string(const json& obj, std::string_view key,
                                      std::string_view path) {
    const json* v = find(obj, key, path);
    if (!v) return std::nullopt;
    return get_string(*v, member_path(path, key));
}

std::optional<std::string> first_string(const json& obj, std::initializer_list<const char*> keys,
                                        std::string_view path) {
    for (const char* k : keys)
        if (auto s = opt_string(obj, k, path)) return s;
    return std::nullopt;
}

std::string string(const json& obj, std::string_view key, std::string_view path) {
    auto s = opt_string(obj, key, path);
    if (!s) fail(member_path(path, key), "missing");
    return *s;
}

uint64_t opt_count(const json& obj, std::string_view key, std::string_view path) {
    const json* v = find(obj, key, path);
    return v ? get_count(*v, member_path(path, key)) : 0;
}

int64_t opt_integer(const json& obj, std::string_view key, std::string_view path) {
    const json* v = find(obj, key, path);
    if (!v) return 0;
    if (v->is_number_unsigned() && v->get<uint64_t>() > uint64_t(INT64_MAX))
        fail(member_path(path, key), "out of range: " + v->dump());
    if (!v->is_number_integer())
        fail(member_path(path, key),
             "expected an integer, got " +
                 (v->is_number() ? v->dump() : std::string(v->type_name())));
    return v->get<int64_t>();
}

std::optional<bool> opt_bool(const json& obj, std::string_view key, std::string_view path) {
    const json* v = find(obj, key, path);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) fail(member_path(path, key), expected("a boolean", *v));
    return v->get<bool>();
}

const json* opt_array(const json& obj, std::string_view key, std::string_view path) {
    const json* v = find(obj, key, path);
    if (v) expect_array(*v, member_path(path, key));
    return v;
}

const json& array(const json& obj, std::string_view key, std::string_view path) {
    const json* v = opt_array(obj, key, path);
    if (!v) fail(member_path(path, key), "missing");
    return *v;
}

const json& object(const json& obj, std::string_view key, std::string_view path) {
    const json* v = find(obj, key, path);
    if (!v) fail(member_path(path, key), "missing");
    expect_object(*v, member_path(path, key));
    return *v;
}

const json& opt_object(const json& obj, std::string_view key, std::string_view path) {
    static const json empty = json::object();
    const json* v = find(obj, key, path);
    if (!v) return empty;
    expect_object(*v, member_path(path, key));
    return *v;
}

} // namespace provenant::json_fields
