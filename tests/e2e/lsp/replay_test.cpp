// End-to-end: replays the transcripts in tests/fixtures/lsp/*.lsp into the real binary.
//
// Transcript format (test-only, like clangd's lit tests): blocks separated by lines that are
// exactly `---`; lines starting with `#` are comments. A block is one of
//   {json}              a message to send (framed here)
//   <-- {json}          the next message from the server must contain this (subset match)
//   raw: "json string"  bytes to send as they are (JSON string escapes: \r\n, \u0000, ...)
//   exit-code: N        the server must exit with N (after the input so far)
// `${ROOT}` expands to a fresh git repository's path and `${ROOT_URI}` to its file URI.
#include "lsp_test_util.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

using namespace provenant::test;
namespace fs = std::filesystem;

namespace {

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
        s.replace(pos, from.size(), to);
    return s;
}

std::vector<std::string> blocks_of(const std::string& text) {
    std::vector<std::string> blocks(1);
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line == "---") {
            blocks.emplace_back();
            continue;
        }
        if (!line.empty() && line[0] == '#') continue;
        blocks.back() += line + "\n";
    }
    std::vector<std::string> out;
    for (auto& b : blocks) {
        auto first = b.find_first_not_of(" \t\r\n");
        if (first != std::string::npos) out.push_back(b.substr(first));
    }
    return out;
}

void replay(const fs::path& file) {
    CAPTURE(file.filename().string());
    TempRepo repo;
    std::string text = read_text(file.string());
    text = replace_all(text, "${ROOT_URI}", file_uri(repo.path()));
    text = replace_all(text, "${ROOT}", repo.path());
    LspClient c(LspClient::Options{{"--log-level", "info"}, repo.path()});
    int step = 0;
    for (const std::string& block : blocks_of(text)) {
        ++step;
        CAPTURE(step);
        CAPTURE(block);
        if (block.rfind("<--", 0) == 0) {
            json expected = json::parse(block.substr(3));
            auto got = c.next_message(std::chrono::seconds(20));
            REQUIRE_MESSAGE(got.has_value(), "no message from the server; log:\n" << c.log());
            std::string where;
            CHECK_MESSAGE(json_subset(expected, *got, &where), where << "\n got: " << got->dump());
        } else if (block.rfind("raw:", 0) == 0) {
            c.send_raw(json::parse(block.substr(4)).get<std::string>());
        } else if (block.rfind("exit-code:", 0) == 0) {
            int expected = std::stoi(block.substr(10));
            CHECK(c.wait_exit() == expected);
            return;
        } else {
            c.send(json::parse(block));
        }
    }
}

} // namespace

TEST_CASE("replay transcripts") {
    fs::path dir = fs::path(PROVENANT_SOURCE_DIR) / "tests" / "fixtures" / "lsp";
    std::vector<fs::path> files;
    for (auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".lsp") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 3);
    for (const auto& f : files)
        replay(f);
}
