// Test support: an LSP client that runs the real `provenant lsp` and speaks framed JSON-RPC.
#pragma once

#include "support/process.h"

#include <chrono>
#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace provenant::test {

using json = nlohmann::json;

/// An LSP position / range as JSON ({"line", "character"}).
json lsp_position(uint32_t line, uint32_t character);
json lsp_range(uint32_t l1, uint32_t c1, uint32_t l2, uint32_t c2);
/// The `file://` URI of an absolute path (percent-encoded).
std::string file_uri(const std::string& path);
/// Frames a body with a Content-Length header.
std::string lsp_frame(const std::string& body);

/// Whether `actual` contains `expected`: objects by key (extra keys allowed), arrays element
/// by element with the same length, scalars equal. `where` receives the first mismatch.
bool json_subset(const json& expected, const json& actual, std::string* where = nullptr);

/// A running `provenant lsp`. Framing is done here independently of the server's code, so a
/// framing bug in the server cannot hide behind the same bug in the client.
///
/// Messages the server sends while a test waits for a particular reply (notifications, other
/// replies) are queued and can be read with next_message(). One thread only.
class LspClient {
public:
    struct Options {
        std::vector<std::string> args; ///< extra arguments after `lsp`
        std::string cwd;
        EnvOverrides env;
        std::string stderr_path; ///< the server's log; default: a file in a temp dir
        std::chrono::milliseconds timeout{20000}; ///< for each wait on the server
    };
    LspClient();
    explicit LspClient(Options options);
    ~LspClient();
    LspClient(const LspClient&) = delete;
    LspClient& operator=(const LspClient&) = delete;

    // ---- raw messages ----
    void send(const json& message);
    /// Sends bytes as they are (for malformed framing).
    void send_raw(const std::string& bytes);
    /// Sends a request; returns its id.
    int64_t send_request(const std::string& method, const json& params);
    void notify(const std::string& method, const json& params);
    /// Waits for the reply to `id` (the whole message: result or error). FAILs on timeout.
    json wait_reply(int64_t id);
    /// Sends a request and waits for its whole reply message.
    json request(const std::string& method, const json& params);
    /// The next message from the server (queued first), nullopt on timeout / EOF.
    std::optional<json> next_message(std::chrono::milliseconds timeout);
    /// Messages received but not yet consumed.
    const std::deque<json>& queued() const { return queue_; }

    // ---- lifecycle ----
    /// initialize + initialized; returns the initialize result. `encodings` goes to
    /// capabilities.general.positionEncodings when non-empty.
    json initialize(const std::vector<std::string>& encodings = {});
    /// shutdown (checked) then exit; returns the process exit code.
    int shutdown_and_exit();
    /// Waits for the process to end; exit code, nullopt on timeout.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(20));

    // ---- documents ----
    void did_open(const std::string& uri, const std::string& text, int64_t version = 1,
                  const std::string& language = "plaintext");
    /// One incremental change; version is the new version.
    void did_change(const std::string& uri, int64_t version, const json& range,
                    const std::string& text, const std::string& reason = {});
    /// Several changes (each {"range"?, "text"}), as one notification.
    void did_change_many(const std::string& uri, int64_t version, const json& changes);
    void did_change_full(const std::string& uri, int64_t version, const std::string& text);
    void did_save(const std::string& uri);
    void did_close(const std::string& uri);
    /// provenant/annotate; `origin` like {"class":"ai","tool":"copilot","kind":"completion"}.
    void annotate(const std::string& uri, int64_t version, const json& origin, const json& ranges);
    /// provenant/documentProvenance; returns the result (FAILs on an error reply).
    json provenance(const std::string& uri);
    /// provenant/documentProvenance's "lines" as a vector of class names.
    std::vector<std::string> line_classes(const std::string& uri);
    /// provenant/sync: returns once every earlier message and journal write is done.
    void sync();

    Child& child() { return *child_; }
    int pid() const { return child_->pid(); }
    /// The server's stderr (its log) so far.
    std::string log() const;

private:
    std::optional<json> read_message(std::chrono::milliseconds timeout);

    Options options_;
    std::unique_ptr<TempDir> log_dir_;
    std::string stderr_path_;
    std::unique_ptr<Child> child_;
    std::deque<json> queue_;
    int64_t next_id_ = 1;
};

} // namespace provenant::test
