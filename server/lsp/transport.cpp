// The LSP transport: asio reads and a single-writer queue over stdin/stdout descriptors.
#include "lsp/transport.h"

#include "support/fs.h"
#include "support/json_text.h"

#include <asio/post.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>
#include <cerrno>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

namespace provenant::lsp {
namespace {

constexpr size_t kReadChunk = 64u << 10;

bool is_regular_file(int fd) {
    struct stat st {};
    return ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

// A descriptor registered with asio, or null when epoll refuses it (regular files).
std::unique_ptr<asio::posix::stream_descriptor> make_descriptor(asio::io_context& io, int fd) {
    if (fd < 0 || is_regular_file(fd)) return nullptr;
    auto d = std::make_unique<asio::posix::stream_descriptor>(io);
    asio::error_code ec;
    d->assign(fd, ec);
    return ec ? nullptr : std::move(d);
}

} // namespace

Transport::Transport(asio::io_context& io, int in_fd, int out_fd)
    : io_(io), in_fd_(::fcntl(in_fd, F_DUPFD_CLOEXEC, 3)),
      out_fd_(::fcntl(out_fd, F_DUPFD_CLOEXEC, 3)), read_buf_(new char[kReadChunk]) {
    // Own duplicates so closing them never closes the process's stdin/stdout.
    in_ = make_descriptor(io_, in_fd_);
    out_ = make_descriptor(io_, out_fd_);
    if (in_fd_ < 0 || out_fd_ < 0)
        spdlog::error("lsp transport: cannot duplicate stdin/stdout: {}", errno_text());
}

Transport::~Transport() {
    {
        std::lock_guard lock(flow_mutex_);
        stop_reading_ = true;
    }
    flow_cv_.notify_all();
    if (blocking_reader_.joinable()) blocking_reader_.join();
    // A stream_descriptor closes the descriptor it owns; close those it did not take.
    if (!in_ && in_fd_ >= 0) ::close(in_fd_);
    if (!out_ && out_fd_ >= 0) ::close(out_fd_);
    in_.reset();
    out_.reset();
}

void Transport::start(MessageSink& sink) {
    sink_ = &sink;
    // Keep io.run() alive until close(): replies may be sent after the input has ended.
    work_.emplace(io_.get_executor());
    if (in_) {
        read_more();
        return;
    }
    spdlog::debug("lsp transport: input is not pollable; reading it on a blocking thread");
    blocking_reader_ = std::thread([this] {
        // Runs only blocking read() calls and posts the bytes to the I/O thread.
        auto buf = std::make_shared<std::string>();
        constexpr size_t kMaxPostedChunks = 4;
        for (;;) {
            {
                // Backpressure: never more than a few chunks and a bounded backlog of
                // messages ahead of the threads that handle them.
                std::unique_lock lock(flow_mutex_);
                flow_cv_.wait(lock, [&] {
                    return stop_reading_ || (backlog_ok() && posted_chunks_ < kMaxPostedChunks);
                });
            }
            if (stop_reading_) break;
            std::string chunk(kReadChunk, '\0');
            ssize_t n = in_fd_ >= 0 ? ::read(in_fd_, chunk.data(), chunk.size()) : 0;
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            chunk.resize(static_cast<size_t>(n));
            ++posted_chunks_;
            asio::post(io_, [this, c = std::move(chunk)] {
                on_bytes(c.data(), c.size());
                {
                    std::lock_guard lock(flow_mutex_);
                    --posted_chunks_;
                }
                flow_cv_.notify_all();
            });
        }
        asio::post(io_, [this] { on_eof(); });
    });
}

void Transport::read_more() {
    in_->async_read_some(asio::buffer(read_buf_.get(), kReadChunk),
                         [this](const asio::error_code& ec, size_t n) {
                             if (n > 0) on_bytes(read_buf_.get(), n);
                             if (ec) {
                                 if (ec != asio::error::eof && ec != asio::error::operation_aborted)
                                     spdlog::warn("lsp transport: reading input: {}", ec.message());
                                 on_eof();
                                 return;
                             }
                             if (closing_) return;
                             if (!backlog_ok()) {
                                 read_paused_ = true; // consumed() resumes it
                                 return;
                             }
                             read_more();
                         });
}

bool Transport::backlog_ok() const {
    return backlog_messages_ < kMaxBacklogMessages && backlog_bytes_ < kMaxBacklogBytes;
}

void Transport::consumed(size_t body_bytes) {
    {
        std::lock_guard lock(flow_mutex_);
        --backlog_messages_;
        backlog_bytes_ -= body_bytes;
    }
    flow_cv_.notify_all();
    if (in_) asio::post(io_, [this] { resume_reading(); });
}

void Transport::resume_reading() {
    if (!read_paused_ || closing_ || eof_ || !backlog_ok()) return;
    read_paused_ = false;
    read_more();
}

void Transport::on_bytes(const char* data, size_t n) {
    // Nothing thrown while handling input may leave this frame: the caller re-arms the read
    // only after it returns, and an exception out of io.run() would lose the read chain for
    // good (the process alive, deaf, and never seeing the end of its input).
    try {
        handle_bytes(data, n);
    } catch (const std::exception& e) {
        spdlog::error("lsp transport: handling input: {}", e.what());
    }
}

void Transport::handle_bytes(const char* data, size_t n) {
    if (closing_ || eof_) return;
    reader_.feed(std::string_view(data, n));
    while (auto ev = reader_.next()) {
        if (ev->kind == FrameEvent::Error) {
            spdlog::warn("lsp transport: bad framing: {}; skipping to the next header", ev->text);
            continue;
        }
        std::string error;
        ErrorCode code = ErrorCode::ParseError;
        auto message = parse_body(ev->text, &error, &code);
        const size_t body_bytes = ev->text.size();
        std::string().swap(ev->text); // a large didOpen is not held twice while it is handled
        if (!message) {
            // Answered with id null: the body was not parsed, so its id is unknown.
            spdlog::warn("lsp transport: {}", error);
            send(json_text_lossy(make_error(nullptr, {code, error})));
            continue;
        }
        const size_t bytes = body_bytes;
        {
            std::lock_guard lock(flow_mutex_);
            ++backlog_messages_;
            backlog_bytes_ += bytes;
        }
        try {
            sink_->on_message(std::move(*message), bytes);
        } catch (const std::exception& e) {
            // The sink only posts work; anything thrown here is a bug, not a reason to die.
            spdlog::error("lsp transport: dispatching a message: {}", e.what());
        }
    }
}

void Transport::on_eof() {
    if (eof_) return;
    eof_ = true;
    if (reader_.buffered() > 0)
        spdlog::warn("lsp transport: input ended inside a message ({} bytes dropped)",
                     reader_.buffered());
    if (sink_) sink_->on_input_closed();
}

void Transport::send(std::string body) {
    asio::post(io_, [this, b = frame(body)]() mutable {
        if (out_fd_ < 0) return;
        queue_.push_back(std::move(b));
        if (!writing_) write_next();
    });
}

void Transport::write_next() {
    if (queue_.empty()) {
        writing_ = false;
        finish_if_done();
        return;
    }
    writing_ = true;
    if (!out_) {
        // Output epoll cannot watch (a regular file): plain blocking writes.
        const std::string& b = queue_.front();
        size_t done = 0;
        while (done < b.size()) {
            ssize_t w = ::write(out_fd_, b.data() + done, b.size() - done);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) {
                spdlog::error("lsp transport: writing output: {}", errno_text());
                queue_.clear();
                break;
            }
            done += static_cast<size_t>(w);
        }
        if (!queue_.empty()) queue_.pop_front();
        asio::post(io_, [this] { write_next(); });
        return;
    }
    asio::async_write(*out_, asio::buffer(queue_.front()),
                      [this](const asio::error_code& ec, size_t) {
                          if (ec) {
                              // The client is gone: nothing more can be delivered.
                              spdlog::error("lsp transport: writing output: {}", ec.message());
                              queue_.clear();
                          } else {
                              queue_.pop_front();
                          }
                          write_next();
                      });
}

void Transport::close() {
    asio::post(io_, [this] {
        if (closing_) return;
        closing_ = true;
        {
            std::lock_guard lock(flow_mutex_);
            stop_reading_ = true;
        }
        flow_cv_.notify_all();
        if (in_) {
            asio::error_code ec;
            in_->cancel(ec);
        }
        finish_if_done();
    });
}

void Transport::finish_if_done() {
    if (!closing_ || writing_ || !queue_.empty()) return;
    if (in_) {
        asio::error_code ec;
        in_->close(ec);
    }
    if (out_) {
        asio::error_code ec;
        out_->close(ec);
    }
    work_.reset();
}

} // namespace provenant::lsp
