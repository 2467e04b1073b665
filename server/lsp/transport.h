// The LSP transport: framed JSON-RPC over a pair of file descriptors (stdin/stdout), on asio.
#pragma once

#include "lsp/framing.h"
#include "lsp/jsonrpc.h"

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace provenant::lsp {

/// Receives what the transport reads. Called on the I/O thread only.
class MessageSink {
public:
    virtual ~MessageSink() = default;
    /// One well-formed JSON body (any shape: the binding checks it) of `body_bytes` bytes.
    /// The sink calls Transport::consumed(body_bytes) once it has handled it: reading pauses
    /// while too much read input waits to be handled (backpressure).
    virtual void on_message(json message, size_t body_bytes) = 0;
    /// The input ended (EOF or a read error). Called once.
    virtual void on_input_closed() = 0;
};

/// Moves messages and nothing else: reads bytes from `in_fd`, frames and parses them, hands
/// each JSON body to the sink; writes framed bodies to `out_fd` through one queue with a single
/// writer. Framing errors become a log line; invalid JSON is answered here with a ParseError
/// (id null), since no later layer can see it.
///
/// Pollable input (pipes, sockets, ttys) is read with an asio stream_descriptor; input that
/// epoll refuses (a regular file) is read by a blocking reader thread that posts its chunks to
/// the I/O context. Output that cannot be polled is written with blocking writes.
///
/// Backpressure: reading stops while more than kMaxBacklogMessages messages or
/// kMaxBacklogBytes of bodies are handed to the sink and not yet consumed (and, for the
/// reader thread, while chunks it posted wait for the I/O thread), and resumes as the sink
/// consumes them; so `provenant lsp < 4GiB.log` holds a bounded amount, not the file.
///
/// Threads: construct, start() and destroy on one thread while the I/O context is not
/// running or from the I/O thread; send() and close() may be called from any thread; all
/// reading, framing and writing happens on the thread running `io`.
class Transport {
public:
    Transport(asio::io_context& io, int in_fd, int out_fd);
    ~Transport();
    Transport(const Transport&) = delete;
    Transport& operator=(const Transport&) = delete;

    /// Begins reading; `sink` must outlive the transport.
    void start(MessageSink& sink);
    /// Queues one message body for writing. Thread-safe.
    void send(std::string body);
    /// The sink has handled a message of `body_bytes` (see MessageSink). Thread-safe.
    void consumed(size_t body_bytes);

    static constexpr size_t kMaxBacklogMessages = 256;
    static constexpr size_t kMaxBacklogBytes = 64u << 20;
    /// Stops reading and, once every queued message is written, releases the descriptors so
    /// that `io.run()` can return. Thread-safe; idempotent.
    void close();

private:
    void read_more();
    void on_bytes(const char* data, size_t n); ///< never throws
    void handle_bytes(const char* data, size_t n);
    void on_eof();
    void write_next();
    void finish_if_done();
    bool backlog_ok() const; ///< whether reading may go on (any thread)
    void resume_reading();   ///< I/O thread: re-arms a read paused by backpressure

    asio::io_context& io_;
    int in_fd_;
    int out_fd_;
    MessageSink* sink_ = nullptr;
    FrameReader reader_;

    std::unique_ptr<asio::posix::stream_descriptor> in_;  ///< null when input is not pollable
    std::unique_ptr<asio::posix::stream_descriptor> out_; ///< null when output is not pollable
    std::thread blocking_reader_;
    std::atomic<bool> stop_reading_{false};
    std::unique_ptr<char[]> read_buf_;
    bool eof_ = false;
    bool read_paused_ = false; ///< I/O thread: the asio read is not re-armed (backpressure)

    // Backpressure counters: written on the I/O, reader and sink threads.
    std::atomic<size_t> backlog_messages_{0};
    std::atomic<size_t> backlog_bytes_{0};
    std::atomic<size_t> posted_chunks_{0}; ///< reader-thread chunks not yet fed
    std::mutex flow_mutex_;
    std::condition_variable flow_cv_; ///< the reader thread waits here for backlog_ok()

    std::deque<std::string> queue_; ///< framed messages; front is being written (I/O thread)
    bool writing_ = false;
    bool closing_ = false;
    /// Keeps io.run() alive from start() until close() has flushed the queue.
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
};

} // namespace provenant::lsp
