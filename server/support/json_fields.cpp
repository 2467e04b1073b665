// Reading fields of untrusted JSON with errors that name the field's JSON path.
#include "support/json_fields.h"

#include "support/json_text.h"

#include <algorithm>

namespace provenant::json_fields {
using nlohmann::json;

namespace {
/// How a value is named after "got": a number by its text ("-1"), anything else by its type.
std::string shown(const json& j) {
    return j.is_number() ? j.dump() : std::string(j.type_name());
}
} // namespace

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

// ---------------------------------------------------------------------------------------
// Reader

Reader Reader::child(Segment seg) const {
    Reader sub(nullptr, root_, err_);
    sub.segments_ = segments_;
    sub.size_ = size_;
    sub.truncated_ = truncated_;
    if (size_ < kMaxDepth)
        sub.segments_[sub.size_++] = seg;
    else
        sub.truncated_ = true;
    return sub;
}

std::string Reader::path(size_t depth) const {
    std::string out(root_);
    for (size_t i = 0; i < std::min(depth, size_); ++i)
        out = segments_[i].index == kNoIndex ? member_path(out, segments_[i].key)
                                             : index_path(out, segments_[i].index);
    if (depth >= size_ && truncated_) out += "...";
    return out.empty() ? "payload" : out;
}

void Reader::fail(std::string_view what) const {
    if (!err_) err_ = make_error(ErrorKind::invalid_input, path() + ": " + std::string(what));
}

void Reader::fail_expected(std::string_view what) const {
    fail("expected " + std::string(what) + ", got " + value_->type_name());
}

Reader Reader::field(std::string_view key) const {
    Reader sub = child(Segment{key, kNoIndex});
    if (failed() || !value_) {
        sub.missing_depth_ = missing_depth_ != kNoIndex ? missing_depth_ : size_;
        return sub;
    }
    if (!value_->is_object()) {
        fail_expected("an object");
        return sub;
    }
    auto it = value_->find(key);
    if (it == value_->end()) return sub;
    sub.written_ = &*it;
    sub.value_ = it->is_null() ? nullptr : &*it;
    return sub;
}

Reader Reader::at(size_t i) const {
    Reader sub = child(Segment{{}, i});
    if (failed() || !value_) {
        sub.missing_depth_ = missing_depth_ != kNoIndex ? missing_depth_ : size_;
        return sub;
    }
    if (!value_->is_array()) {
        fail_expected("an array");
        return sub;
    }
    if (i < value_->size()) sub.value_ = sub.written_ = &(*value_)[i];
    return sub;
}

bool Reader::require() const {
    if (!failed() && !value_) {
        err_ = make_error(ErrorKind::invalid_input,
                          path(missing_depth_ != kNoIndex ? missing_depth_ : size_) + ": missing");
    }
    return !failed();
}

bool Reader::expect_object() const {
    if (require() && !value_->is_object()) fail_expected("an object");
    return !failed();
}

bool Reader::expect_array() const {
    if (require() && !value_->is_array()) fail_expected("an array");
    return !failed();
}

void Reader::read(std::string& out) const {
    if (!require()) return;
    if (!value_->is_string()) return fail_expected("a string");
    out = value_->get<std::string>();
}

void Reader::read(std::string_view& out) const {
    if (!require()) return;
    if (!value_->is_string()) return fail_expected("a string");
    out = value_->get_ref<const std::string&>();
}

void Reader::read(int64_t& out) const {
    if (!require()) return;
    if (value_->is_number_unsigned() &&
        value_->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        return fail("out of range: " + value_->dump());
    if (!value_->is_number_integer()) return fail("expected an integer, got " + shown(*value_));
    out = value_->get<int64_t>();
}

void Reader::read_count(uint64_t& out, uint64_t max) const {
    if (!require()) return;
    uint64_t v = 0;
    if (value_->is_number_unsigned())
        v = value_->get<uint64_t>();
    else if (value_->is_number_integer() && value_->get<int64_t>() >= 0)
        v = static_cast<uint64_t>(value_->get<int64_t>());
    else
        return fail("expected a non-negative integer, got " + shown(*value_));
    if (v > max) return fail("out of range: " + value_->dump());
    out = v;
}

void Reader::read(bool& out) const {
    if (!require()) return;
    if (!value_->is_boolean()) return fail_expected("a boolean");
    out = value_->get<bool>();
}

// ---------------------------------------------------------------------------------------
// The throwing layer

void fail(std::string_view path, std::string_view what) {
    throw PathError(std::string(path) + ": " + std::string(what));
}

void throw_if(const std::optional<Error>& err) {
    if (err) throw PathError(err->message);
}

namespace {
/// One read of `T` through a Reader at `r`, thrown on error.
template <typename T> T get(const Reader& r, const std::optional<Error>& err) {
    T out{};
    r.read(out);
    throw_if(err);
    return out;
}
} // namespace

void expect_object(const json& j, std::string_view path) {
    std::optional<Error> err;
    Reader(&j, path, err).expect_object();
    throw_if(err);
}

void expect_array(const json& j, std::string_view path) {
    std::optional<Error> err;
    Reader(&j, path, err).expect_array();
    throw_if(err);
}

const json* find(const json& obj, std::string_view key, std::string_view path) {
    std::optional<Error> err;
    Reader v = Reader(&obj, path, err).field(key);
    throw_if(err);
    return v.value();
}

const json& require(const json& obj, std::string_view key, std::string_view path) {
    std::optional<Error> err;
    Reader v = Reader(&obj, path, err).field(key);
    if (!v.as_written()) v.require(); // absent; null is returned as written
    throw_if(err);
    return *v.as_written();
}

std::string get_string(const json& j, std::string_view path) {
    std::optional<Error> err;
    return get<std::string>(Reader(&j, path, err), err);
}

uint64_t get_count(const json& j, std::string_view path) {
    std::optional<Error> err;
    return get<uint64_t>(Reader(&j, path, err), err);
}

std::optional<std::string> opt_string(const json& obj, std::string_view key,
                                      std::string_view path) {
    std::optional<Error> err;
    Reader v = Reader(&obj, path, err).field(key);
    throw_if(err);
    if (!v.present()) return std::nullopt;
    return get<std::string>(v, err);
}

std::optional<std::string> first_string(const json& obj, std::initializer_list<const char*> keys,
                                        std::string_view path) {
    for (const char* k : keys)
        if (auto s = opt_string(obj, k, path)) return s;
    return std::nullopt;
}

std::string string(const json& obj, std::string_view key, std::string_view path) {
    std::optional<Error> err;
    return get<std::string>(Reader(&obj, path, err).field(key), err);
}

uint64_t opt_count(const json& obj, std::string_view key, std::string_view path) {
    std::optional<Error> err;
    Reader v = Reader(&obj, path, err).field(key);
    throw_if(err);
    return v.present() ? get<uint64_t>(v, err) : 0;
}

int64_t opt_integer(const json& obj, std::string_view key, std::string_view path) {
    std::optional<Error> err;
    Reader v = Reader(&obj, path, err).field(key);
    throw_if(err);
    return v.present() ? get<int64_t>(v, err) : 0;
}

std::optional<bool> opt_bool(const json& obj, std::string_view key, std::string_view path) {
    std::optional<Error> err;
    Reader v = Reader(&obj, path, err).field(key);
    throw_if(err);
    if (!v.present()) return std::nullopt;
    return get<bool>(v, err);
}

const json* opt_array(const json& obj, std::string_view key, std::string_view path) {
    std::optional<Error> err;
    Reader v = Reader(&obj, path, err).field(key);
    if (v.present()) v.expect_array();
    throw_if(err);
    return v.value();
}

const json& array(const json& obj, std::string_view key, std::string_view path) {
    std::optional<Error> err;
    Reader v = Reader(&obj, path, err).field(key);
    v.expect_array();
    throw_if(err);
    return *v.value();
}

const json& object(const json& obj, std::string_view key, std::string_view path) {
    std::optional<Error> err;
    Reader v = Reader(&obj, path, err).field(key);
    v.expect_object();
    throw_if(err);
    return *v.value();
}

const json& opt_object(const json& obj, std::string_view key, std::string_view path) {
    static const json empty = json::object();
    std::optional<Error> err;
    Reader v = Reader(&obj, path, err).field(key);
    if (v.present()) v.expect_object();
    throw_if(err);
    return v.present() ? *v.value() : empty;
}

} // namespace provenant::json_fields
