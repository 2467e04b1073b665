// LSP base-protocol framing: `Content-Length` headers around JSON bodies, parsed defensively.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace provenant::lsp {

/// The largest body accepted. A 1,000,000-line document with JSON escaping is well under
/// 100 MiB; anything above this cap is refused (clangd caps at 1 GiB after a fuzzer found the
/// allocation crash; we pick a tighter cap because a sidecar never needs more).
inline constexpr size_t kMaxContentLength = 256u << 20;
/// The largest header block accepted before its blank line.
inline constexpr size_t kMaxHeaderBytes = 64u << 10;

/// Frames `body` as one LSP message: "Content-Length: N\r\n\r\n" + body.
std::string frame(std::string_view body);

/// One thing a FrameReader found in its input.
struct FrameEvent {
    enum Kind { Body, Error } kind = Body;
    std::string text; ///< the message body, or a description of the framing error
};

/// Incremental parser of the LSP byte stream. Tolerates unknown headers, header names in any
/// case, and `\n` line ends as well as `\r\n`. A header block with a missing, non-numeric,
/// negative or over-cap `Content-Length`, or a line that is not a header, is reported as an
/// Error and skipped: the reader then resynchronises on the next `Content-Length` header, so
/// one bad message never hangs or kills the stream. Bounded memory: it never buffers more than
/// one body (≤ kMaxContentLength) plus one header block (≤ kMaxHeaderBytes).
///
/// Not thread-safe: one thread feeds it and takes its events (the transport's reader).
class FrameReader {
public:
    explicit FrameReader(size_t max_content_length = kMaxContentLength)
        : max_content_length_(max_content_length) {}

    /// Appends bytes read from the stream.
    void feed(std::string_view bytes);
    /// The next complete body or framing error, nullopt when more input is needed.
    std::optional<FrameEvent> next();
    /// Bytes buffered and not yet consumed (for tests and the EOF log line).
    size_t buffered() const { return buf_.size() - pos_; }

private:
    enum class State { Header, Body, Resync };
    std::optional<FrameEvent> parse_headers();
    FrameEvent fail(std::string why);
    void compact();

    size_t max_content_length_;
    std::string buf_;
    size_t pos_ = 0; ///< start of unconsumed input in buf_
    State state_ = State::Header;
    size_t body_length_ = 0;
};

} // namespace provenant::lsp
