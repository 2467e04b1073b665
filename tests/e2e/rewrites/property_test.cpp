// Property test: random histories and random rewrites (amend, rebase -i reorder/squash/fixup/
// edit/drop, cherry-pick, merge --squash, reset --soft/--mixed, stash), checked after every
// step against an independent model: no line of HEAD is ever attributed wrongly.
// PROVENANT_PROPERTY_CASES=N runs more cases; PROVENANT_PROPERTY_SEED=S replays one seed.
#include "harness.h"

#include <cstdlib>
#include <doctest/doctest.h>
#include <filesystem>
#include <sstream>

namespace provenant::test {
namespace {

int commit_count(Harness& h) {
    auto r = h.git_env({"rev-list", "--count", "HEAD"});
    return r.exit_code == 0 ? std::stoi(r.out) : 0;
}

bool in_progress(Harness& h, const char* what) {
    return std::filesystem::exists(h.repo().path() + "/.git/" + what);
}

/// One step; returns a description (empty when the step was skipped).
std::string random_step(Harness& h, int step) {
    TempRepo& repo = h.repo();
    const std::string msg = "step " + std::to_string(step);
    int n = commit_count(h);
    int op = h.uniform(0, 11);
    if (n < 2) op = 0;
    switch (op) {
    case 0:
    case 1:
    case 2: // plain commit
        h.random_edits();
        h.commit_with_truth(msg);
        return "commit";
    case 3: { // amend without edits: everything must survive
        auto before = h.check_head();
        repo.git({"commit", "-q", "--amend", "-m", msg + " amended"});
        auto after = h.check_head();
        CHECK_MESSAGE(after.known == before.known,
                      "amend without edits lost attribution at step " << step);
        return "amend";
    }
    case 4: // amend with new (unattributed: no journal) edits
        h.random_edits();
        repo.git({"add", "-A"});
        repo.git({"commit", "-q", "--amend", "-m", msg + " amended with edits"});
        return "amend+edits";
    case 5:
    case 6: { // rebase -i of the last k commits
        int k = h.uniform(2, std::min(4, n - 1));
        auto ids = h.git_env({"rev-list", "--reverse", "HEAD~" + std::to_string(k) + "..HEAD"});
        std::istringstream in(ids.out);
        std::vector<std::string> todo;
        std::string id, desc;
        bool first = true;
        while (in >> id) {
            static const char* actions[] = {"pick",  "pick", "pick", "squash",
                                            "fixup", "drop", "edit"};
            std::string a = actions[h.uniform(0, 6)];
            if (first && (a == "squash" || a == "fixup")) a = "pick";
            first = false;
            todo.push_back(a + " " + id);
            desc += a[0];
        }
        if (todo.size() < 2) return "";
        if (h.uniform(0, 2) == 0) { // reorder two lines
            const int last = static_cast<int>(todo.size()) - 1;
            size_t i = static_cast<size_t>(h.uniform(0, last)),
                   j = static_cast<size_t>(h.uniform(0, last));
            std::swap(todo[i], todo[j]);
            if (todo[0].rfind("squash", 0) == 0 || todo[0].rfind("fixup", 0) == 0)
                todo[0] = "pick" + todo[0].substr(todo[0].find(' '));
            desc += "/reordered";
        }
        std::string todo_file = repo.path() + "/.git/test-todo";
        std::string text;
        for (auto& t : todo)
            text += t + "\n";
        write_text(todo_file, text);
        EnvOverrides env{{"GIT_SEQUENCE_EDITOR", "cp '" + todo_file + "'"}};
        auto r = h.git_env({"rebase", "-q", "-i", "HEAD~" + std::to_string(k)}, env);
        for (int guard = 0; guard < 8 && r.exit_code == 0 && in_progress(h, "rebase-merge");
             ++guard) {
            // Stopped at an `edit`: amend (maybe with edits), continue.
            if (h.uniform(0, 1) == 0 && h.random_edits()) repo.git({"add", "-A"});
            repo.git({"commit", "-q", "--amend", "--allow-empty", "-m", msg + " edited"});
            r = h.git_env({"rebase", "--continue"}, env);
        }
        if (r.exit_code != 0 || in_progress(h, "rebase-merge")) {
            h.git_env({"rebase", "--abort"});
            return "";
        }
        return "rebase " + desc;
    }
    case 7: { // cherry-pick a commit made on a side branch
        repo.git({"checkout", "-q", "-B", "side", "HEAD~1"});
        h.random_edits();
        std::string side = h.commit_with_truth(msg + " side");
        repo.git({"checkout", "-q", "main"});
        auto r = h.git_env({"cherry-pick", h.uniform(0, 1) ? "-x" : "--ff", side});
        if (r.exit_code != 0) {
            h.git_env({"cherry-pick", "--abort"});
            return "";
        }
        return "cherry-pick";
    }
    case 8: { // merge --squash of a side branch with two commits
        repo.git({"checkout", "-q", "-B", "side", "HEAD"});
        h.random_edits();
        h.commit_with_truth(msg + " side 1");
        h.random_edits();
        h.commit_with_truth(msg + " side 2");
        repo.git({"checkout", "-q", "main"});
        h.random_edits(); // main moves on meanwhile
        h.commit_with_truth(msg + " main");
        auto r = h.git_env({"merge", "--squash", "side"});
        if (r.exit_code != 0) {
            h.git_env({"reset", "-q", "--hard", "HEAD"});
            return "";
        }
        // With -m the message does not list the commits: the squash-sources record must.
        if (h.uniform(0, 1))
            repo.git({"commit", "-q", "-m", msg + " squashed"});
        else
            repo.git({"commit", "-q", "--no-edit"});
        return "merge --squash";
    }
    case 9: { // reset --soft, commit again
        int k = h.uniform(1, std::min(3, n - 1));
        repo.git({"reset", "-q", "--soft", "HEAD~" + std::to_string(k)});
        repo.git({"commit", "-q", "-m", msg + " recommitted"});
        return "reset --soft " + std::to_string(k);
    }
    case 10: { // reset --mixed, commit again in two pieces
        repo.git({"reset", "-q", "HEAD~1"});
        auto status = h.git_env({"status", "--porcelain"});
        if (status.out.find("a.txt") != std::string::npos) {
            repo.git({"add", "a.txt"});
            repo.git({"commit", "-q", "-m", msg + " part 1"});
        }
        repo.git({"add", "-A"});
        repo.git({"commit", "-q", "--allow-empty", "-m", msg + " part 2"});
        return "reset --mixed";
    }
    default: { // stash and pop around a commit
        h.random_edits();
        auto r = h.git_env({"stash", "-q", "-u"});
        if (r.exit_code != 0) return "";
        h.git_env({"stash", "pop", "-q"});
        repo.git({"add", "-A"});
        repo.git({"commit", "-q", "--allow-empty", "-m", msg + " after stash"});
        return "stash";
    }
    }
}

uint64_t env_u64(const char* name, uint64_t fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 10) : fallback;
}

} // namespace

TEST_CASE("property: random rewrites never misattribute a line") {
    const uint64_t cases = env_u64("PROVENANT_PROPERTY_CASES", 6);
    const uint64_t only = env_u64("PROVENANT_PROPERTY_SEED", 0);
    const int steps = static_cast<int>(env_u64("PROVENANT_PROPERTY_STEPS", 14));
    size_t total_lines = 0, total_known = 0;
    std::map<std::string, int> ops;
    for (uint64_t c = 0; c < (only ? 1 : cases); ++c) {
        const uint64_t seed = only ? only : 1000 + c;
        CAPTURE(seed);
        Harness h(seed);
        h.install_hooks();
        std::string trail;
        for (int s = 0; s < steps; ++s) {
            std::string what = random_step(h, s);
            if (what.empty()) continue;
            ++ops[what.substr(0, what.find(' '))];
            trail += what + "; ";
            auto result = h.check_head();
            CAPTURE(trail);
            for (auto& w : result.wrong)
                FAIL_CHECK(w);
            if (!result.wrong.empty()) break;
            total_lines += result.lines;
            total_known += result.known;
        }
    }
    MESSAGE("lines checked: " << total_lines << ", attributed: " << total_known);
    for (auto& [op, count] : ops)
        MESSAGE(op << ": " << count);
    // Not vacuous: most lines keep an attribution through all this.
    CHECK(total_known * 2 > total_lines);
}

} // namespace provenant::test
