// `provenant blame` names the commit `git blame --porcelain` names for every line, on a
// generated history with renames, a merged branch and random edits.
#include "report_support.h"

#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <sstream>

using namespace provenant::test;
using nlohmann::json;

namespace {

/// Final line number -> commit, from `git blame --porcelain`.
std::map<int, std::string> git_blame(const TempRepo& r, const std::string& file) {
    auto res = r.git({"blame", "--porcelain", file});
    std::map<int, std::string> out;
    std::istringstream in(res.out);
    std::string line;
    while (std::getline(in, line)) {
        if (line.size() < 42 || line[40] != ' ') continue;
        if (line.find_first_not_of("0123456789abcdef") < 40) continue;
        std::istringstream fields(line.substr(41));
        int orig = 0, final_line = 0;
        fields >> orig >> final_line;
        out[final_line] = line.substr(0, 40);
    }
    return out;
}

std::map<int, std::string> our_blame(const TempRepo& r, const std::string& file) {
    auto res = r.provenant({"blame", file, "--json"});
    REQUIRE_MESSAGE(res.exit_code == 0, res.err);
    std::map<int, std::string> out;
    for (const auto& l : json::parse(res.out))
        out[l["line"].get<int>()] = l["commit"].get<std::string>();
    return out;
}

/// Random edits to a file's lines: replace, insert, delete, keep.
std::string edit(const std::string& text, std::mt19937& rng, int commit) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        lines.push_back(l);
    std::vector<std::string> out;
    std::uniform_int_distribution<int> op(0, 19);
    int k = 0;
    for (const auto& l : lines) {
        switch (op(rng)) {
        case 0:
            break; // delete
        case 1:
            out.push_back("changed " + std::to_string(commit) + "." + std::to_string(k++));
            break;
        case 2:
            out.push_back(l);
            out.push_back("inserted " + std::to_string(commit) + "." + std::to_string(k++));
            break;
        case 3:
            out.push_back("");
            out.push_back(l);
            break; // blank lines make diffs ambiguous
        default:
            out.push_back(l);
        }
    }
    if (out.size() < 5) out.push_back("refill " + std::to_string(commit));
    std::string s;
    for (const auto& l : out)
        s += l + "\n";
    return s;
}

} // namespace

TEST_CASE("blame agrees with git blame on a history with renames and a merge") {
    ReportRepo r;
    std::mt19937 rng(1234);
    std::string a, b;
    for (int i = 1; i <= 40; ++i) {
        a += "alpha " + std::to_string(i) + "\n";
        b += "beta " + std::to_string(i) + "\n";
    }
    r.write("one.txt", a);
    r.write("two.txt", b);
    r.commit_on(0, "start");
    std::string one = "one.txt", two = "two.txt";
    for (int c = 1; c <= 30; ++c) {
        if (c == 10) {
            r.git({"mv", one, "src_one.txt"});
            one = "src_one.txt";
        }
        if (c == 15) {
            r.git({"checkout", "-q", "-b", "side"});
            r.write("three.txt", a);
            r.commit_on(c, "side");
            r.write("three.txt", edit(a, rng, 1000 + c));
            r.commit_on(c, "side 2", 1);
            r.git({"checkout", "-q", "main"});
        }
        if (c == 18) r.merge_on(c, "side");
        if (c == 22) { // renamed and edited in one commit
            std::filesystem::create_directories(r.file("lib"));
            r.git({"mv", two, "lib/two.txt"});
            two = "lib/two.txt";
        }
        r.write(one, edit(r.read(one), rng, c));
        r.write(two, edit(r.read(two), rng, c + 500));
        r.commit_on(c, "edit " + std::to_string(c), c);
    }
    for (const std::string& f : {one, two, std::string("three.txt")}) {
        CAPTURE(f);
        const auto theirs = git_blame(r, f);
        const auto ours = our_blame(r, f);
        REQUIRE(theirs.size() == ours.size());
        size_t differ = 0;
        for (const auto& [line, commit] : theirs)
            if (ours.at(line) != commit) ++differ;
        CHECK(differ == 0);
        // Renames were followed: lines older than the rename name a commit before it.
        CHECK(theirs.at(1) == ours.at(1));
    }
}

namespace {

/// Random edits that keep many lines alike (braces, blank lines, repeated statements): the
/// diffs are ambiguous, so only git's own choices (its algorithm, and the common tail it
/// leaves out of a blame diff) give git's answer.
std::string edit_alike(const std::string& text, std::mt19937& rng, int commit, int region) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        lines.push_back(l);
    std::uniform_int_distribution<int> op(0, 29);
    const size_t third = lines.size() / 3;
    std::vector<std::string> out;
    for (size_t k = 0; k < lines.size(); ++k) {
        // Each side of a merge edits its own third of the file, so the merges are clean.
        const bool mine = k / std::max<size_t>(third, 1) == static_cast<size_t>(region);
        switch (mine ? op(rng) : 29) {
        case 0:
            break;
        case 1:
            out.push_back("}");
            out.push_back(lines[k]);
            break;
        case 2:
            out.push_back(lines[k]);
            out.push_back("    return 0;");
            break;
        case 3:
            out.push_back("edit " + std::to_string(commit) + "." + std::to_string(k));
            break;
        default:
            out.push_back(lines[k]);
        }
    }
    std::string s;
    for (const auto& l : out)
        s += l + "\n";
    return s;
}

} // namespace

TEST_CASE("blame agrees with git blame through merges that change the file on both sides") {
    ReportRepo r;
    std::mt19937 rng(99);
    std::string text;
    for (int i = 1; i <= 300; ++i) // about 4 KiB: several of the 1 KiB blocks git compares
        text +=
            i % 5 == 0 ? "}\n" : (i % 7 == 0 ? "\n" : "    x += " + std::to_string(i % 4) + ";\n");
    r.write("f.c", text);
    r.commit_on(0, "start");
    for (int round = 0; round < 4; ++round) {
        const int day = 1 + round * 10;
        r.git({"checkout", "-q", "-b", "side" + std::to_string(round)});
        for (int c = 0; c < 3; ++c) {
            r.write("f.c", edit_alike(r.read("f.c"), rng, day * 100 + c, 0));
            r.commit_on(day + c, "side edit");
        }
        r.git({"checkout", "-q", "main"});
        for (int c = 0; c < 3; ++c) {
            r.write("f.c", edit_alike(r.read("f.c"), rng, day * 100 + 50 + c, 2));
            // The last main commit is dated before its parent (a skewed clock): the order in
            // which blame takes commits must not change its answer.
            r.commit_on(c == 2 ? day : day + c, "main edit");
        }
        if (round % 2 == 0) {
            r.merge_on(day + 5, "side" + std::to_string(round));
        } else { // a merge that changes the file itself (lines born in the merge)
            const std::string date =
                "@" + std::to_string(kDay0 + (day + 5) * kDaySeconds) + " +0000";
            auto m = run(
                {"git", "merge", "-q", "--no-ff", "--no-commit", "side" + std::to_string(round)},
                r.path(), {}, {});
            REQUIRE_MESSAGE(m.exit_code == 0, m.err);
            r.write("f.c", edit_alike(r.read("f.c"), rng, day * 100 + 90, 1));
            r.git({"add", "-A"});
            auto c = run({"git", "commit", "-q", "-m", "evil merge"}, r.path(), {},
                         {{"GIT_AUTHOR_DATE", date}, {"GIT_COMMITTER_DATE", date}});
            REQUIRE_MESSAGE(c.exit_code == 0, c.err);
            wait_for_pending_notes(r.path());
        }
    }
    const auto theirs = git_blame(r, "f.c");
    const auto ours = our_blame(r, "f.c");
    REQUIRE(theirs.size() == ours.size());
    size_t differ = 0;
    for (const auto& [line, commit] : theirs)
        if (ours.at(line) != commit) {
            ++differ;
            MESSAGE("line " << line << ": git " << commit << ", provenant " << ours.at(line));
        }
    CHECK(differ == 0);
    std::set<std::string> owners;
    for (const auto& [line, commit] : theirs)
        owners.insert(commit);
    CHECK(owners.size() > 10); // the lines really come from many commits, merges among them
}
