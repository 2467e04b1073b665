// The rewrites test harness: hooks, model, true notes and the misattribution check.
#include "harness.h"

#include "git/note_store.h"

#include <doctest/doctest.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace provenant::test {

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' '))
        s.pop_back();
    return s;
}

Harness::Harness(uint64_t seed) : rng_(seed) {}

int Harness::uniform(int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng_);
}

void Harness::install_hooks() {
    const std::string bin = PROVENANT_BINARY;
    const std::map<std::string, std::string> hooks = {
        {"post-commit", "\"" + bin + "\" rewritten --post-commit\n"},
        {"post-rewrite", "exec \"" + bin + "\" rewritten \"$1\"\n"},
        {"post-merge", "[ \"$1\" = 1 ] || exit 0\n\"" + bin + "\" rewritten --post-merge\n"},
    };
    for (const auto& [name, body] : hooks) {
        std::string path = repo_.path() + "/.git/hooks/" + name;
        write_text(path, "#!/bin/sh\n" + body);
        ::chmod(path.c_str(), 0755);
    }
}

Truth Harness::random_truth() {
    static const Truth choices[] = {
        {LineClass::Ai, "claude-code"},
        {LineClass::Ai, "cursor"},
        {LineClass::AiModified, "copilot"},
        {LineClass::Human, ""},
        {LineClass::Paste, ""},
        {LineClass::Unknown, ""},
    };
    return choices[uniform(0, 5)];
}

std::string Harness::new_line(const Truth& truth) {
    static const char* words[] = {"return x;", "int y = 2;", "call(a, b);",
                                  "// note",   "}",          "if (z) {"};
    std::string line = "L" + std::to_string(++next_line_) + " " + words[uniform(0, 5)];
    truth_[line] = truth;
    return line;
}

namespace {
std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        out.push_back(line);
    return out;
}
std::string join_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (auto& l : lines)
        out += l + "\n";
    return out;
}
bool exists(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}
} // namespace

bool Harness::random_edits() {
    bool changed = false;
    int nfiles = uniform(1, 3);
    for (int f = 0; f < nfiles; ++f) {
        std::string name = files()[static_cast<size_t>(uniform(0, 2))];
        std::string path = repo_.file(name);
        auto lines = exists(path) ? split_lines(read_text(path)) : std::vector<std::string>{};
        int ops = uniform(1, 4);
        for (int i = 0; i < ops; ++i) {
            int what = uniform(0, 9);
            if (lines.empty() || what < 6) { // insert a block of 1..3 lines from one origin
                Truth t = random_truth();
                auto at = lines.begin() + uniform(0, static_cast<int>(lines.size()));
                int n = uniform(1, 3);
                std::vector<std::string> block;
                for (int k = 0; k < n; ++k)
                    block.push_back(new_line(t));
                lines.insert(at, block.begin(), block.end());
            } else if (what < 8) { // delete
                lines.erase(lines.begin() + uniform(0, static_cast<int>(lines.size()) - 1));
            } else { // replace a line: new content, new truth
                lines[static_cast<size_t>(uniform(0, static_cast<int>(lines.size()) - 1))] =
                    new_line(random_truth());
            }
            changed = true;
        }
        write_text(path, join_lines(lines));
    }
    return changed;
}

ProcessResult Harness::git_env(const std::vector<std::string>& args,
                               const EnvOverrides& env) const {
    std::vector<std::string> argv{"git"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, repo_.path(), "", env);
}

std::string Harness::commit_with_truth(const std::string& message) {
    repo_.git({"add", "-A"});
    repo_.git({"commit", "-q", "--allow-empty", "-m", message});
    std::string head = repo_.head();
    write_true_note(head);
    return head;
}

void Harness::write_true_note(const std::string& commit_hex) {
    auto repo = git::Repo::open(repo_.path());
    REQUIRE_MESSAGE(repo.ok(), repo.error().message);
    auto id = git::oid_from_hex(commit_hex);
    REQUIRE(id.ok());
    auto changes = repo->added_lines(*id);
    REQUIRE_MESSAGE(changes.ok(), changes.error().message);
    auto parent = repo->first_parent(*id);
    REQUIRE(parent.ok());
    Note note;
    note.commit = commit_hex;
    note.parent = *parent ? git::to_hex(**parent) : std::string();
    for (const auto& fc : *changes) {
        auto text = repo->blob_text(fc.blob);
        REQUIRE(text.ok());
        auto lines = split_lines(*text);
        NoteFile nf;
        nf.blob = git::to_hex(fc.blob);
        for (uint32_t l : fc.added) {
            auto it = truth_.find(lines.at(l - 1));
            Truth t = it == truth_.end() ? Truth{} : it->second;
            nf.lines(t.cls).push_back(l);
            if (t.cls == LineClass::Ai || t.cls == LineClass::AiModified) {
                std::string oid = "o-" + t.tool;
                NoteOrigin o;
                o.record.cls = OriginClass::Ai;
                o.record.tool = t.tool;
                o.record.kind = "agent";
                note.origins[oid] = o;
                nf.by_origin[oid].push_back(l);
            }
        }
        note.files[fc.path] = std::move(nf);
    }
    git::NoteStore store(*repo);
    auto st = store.write(*id, note);
    REQUIRE_MESSAGE(st.ok(), st.error().message);
}

CheckResult Harness::check_head() {
    CheckResult out;
    auto repo = git::Repo::open(repo_.path());
    REQUIRE(repo.ok());
    auto head = repo->resolve("HEAD");
    if (!head) return out; // unborn
    git::NoteStore store(*repo);
    git::Replayer rp(*repo, store);
    auto listed = repo_.git({"ls-tree", "-r", "--name-only", "HEAD"}).out;
    for (const auto& path : split_lines(listed)) {
        auto state = rp.attribution_at(*head, path);
        REQUIRE_MESSAGE(state.ok(), state.error().message);
        auto lines = split_lines(state->text);
        for (size_t i = 0; i < lines.size(); ++i) {
            ++out.lines;
            const auto& attr = i + 1 < state->lines.size() ? state->lines[i + 1] : std::nullopt;
            if (!attr || attr->cls == LineClass::Unknown) continue;
            ++out.known;
            Truth said{attr->cls, attr->origin ? attr->origin->record.tool : std::string()};
            out.seen[lines[i]] = said;
            auto it = truth_.find(lines[i]);
            Truth truth = it == truth_.end() ? Truth{} : it->second;
            if (!(said == truth))
                out.wrong.push_back(path + ":" + std::to_string(i + 1) + " '" + lines[i] + "' is " +
                                    std::string(to_string(said.cls)) + "/" + said.tool +
                                    " but was written as " + std::string(to_string(truth.cls)) +
                                    "/" + truth.tool + " (note of " +
                                    (attr->commit ? attr->commit->substr(0, 10) : "?") + ")");
        }
    }
    return out;
}

} // namespace provenant::test
