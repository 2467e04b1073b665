// LSP base-protocol framing: header parsing, body extraction and resynchronisation.
#include "lsp/framing.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace provenant::lsp {
namespace {

constexpr std::string_view kContentLength = "content-length";

bool is_token_char(unsigned char c) {
    return std::isalnum(c) || std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

std::string printable(std::string_view s) {
    std::string out;
    for (char c : s.substr(0, 60))
        out += std::isprint(static_cast<unsigned char>(c)) ? c : '?';
    if (s.size() > 60) out += "...";
    return out;
}

} // namespace

std::string frame(std::string_view body) {
    std::string out = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    out.append(body);
    return out;
}

void FrameReader::feed(std::string_view bytes) {
    compact();
    buf_.append(bytes);
}

void FrameReader::compact() {
    // Drop consumed bytes once they dominate the buffer, so memory stays bounded by one
    // message and appends stay amortised O(1).
    if (pos_ == buf_.size()) {
        buf_.clear();
        pos_ = 0;
    } else if (pos_ > (64u << 10) && pos_ > buf_.size() / 2) {
        buf_.erase(0, pos_);
        pos_ = 0;
    }
}

FrameEvent FrameReader::fail(std::string why) {
    state_ = State::Resync;
    body_length_ = 0;
    return FrameEvent{FrameEvent::Error, std::move(why)};
}

std::optional<FrameEvent> FrameReader::next() {
    for (;;) {
        switch (state_) {
        case State::Resync: {
            // Skip to the next "Content-Length" (any case): a message whose header was bad
            // has a body of unknown length, so the next header is the only safe anchor.
            std::string_view rest(buf_.data() + pos_, buf_.size() - pos_);
            auto it = std::search(
                rest.begin(), rest.end(), kContentLength.begin(), kContentLength.end(),
                [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) == y; });
            if (it == rest.end()) {
                // Keep a possible partial match at the end.
                size_t keep = std::min(rest.size(), kContentLength.size() - 1);
                pos_ = buf_.size() - keep;
                compact();
                return std::nullopt;
            }
            pos_ += static_cast<size_t>(it - rest.begin());
            state_ = State::Header;
            body_length_ = 0;
            continue;
        }
        case State::Header: {
            auto ev = parse_headers();
            if (ev || state_ == State::Header) return ev;
            continue; // now in Body or Resync
        }
        case State::Body: {
            if (buffered() < body_length_) return std::nullopt;
            FrameEvent ev{FrameEvent::Body, {}};
            if (pos_ + body_length_ == buf_.size()) {
                // The body ends the buffer (the usual case for large messages): hand the
                // buffer over instead of copying, so a large didOpen is not held twice.
                buf_.erase(0, pos_);
                ev.text = std::move(buf_);
                buf_.clear();
                pos_ = 0;
            } else {
                ev.text = buf_.substr(pos_, body_length_);
                pos_ += body_length_;
            }
            state_ = State::Header;
            body_length_ = 0;
            compact();
            return ev;
        }
        }
    }
}

// Consumes header lines. Returns an Error event, or nullopt with state_ moved to Body (a
// complete header block) or still Header (more input needed).
std::optional<FrameEvent> FrameReader::parse_headers() {
    bool seen_header = false;
    std::optional<size_t> length;
    size_t cursor = pos_;
    for (;;) {
        const char* start = buf_.data() + cursor;
        const void* nl = std::memchr(start, '\n', buf_.size() - cursor);
        if (!nl) {
            if (buf_.size() - pos_ > kMaxHeaderBytes) {
                pos_ = buf_.size();
                return fail("header block longer than " + std::to_string(kMaxHeaderBytes) +
                            " bytes without a blank line");
            }
            return std::nullopt; // wait for the rest of the block; re-parse it from pos_
        }
        size_t line_end = static_cast<size_t>(static_cast<const char*>(nl) - buf_.data());
        std::string_view line(start, line_end - cursor);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        size_t line_start = cursor;
        cursor = line_end + 1;
        if (line.empty()) {
            if (!seen_header) { // stray blank line between messages: tolerated
                pos_ = cursor;
                continue;
            }
            pos_ = cursor;
            if (!length) return fail("header block without Content-Length");
            body_length_ = *length;
            state_ = State::Body;
            return std::nullopt;
        }
        auto colon = line.find(':');
        std::string_view name = line.substr(0, colon == std::string_view::npos ? 0 : colon);
        if (colon == std::string_view::npos || name.empty() ||
            !std::all_of(name.begin(), name.end(),
                         [](char c) { return is_token_char(static_cast<unsigned char>(c)); })) {
            // Not a header: junk, or a body that ran into the next header. Resync from just
            // after this line's first byte so a header later on the same line is found.
            pos_ = line_start + 1;
            return fail("not a header line: \"" + printable(line) + "\"");
        }
        seen_header = true;
        if (!iequals(name, kContentLength))
            continue; // unknown headers (Content-Type, ...) are tolerated
        std::string_view value = trim(line.substr(colon + 1));
        if (value.empty() ||
            !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            pos_ = cursor;
            return fail("Content-Length is not a non-negative integer: \"" + printable(value) +
                        "\"");
        }
        size_t n = 0;
        bool too_big = value.size() > 12;
        for (char c : value) {
            if (too_big) break;
            n = n * 10 + static_cast<size_t>(c - '0');
        }
        if (too_big || n > max_content_length_) {
            pos_ = cursor;
            return fail("Content-Length " + printable(value) + " exceeds the limit of " +
                        std::to_string(max_content_length_) + " bytes");
        }
        length = n;
    }
}

} // namespace provenant::lsp
