// An Expected-style result: a value or an Error that says what was being done.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace provenant {

/// What kind of failure an Error is, set where the error is made. The front ends map it, each
/// in one place: the CLI to an exit code (cli/exit_code.h), the LSP binding to a JSON-RPC
/// error code (lsp/rpc_error.h). Only the distinctions those mappings need.
enum class ErrorKind {
    usage,         ///< the command line is wrong (an argument the command cannot take)
    invalid_input, ///< data from outside is malformed: JSON, a note, a payload, a file, a date
    not_found,     ///< what was asked for is not there: a repository, commit, ref, file, document
    io,            ///< the file system, a process or libgit2 failed
    conflict,      ///< someone else holds or keeps changing it: a lock, a ref, a transaction
    internal,      ///< a broken invariant: a bug, never the user's input
};

/// The kind's name, as the tests and logs spell it ("not_found").
constexpr const char* to_string(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::usage:
        return "usage";
    case ErrorKind::invalid_input:
        return "invalid_input";
    case ErrorKind::not_found:
        return "not_found";
    case ErrorKind::io:
        return "io";
    case ErrorKind::conflict:
        return "conflict";
    case ErrorKind::internal:
        return "internal";
    }
    return "internal";
}

/// A failure with a kind and a human-readable message ("opening repository X: <reason>").
/// Safe to copy between threads.
struct Error {
    ErrorKind kind = ErrorKind::internal;
    std::string message;
    Error() = default;
    Error(ErrorKind k, std::string m) : kind(k), message(std::move(m)) {}
    /// Prefix the message with what the caller was doing; the kind stays.
    Error context(const std::string& what) const { return {kind, what + ": " + message}; }
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

inline Error make_error(ErrorKind kind, std::string message) {
    return {kind, std::move(message)};
}

} // namespace provenant
