// Reading fields of untrusted JSON with errors that name the field's JSON path: the one reader
// the LSP parameters, the note, git-ai note, origin, session record and agent payload parsers
// share. `Reader` is the reader; the throwing helpers below it are a thin layer over it for
// the parsers that read a whole document and catch once at their top.
#pragma once

#include "support/result.h"

#include <array>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace provenant::json_fields {

/// The path of member `key` of the value at `base`: "base.key", or "key" when `base` is empty
/// (payload fields are named from the payload's root).
std::string member_path(std::string_view base, std::string_view key);
/// The same with the key quoted, for keys that are data (file paths, ids): base["key"].
std::string quoted_path(std::string_view base, std::string_view key);
/// The path of element `i`: base[i].
std::string index_path(std::string_view base, size_t i);

/// A cursor into untrusted JSON that knows the JSON path of the value it points at, and never
/// throws. The first error wins: it is stored in the `std::optional<Error>` every Reader of one
/// read shares ("<path>: <what was wrong>", ErrorKind::invalid_input), and later reads do
/// nothing, so a parser reads every field and checks the error once at the end. The path is
/// kept as segments (keys and indices, 8 deep, then "...") and only becomes text on an error,
/// so reading a valid message allocates nothing for paths (LSP parameters are read on every
/// keystroke). Null is absent, as JSON writers use it.
///
/// Keys, the root name and the JSON must outlive the Reader (string literals, or keys of the
/// JSON being read). Readers are values: copy them freely. Not thread-safe; one read belongs
/// to one thread.
class Reader {
public:
    /// `root` names `value` in messages ("params", "$"); "" names its members bare ("file_path")
    /// and the root itself "payload". `value` may be null (absent).
    /// A null `value` is read as written ("expected a string, got null"); a null member is
    /// absent.
    Reader(const nlohmann::json* value, std::string_view root, std::optional<Error>& err)
        : value_(value), written_(value), root_(root), err_(err) {}

    /// The value, nullptr when absent (a null member is absent).
    const nlohmann::json* value() const { return value_; }
    /// The value as written, null included; nullptr only when absent.
    const nlohmann::json* as_written() const { return written_; }
    bool present() const { return value_ != nullptr; }
    bool failed() const { return err_.has_value(); }

    /// Member `key` of this object. Fails "expected an object" when this is present and not an
    /// object. A member of an absent value is absent, and a required read names the first absent
    /// ancestor ("params.textDocument: missing").
    Reader field(std::string_view key) const;
    /// Element `i` of this array (absent past its end).
    Reader at(size_t i) const;

    /// Fails "missing" when absent; returns whether no error is set.
    bool require() const;
    /// Fails unless this is present and an object / an array.
    bool expect_object() const;
    bool expect_array() const;

    /// Each reads a required value of its type; the target is untouched on error.
    void read(std::string& out) const;
    /// A view into the JSON (no copy of document text).
    void read(std::string_view& out) const;
    /// A signed 64-bit integer. A float is refused, not converted (converting one out of range
    /// is undefined behaviour).
    void read(int64_t& out) const;
    /// A non-negative integer (a count).
    void read(uint64_t& out) const { read_count(out, std::numeric_limits<uint64_t>::max()); }
    void read(bool& out) const;
    /// A non-negative integer no greater than `max` ("out of range: N" above it).
    void read_count(uint64_t& out, uint64_t max) const;

    /// Reads this array into `out`, one element at a time through `read_one(Reader, T&)`.
    template <typename T, typename F> void each(std::vector<T>& out, F&& read_one) const {
        if (!expect_array()) return;
        out.clear();
        out.reserve(value_->size());
        for (size_t i = 0; i < value_->size() && !failed(); ++i) {
            out.emplace_back();
            read_one(at(i), out.back());
        }
    }

    /// Records "<this path>: <what>" unless an error is already set.
    void fail(std::string_view what) const;
    /// This value's path as text.
    std::string path() const { return path(size_); }

private:
    static constexpr size_t kNoIndex = std::numeric_limits<size_t>::max();
    static constexpr size_t kMaxDepth = 8;
    struct Segment {
        std::string_view key;
        size_t index = kNoIndex;
    };

    Reader child(Segment seg) const;
    std::string path(size_t depth) const;
    void fail_expected(std::string_view what) const;

    const nlohmann::json* value_;
    const nlohmann::json* written_;
    std::string_view root_;
    std::optional<Error>& err_;
    std::array<Segment, kMaxDepth> segments_{};
    size_t size_ = 0;
    size_t missing_depth_ = kNoIndex; ///< path depth of the first absent ancestor, if any
    bool truncated_ = false;
};

// ---------------------------------------------------------------------------------------
// The throwing layer: each helper is one Reader read that throws its Error as a PathError.

/// What the helpers throw: "<path>: <what was wrong>". Each parser that uses them catches it
/// at its top and returns an Error; it never leaves the parser.
struct PathError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

/// Throws PathError("<path>: <what>").
[[noreturn]] void fail(std::string_view path, std::string_view what);
/// Throws `err` as a PathError when it is set (the end of a Reader read in a throwing parser).
void throw_if(const std::optional<Error>& err);

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
/// Member `key` as a signed 64-bit integer (a time in ms), 0 when absent or null.
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
