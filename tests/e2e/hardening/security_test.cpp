// End-to-end checks behind docs/security.md: the sidecar listens on nothing, and a note never
// carries source text, prompts, conversation text or secrets, whatever the agent sent.
#include "support/lsp_client.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <unistd.h>

using namespace provenant::test;
namespace fs = std::filesystem;

namespace {

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size())
        s.replace(p, from.size(), to);
    return s;
}

/// Every open file descriptor of `pid` that is a socket ("socket:[inode]").
std::vector<std::string> sockets_of(int pid) {
    std::vector<std::string> out;
    std::error_code ec;
    for (auto it = fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
         !ec && it != fs::directory_iterator(); it.increment(ec)) {
        std::error_code lec;
        std::string target = fs::read_symlink(it->path(), lec).string();
        if (!lec && target.rfind("socket:", 0) == 0) out.push_back(target);
    }
    return out;
}

} // namespace

TEST_CASE("security: the sidecar has no socket at all, so it listens on nothing") {
    TempRepo repo;
    LspClient::Options opts;
    opts.cwd = repo.path();
    LspClient client(opts);
    client.initialize();
    client.did_open(file_uri(repo.file("a.txt")), "x\n");
    client.sync();
    // Its only channels are stdin, stdout and files: not one descriptor is a socket (a TCP,
    // UDP or Unix listener would be one).
    REQUIRE(fs::exists("/proc/" + std::to_string(client.pid()) + "/fd"));
    CHECK(sockets_of(client.pid()).empty());
    client.shutdown_and_exit();
}

TEST_CASE("security: a note holds no committed text, prompt, conversation or secret") {
    TempRepo repo;
    REQUIRE(repo.provenant({"install"}).exit_code == 0);
    TempDir side;
    // A transcript with a prompt and an answer; the agent writes a file holding a secret.
    const std::string prompt = "PROMPT-4e1f: add the key sk-live-PROMPTKEY to the config";
    std::string transcript =
        read_text(std::string(PROVENANT_TEST_FIXTURES) + "/agents/claude-code/transcript.jsonl");
    transcript =
        replace_all(transcript, "Validate the name in greet and add a clamp helper", prompt);
    transcript = replace_all(transcript, "I'll update greet.", "ANSWER-77aa: done, see config");
    transcript = replace_all(transcript, "${REPO}", repo.path());
    const std::string tpath = side.path() + "/t.jsonl";
    write_text(tpath, transcript);
    const std::vector<std::string> committed_lines = {
        "API_KEY = \"sk-live-0123456789abcdef\"",
        "DATABASE_URL = \"postgres://admin:hunter2@db.internal/prod\"",
        "def secret_function_name_9c3b():",
        "    return API_KEY",
    };
    std::string content;
    for (const auto& l : committed_lines)
        content += l + "\n";
    repo.write("config.py", content);
    nlohmann::json payload = {
        {"session_id", "3f2c9a1e-7b4d-4c2a-9e1f-5a6b7c8d9e01"},
        {"transcript_path", tpath},
        {"cwd", repo.path()},
        {"hook_event_name", "PostToolUse"},
        {"tool_name", "Write"},
        {"tool_use_id", "toolu_01Write000000000000000002"},
        {"tool_input", {{"file_path", repo.file("config.py")}, {"content", content}}}};
    auto hook = repo.provenant({"hook", "claude-code"}, payload.dump());
    REQUIRE_MESSAGE(hook.exit_code == 0, hook.err);
    const std::string head = repo.commit_all("add config");
    auto raw = repo.git({"notes", "--ref=provenant", "show", head});
    REQUIRE(raw.exit_code == 0);
    const std::string& note = raw.out;
    // The note is there and says what it should (so the search below can fail)...
    auto j = nlohmann::json::parse(note);
    REQUIRE(j["files"].contains("config.py"));
    CHECK(j["totals"]["lines"]["ai"] == 4);
    // ...and holds none of the text: no committed line, no piece of one that could identify
    // it, no prompt, no answer, no secret.
    for (const auto& l : committed_lines) {
        CHECK_MESSAGE(note.find(l) == std::string::npos, l);
    }
    for (const char* needle : {"sk-live", "hunter2", "secret_function_name", "API_KEY",
                               "PROMPT-4e1f", "PROMPTKEY", "ANSWER-77aa", "postgres://"}) {
        CHECK_MESSAGE(note.find(needle) == std::string::npos, needle);
    }
    // Nor does any object on the notes ref (every note blob there).
    auto all = repo.git({"log", "-p", "refs/notes/provenant"});
    for (const char* needle : {"sk-live", "hunter2", "PROMPT-4e1f", "ANSWER-77aa"}) {
        CHECK_MESSAGE(all.out.find(needle) == std::string::npos, needle);
    }
}

TEST_CASE("security: a hook's path through a symlink out of the repository is refused") {
    TempRepo repo;
    TempDir outside;
    fs::create_symlink(outside.path(), repo.file("link"));
    write_text(outside.path() + "/victim.py", "untouched\n");
    for (const std::string& path : {repo.file("link/victim.py"), std::string("link/victim.py"),
                                    outside.path() + "/victim.py"}) {
        INFO(path);
        nlohmann::json payload = {
            {"agent", "x"},
            {"cwd", repo.path()},
            {"files", nlohmann::json::array({{{"path", path}, {"after", "written\n"}}})}};
        auto r = repo.provenant({"hook", "generic"}, payload.dump());
        CHECK(r.exit_code == 0);
        CHECK(r.err.find("not recorded") != std::string::npos);
    }
    CHECK(read_text(outside.path() + "/victim.py") == "untouched\n");
    // Nothing was journaled for any of them.
    auto st = repo.provenant({"status", "--json"});
    CHECK(nlohmann::json::parse(st.out)["files"].empty());
}
