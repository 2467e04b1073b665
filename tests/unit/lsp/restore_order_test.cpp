// Unit tests: the server's journal writes and its restore at didOpen, in process, with the core
// thread run by the test, so the interleaving that lost saved typing after a kill -9 (issue 9)
// happens every time, not only on a loaded machine: the restore is computed on the journal
// thread, but its result reaches the core thread only after the person's edits and save.
#include "core/restore.h"
#include "journal/journal.h"
#include "lsp/server.h"
#include "support/lsp_client.h"
#include "support/repository.h"
#include "support/temp_repo.h"

#include <asio/io_context.hpp>
#include <doctest/doctest.h>
#include <mutex>

using namespace provenant;
using namespace provenant::lsp;

namespace {

constexpr uint32_t kEarlier = 1'700'000'000; // before the test runs

json pos(uint32_t line, uint32_t character) {
    return {{"line", line}, {"character", character}};
}

/// A server on `core` whose replies are collected; the test runs `core` itself.
struct InProcess {
    asio::io_context core;
    std::mutex mutex;
    std::vector<json> sent;
    std::unique_ptr<Server> server;
    int64_t next_id = 1;

    InProcess() {
        ServerOptions o;
        o.flush_delay = std::chrono::hours(1); // no timer write: only the ones the test asks
        o.poll_interval = std::chrono::hours(1);
        server = std::make_unique<Server>(
            core,
            [this](const json& m) {
                std::lock_guard lock(mutex);
                sent.push_back(m);
            },
            o);
    }
    bool replied(int64_t id) {
        std::lock_guard lock(mutex);
        for (const json& m : sent)
            if (m.contains("id") && m["id"] == id) return true;
        return false;
    }
    /// Sends a request and runs the core thread until its reply is sent.
    void request(const std::string& method, json params) {
        const int64_t id = next_id++;
        server->handle(
            json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}});
        while (!replied(id))
            core.run_one();
    }
    void notify(const std::string& method, json params) {
        server->handle(json{{"jsonrpc", "2.0"}, {"method", method}, {"params", params}});
    }
};

} // namespace

TEST_CASE("a document's journal writes wait for its restore: saved typing is never lost") {
    test::TempRepo repo;
    const std::string text = "// header\nsaved one\n";
    repo.write("c.txt", "// header\n");
    repo.commit_all("initial");
    repo.write("c.txt", text);
    auto loc = find_repository(repo.path());
    REQUIRE(loc);
    Journal journal(loc->gitdir);
    // An earlier session's entry: the person typed "saved one" and saved it (then was killed).
    Snapshot earlier;
    earlier.text = text;
    const Attr typed{kHumanOrigin, Evidence::Inferred, true, kEarlier};
    earlier.push_run(10, Attr{});
    earlier.push_run(9, typed);
    earlier.push_run(1, Attr{});
    REQUIRE(earlier.validate());
    {
        auto stored = journal.update("c.txt", [&](std::optional<JournalEntry>) {
            JournalEntry e;
            e.path = "c.txt";
            e.writer = "lsp";
            e.snapshot = earlier;
            e.saved = saved_typing(earlier);
            return std::optional<JournalEntry>(std::move(e));
        });
        REQUIRE(stored.ok());
    }

    InProcess p;
    p.request("initialize",
              json{{"processId", nullptr}, {"rootUri", nullptr}, {"capabilities", json::object()}});
    p.notify("initialized", json::object());
    const std::string uri = test::file_uri(repo.file("c.txt"));
    // didOpen: the journal thread restores; the result waits for the core thread (not run).
    p.notify("textDocument/didOpen",
             json{{"textDocument",
                   {{"uri", uri}, {"languageId", "plaintext"}, {"version", 1}, {"text", text}}}});
    // The person types at the end of the saved line and saves, before the restore is applied.
    int64_t version = 1;
    uint32_t col = 9;
    for (char ch : std::string(" x")) {
        p.notify("textDocument/didChange",
                 json{{"textDocument", {{"uri", uri}, {"version", ++version}}},
                      {"contentChanges",
                       json::array({json{{"range", {{"start", pos(1, col)}, {"end", pos(1, col)}}},
                                         {"text", std::string(1, ch)}}})}});
        ++col;
    }
    repo.write("c.txt", "// header\nsaved one x\n");
    p.notify("textDocument/didSave", json{{"textDocument", {{"uri", uri}}}});
    // provenant/sync: answered once every write is done (the restore arrives meanwhile).
    p.request("provenant/sync", nullptr);

    auto entry = journal.load("c.txt");
    REQUIRE(entry.ok());
    REQUIRE(*entry);
    const Snapshot& s = (**entry).snapshot;
    REQUIRE(s.text == "// header\nsaved one x\n");
    // Every character of "saved one" is still the earlier session's observed typing. Old
    // code: the save merged a snapshot without the restore, by whole lines, and the edited
    // line's earlier typing became `unknown`, with nothing observed (a kill then lost it).
    const std::vector<Attr> attrs = s.expand();
    for (size_t i = 10; i < 19; ++i) {
        CAPTURE(i);
        CHECK(attrs[i].evidence == Evidence::Inferred);
        CHECK(attrs[i].seen == kEarlier);
        CHECK(s.origins.class_of(attrs[i].origin) == OriginClass::Human);
    }
    // The save's typing is what the file held: the restored typing and the new.
    REQUIRE((**entry).saved);
    CHECK((**entry).saved->seen > kEarlier);
    p.request("shutdown", nullptr);
    p.notify("exit", nullptr);
}
