// `provenant blame` names the commit `git blame --porcelain` names for every line, on a
// generated history with renames, a merged branch and random edits.
#include "report_support.h"

#include <filesystem>
#include <map>
#include <random>
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
