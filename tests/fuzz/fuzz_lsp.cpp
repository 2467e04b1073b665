// libFuzzer target: the LSP byte stream against one server state. The input is fed through
// the framing in pieces (sizes from the input itself), every body is budgeted and parsed as
// the transport does, and each message is handled by one Server (memory only: no journal),
// its posted work run after each message. A message prefix (initialize, didOpen) starts most
// inputs in an interesting state, so the fuzzer spends its time on the sequence after it.
#include "lsp/framing.h"
#include "lsp/jsonrpc.h"
#include "lsp/server.h"

#include <asio/io_context.hpp>
#include <cstdint>
#include <spdlog/spdlog.h>
#include <string_view>

using namespace provenant;
using namespace provenant::lsp;

namespace {

const std::string& prelude() {
    static const std::string p =
        frame(
            R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"capabilities":{"general":{"positionEncodings":["utf-16"]}}}})") +
        frame(R"({"jsonrpc":"2.0","method":"initialized","params":{}})") +
        frame(
            R"({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///fuzz/a.ts","languageId":"typescript","version":1,"text":"let a = 1;\nconst b = \"é😀\";\n"}}})");
    return p;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const bool quiet = [] {
        spdlog::set_level(spdlog::level::off);
        return true;
    }();
    (void)quiet;
    if (size == 0) return 0;
    asio::io_context core;
    size_t replies = 0;
    ServerOptions options;
    options.journal = false;
    Server server(
        core, [&](const json&) { ++replies; }, options);
    FrameReader reader(1u << 20);
    // First byte: whether to start from the prelude; then the stream.
    const bool with_prelude = (data[0] & 1) != 0;
    std::string stream = with_prelude ? prelude() : std::string();
    stream.append(reinterpret_cast<const char*>(data) + 1, size - 1);
    size_t piece = 1 + (data[0] >> 1); // fed in pieces of 1..128 bytes
    for (size_t pos = 0; pos < stream.size() && !server.done(); pos += piece) {
        reader.feed(std::string_view(stream).substr(pos, piece));
        while (auto ev = reader.next()) {
            if (ev->kind == FrameEvent::Error) continue;
            std::string error;
            ErrorCode code = ErrorCode::ParseError;
            auto message = parse_body(ev->text, &error, &code);
            if (!message) continue;
            server.handle(*message);
            core.poll();
            core.restart();
        }
    }
    server.stop("the input closed");
    core.poll();
    server.finish();
    return 0;
}
