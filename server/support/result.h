// An Expected-style result: a value or an Error that says what was being done.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace provenant {

/// A failure with a human-readable message ("opening repository X: <reason>").
/// Safe to copy between threads.
struct Error {
    std::string message;
    Error() = default;
    explicit Error(std::string m) : message(std::move(m)) {}
    /// Prefix the message with what the caller was doing.
    Error context(const std::string& what) const { return Error(what + ": " + message); }
};

/// Either a T or an Error. Thread-compatible (like std::variant).
template <typename T> class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
    Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    const Error& error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

/// Result of an operation with no value.
template <> class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)
    bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const Error& error() const { return error_; }

private:
    Error error_;
    bool ok_ = true;
};

using Status = Result<void>;

inline Error make_error(std::string message) { return Error(std::move(message)); }

} // namespace provenant
