// The stdio session: an I/O thread for the transport, the caller's thread for the server core.
#include "lsp/stdio_server.h"

#include "lsp/transport.h"
#include "support/json_text.h"

#include <asio/executor_work_guard.hpp>
#include <asio/post.hpp>
#include <asio/signal_set.hpp>
#include <csignal>
#include <spdlog/spdlog.h>
#include <thread>

namespace provenant::lsp {
namespace {

// Runs on the I/O thread: `$/cancelRequest` is recorded at once (the core thread may be busy
// with earlier messages), everything else is queued for the core thread in arrival order.
class CoreForwarder : public MessageSink {
public:
    CoreForwarder(asio::io_context& core, Server& server, Transport& transport)
        : core_(core), server_(server), transport_(transport) {}

    void on_message(json message, size_t body_bytes) override {
        if (message.is_object()) {
            auto m = message.find("method");
            if (m != message.end() && m->is_string() && *m == "$/cancelRequest") {
                auto p = message.find("params");
                if (p != message.end() && p->is_object() && p->contains("id"))
                    server_.cancellations().cancel((*p)["id"]);
            }
        }
        asio::post(core_, [this, msg = std::move(message), body_bytes] {
            // consumed() even if handle throws: a lost credit would stall reading for good.
            struct Credit {
                Transport& t;
                size_t n;
                ~Credit() { t.consumed(n); }
            } credit{transport_, body_bytes};
            server_.handle(msg);
        });
    }

    void on_input_closed() override {
        asio::post(core_, [this] { server_.stop("the input closed"); });
    }

private:
    asio::io_context& core_;
    Server& server_;
    Transport& transport_;
};

} // namespace

int run_stdio_server(const StdioOptions& options) {
    try {
        std::signal(SIGPIPE, SIG_IGN); // a vanished client is an EPIPE, not a death
        asio::io_context io;
        Transport transport(io, options.in_fd, options.out_fd);
        // Declared after the transport so it is destroyed first: handlers still queued on it
        // (a Reply among them answers when destroyed) may then still reach the transport.
        asio::io_context core;
        auto send = [&transport](const json& message) { transport.send(json_text_lossy(message)); };
        int code = 1;
        {
            Server server(core, send, options.server);
            CoreForwarder forwarder(core, server, transport);
            auto work = asio::make_work_guard(core);
            asio::signal_set signals(core, SIGINT, SIGTERM);
            signals.async_wait([&](const asio::error_code& ec, int sig) {
                if (!ec) server.stop(sig == SIGINT ? "SIGINT" : "SIGTERM");
            });
            server.on_done([&] {
                // The server has stopped its journal worker, so every reply the worker owed
                // (provenant/sync) is already queued here: let core.run() drain them, then
                // return. Messages queued after exit are ignored by Server::handle.
                signals.cancel();
                work.reset();
            });
            transport.start(forwarder);
            std::thread io_thread([&io] {
                for (;;) {
                    try {
                        io.run();
                        return;
                    } catch (const std::exception& e) {
                        spdlog::error("lsp: I/O thread: {}", e.what());
                    }
                }
            });
            for (;;) {
                try {
                    core.run();
                    break;
                } catch (const std::exception& e) {
                    spdlog::error("lsp: core thread: {}", e.what());
                }
            }
            code = server.exit_code();
            server.finish();
            transport.close(); // lets io.run() return once the last reply is written
            io_thread.join();
        }
        spdlog::info("lsp: exiting with code {}", code);
        return code;
    } catch (const std::exception& e) {
        spdlog::critical("lsp: {}", e.what());
        return 1;
    }
}

} // namespace provenant::lsp
