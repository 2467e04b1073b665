// Reading fields of untrusted JSON with errors that name the field's JSON path: the one set of
// readers the note, git-ai note and agent payload parsers share.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace provenant::json_fields {

/// What the readers throw: "<path>: <what was wrong>". Each parser that uses them catches it
/// at its top and returns an Error; it never leaves the parser.
struct PathError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

/// Throws PathError("<path>: <what>").
[[noreturn]] void fail(std::string_view path, std::string_view what);

/// The path of member `key` of the value at `base`: "base.key", or "key" when `base` is empty
/// (payload fields are named from the payload's root).
std::string member_path(std::string_view base, std::string_view key);
/// The same with the key quoted, for keys that are data (file paths, ids): base["key"].
std::string quoted_path(std::string_view base, std::string_view key);
/// The path of element `i`: base[i].
std::string index_path(std::string_view base, size_t i);

/// Fails unless `j` is an object: "<path>: expected an object, got <type>". `path` empty is
/// named "payload".
void expect_object(const nlohmann::json& j, std::string_view path);
/// Fails unless `j` is an array.
void expect_array(const nlohmann::json& j, std::string_view path);

/// Member `key` of the object `obj` (checked: expect_object(obj, path)), nullptr when absent
/// or null (null is how JSON writers say "absent").
const nlohmann::json* find(const nlohmann::json& obj, std::string_view key, std::string_view path);
/// Member `key` as written, null included; fails "<path.key>: missing" when absent.
const nlohmann::json& require(const nlohmann::json& obj, std::string_view key,
                              std::string_view path);

/// `j` itself as a string / a non-negative integer; fails "expected ..., got <type>".
std::string get_string(const nlohmann::json& j, std::string_view path);
uint64_t get_count(const nlohmann::json& j, std::string_view path);

/// Member `key` as a string: nullopt when absent or null.
std::optional<std::string> opt_string(const nlohmann::json& obj, std::string_view key,
                                      std::string_view path);
/// The first of `keys` present (not null) as a string; nullopt when none is.
std::optional<std::string> first_string(const nlohmann::json& obj,
                                        std::initializer_list<const char*> keys,
                                        std::string_view path);
/// Member `key` as a string; absent or null is "missing".
std::string string(const nlohmann::json& obj, std::string_view key, std::string_view path);
/// Member `key` as a non-negative integer, 0 when absent or null.
uint64_t opt_count(const nlohmann::json& obj, std::string_view key, std::string_view path);
/// Member `key` as a signed 64-bit integer (a time in ms), 0 when absent or null. A float is
/// refused, not converted: converting one out of the type's range is undefined behaviour.
int64_t opt_integer(const nlohmann::json& obj, std::string_view key, std::string_view path);
/// Member `key` as a boolean, nullopt when absent or null; any other type fails.
std::optional<bool> opt_bool(const nlohmann::json& obj, std::string_view key,
                             std::string_view path);
/// Member `key` as an array, nullptr when absent or null; any other type fails.
const nlohmann::json* opt_array(const nlohmann::json& obj, std::string_view key,
                                std::string_view path);
/// Member `key` as an array; absent or null is "missing".
const nlohmann::json& array(const nlohmann::json& obj, std::string_view key, std::string_view path);
/// Member `key` as an object; absent or null is "missing".
const nlohmann::json& object(const nlohmann::json& obj, std::string_view key,
                             std::string_view path);
/// Member `key` as an object, an empty object when absent or null.
const nlohmann::json& opt_object(const nlohmann::json& obj, std::string_view key,
                                 std::string_view path);

} // namespace provenant::json_fields
