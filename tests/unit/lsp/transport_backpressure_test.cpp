// Issue 12 §9: `provenant lsp < session.log` (stdin a regular file, read by the transport's
// blocking reader thread) must hold a bounded amount of the file, not buffer it all (1.5 GB
// for a 4 GiB file before the fix). The reader shares its file offset with the test's
// descriptor (the transport reads a dup of it), so the sink can see, at every message, how
// far ahead of what it was handed the reader has got: never more than the few chunks the
// transport lets wait, whatever the relative speed of the two threads.
#include "lsp/transport.h"
#include "support/process.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <string>
#include <unistd.h>
#include <vector>

using namespace provenant;
using namespace provenant::lsp;

namespace {

/// Hands back what it holds in batches (as a slow server would), and records how far the
/// reader got ahead of the bytes delivered so far. I/O thread only.
class CheckingSink : public MessageSink {
public:
    CheckingSink(int fd, size_t frame_bytes) : fd_(fd), frame_bytes_(frame_bytes) {}
    void attach(Transport& t) { transport_ = &t; }

    void on_message(json /*message*/, size_t body_bytes) override {
        ++received;
        const off_t offset = ::lseek(fd_, 0, SEEK_CUR);
        const auto delivered = static_cast<off_t>(received * frame_bytes_);
        max_ahead =
            std::max(max_ahead, static_cast<size_t>(std::max<off_t>(0, offset - delivered)));
        held_.push_back(body_bytes);
        if (held_.size() >= 200) release();
    }
    void on_input_closed() override {
        ++closed;
        release();
        transport_->close();
    }

    size_t received = 0;
    size_t closed = 0;
    size_t max_ahead = 0;

private:
    void release() {
        for (size_t b : held_)
            transport_->consumed(b);
        held_.clear();
    }
    int fd_;
    size_t frame_bytes_;
    Transport* transport_ = nullptr;
    std::vector<size_t> held_;
};

} // namespace

TEST_CASE("stdin from a regular file: the reader stays a few chunks ahead, never the file") {
    // 24 MiB of 1 KiB notifications, every frame the same size.
    test::TempDir dir;
    const std::string path = dir.path() + "/session.log";
    std::string body = R"({"jsonrpc":"2.0","method":"$/x","params":{"t":")";
    body.append(1000 - body.size(), 'a');
    body += "\"}}";
    const std::string one = frame(body);
    constexpr size_t kMessages = 24u << 10;
    {
        std::string all;
        all.reserve(one.size() * kMessages);
        for (size_t i = 0; i < kMessages; ++i)
            all += one;
        test::write_text(path, all);
    }
    const int in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(in >= 0);
    const int out = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    REQUIRE(out >= 0);

    CheckingSink sink(in, one.size());
    {
        asio::io_context io;
        Transport t(io, in, out);
        sink.attach(t);
        t.start(sink);
        io.run(); // returns once the input ended and close() released it
    }
    ::close(in);
    ::close(out);
    CHECK(sink.received == kMessages);
    CHECK(sink.closed == 1);
    // At most the four chunks waiting for the I/O thread, the one being read, and a partial
    // frame; 24 MiB ahead if the reader does not wait.
    const size_t bound = 5 * (64u << 10) + one.size();
    CHECK_MESSAGE(sink.max_ahead <= bound, "reader got " << sink.max_ahead << " bytes ahead");
}
