// Test support for the agent hook e2e tests (see agent_fixture.h).
#include "agent_fixture.h"

#include "core/line_classifier.h"
#include "journal/journal.h"

#include <doctest/doctest.h>
#include <fstream>

namespace provenant::test {

namespace {
void replace_all(std::string& s, const std::string& from, const std::string& to) {
    for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
        s.replace(pos, from.size(), to);
}
} // namespace

std::string agent_fixture(const std::string& rel, const std::string& repo,
                          const std::string& transcript) {
    std::string file = PROVENANT_TEST_FIXTURES;
    file += "/agents/";
    file += rel;
    std::ifstream in(file, std::ios::binary);
    REQUIRE_MESSAGE(in, "missing fixture " << rel);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    replace_all(text, "${REPO}", repo);
    replace_all(text, "${TRANSCRIPT}",
                transcript.empty() ? repo + "/../no-transcript.jsonl" : transcript);
    return text;
}

AgentRepo::AgentRepo() {
    write("src/app.py", kAppPy);
    commit_all("initial");
}

ProcessResult AgentRepo::hook(const std::string& agent, const std::string& payload) const {
    ProcessResult r = provenant({"hook", agent}, payload);
    CHECK_MESSAGE(r.exit_code == 0, "hook " << agent << " exited " << r.exit_code << ": " << r.err);
    return r;
}

std::string AgentRepo::transcript(const std::string& rel) const {
    std::string name = rel.substr(rel.find('/') + 1);
    std::string path = side_.path() + "/" + name;
    write_text(path, agent_fixture(rel, this->path(), path));
    return path;
}

std::vector<LineInfo> journal_lines(const TempRepo& repo, const std::string& path) {
    wait_for_pending_notes(repo.path());
    Journal journal(std::filesystem::path(repo.path()) / ".git");
    auto entry = journal.load(path);
    REQUIRE_MESSAGE(entry, entry.error().message);
    std::vector<LineInfo> out;
    if (!*entry) return out;
    const Snapshot& s = (*entry)->snapshot;
    for (const LineVerdict& v : classify_lines(s)) {
        LineInfo li;
        li.cls = std::string(to_string(v.cls));
        if (v.origin) {
            const OriginRecord& r = s.origins.at(*v.origin);
            li.tool = r.tool;
            li.kind = r.kind;
            li.model = r.model;
            li.session = r.session;
            li.request = r.request;
        }
        out.push_back(std::move(li));
    }
    return out;
}

bool has_journal_entry(const TempRepo& repo, const std::string& path) {
    wait_for_pending_notes(repo.path());
    Journal journal(std::filesystem::path(repo.path()) / ".git");
    auto entry = journal.load(path);
    return entry && *entry;
}

} // namespace provenant::test
