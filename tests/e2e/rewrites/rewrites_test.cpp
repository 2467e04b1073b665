// Each rewrite on its own: the attribution follows the lines or becomes unknown, never wrong.
#include "git/note_store.h"
#include "harness.h"

#include <doctest/doctest.h>

namespace provenant::test {
namespace {

const Truth kClaude{LineClass::Ai, "claude-code"};
const Truth kCursor{LineClass::Ai, "cursor"};
const Truth kHuman{LineClass::Human, ""};
const Truth kPaste{LineClass::Paste, ""};

std::optional<Note> note_of(Harness& h, const std::string& rev) {
    auto repo = git::Repo::open(h.repo().path());
    REQUIRE(repo.ok());
    auto id = repo->resolve(rev);
    REQUIRE(id.ok());
    git::NoteStore store(*repo);
    auto n = store.read(*id);
    REQUIRE_MESSAGE(n.ok(), n.error().message);
    return *n;
}

/// Checks HEAD: no line wrong, and exactly `known` lines attributed.
void expect_head(Harness& h, size_t known) {
    auto r = h.check_head();
    for (auto& w : r.wrong)
        FAIL_CHECK(w);
    CHECK_MESSAGE(r.known == known,
                  h.repo().git({"log", "--format=%h %s%n%N", "--notes=provenant"}).out);
}

std::string lines(Harness& h, const Truth& t, int n) {
    std::string out;
    for (int i = 0; i < n; ++i)
        out += h.new_line(t) + "\n";
    return out;
}

} // namespace

TEST_CASE("rewrites: amend without edits keeps every attribution, with the rewrite recorded") {
    Harness h(1);
    h.install_hooks();
    h.repo().write("a.txt", lines(h, kClaude, 3) + lines(h, kHuman, 2));
    std::string old = h.commit_with_truth("one");
    h.repo().git({"commit", "-q", "--amend", "-m", "one, amended"});
    CHECK(h.repo().head() != old);
    expect_head(h, 5);
    auto n = note_of(h, "HEAD");
    REQUIRE(n);
    REQUIRE(n->rewrite);
    CHECK(n->rewrite->kind == "amend");
    CHECK(n->rewrite->from == std::vector<std::string>{old});
    CHECK(n->commit == h.repo().head());
}

TEST_CASE("rewrites: amend with edits: old lines carried, new lines unknown without evidence") {
    Harness h(2);
    h.install_hooks();
    std::string a = lines(h, kClaude, 2), b = lines(h, kHuman, 2);
    h.repo().write("a.txt", a + b);
    h.commit_with_truth("one");
    // Replace the first AI line and add a line: both have no evidence here.
    std::string edited =
        h.new_line(kCursor) + "\n" + a.substr(a.find('\n') + 1) + b + h.new_line(kPaste) + "\n";
    h.repo().write("a.txt", edited);
    h.repo().git({"commit", "-q", "-a", "--amend", "-m", "one, edited"});
    expect_head(h, 3);
}

TEST_CASE("rewrites: rebase -i with reorder, squash, fixup, edit and drop") {
    Harness h(3);
    h.install_hooks();
    h.repo().write("base.txt", lines(h, kHuman, 1));
    h.commit_with_truth("base");
    std::vector<std::string> ids;
    const Truth truths[] = {kClaude, kHuman, kCursor, kPaste, kClaude};
    for (int i = 0; i < 5; ++i) {
        h.repo().write("f" + std::to_string(i) + ".txt", lines(h, truths[i], 2));
        ids.push_back(h.commit_with_truth("c" + std::to_string(i)));
    }
    // Reordered (c1 first), c2 squashed into c0, stop to amend c3, c4 fixed up into it.
    std::string todo = "pick " + ids[1] + "\npick " + ids[0] + "\nsquash " + ids[2] + "\nedit " +
                       ids[3] + "\nfixup " + ids[4] + "\n";
    write_text(h.repo().path() + "/.git/todo", todo);
    auto r = h.git_env({"rebase", "-q", "-i", "HEAD~5"},
                       {{"GIT_SEQUENCE_EDITOR", "cp '" + h.repo().path() + "/.git/todo'"}});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    h.repo().git({"commit", "-q", "--amend", "-m", "c3 edited"}); // at the edit stop
    r = h.git_env({"rebase", "--continue"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    expect_head(h, 1 + 10); // base line + all 10 lines survived
    auto n = note_of(h, "HEAD~1");
    REQUIRE(n);
    REQUIRE(n->rewrite);
    CHECK(n->rewrite->from.size() >= 2); // the squash: c0 and c2
    // Now drop the commit that holds c1's lines (the first after base).
    write_text(h.repo().path() + "/.git/todo",
               "drop " + h.repo().git({"rev-parse", "HEAD~2"}).out + "pick " +
                   h.repo().git({"rev-parse", "HEAD~1"}).out + "pick " +
                   h.repo().git({"rev-parse", "HEAD"}).out);
    r = h.git_env({"rebase", "-q", "-i", "HEAD~3"},
                  {{"GIT_SEQUENCE_EDITOR", "cp '" + h.repo().path() + "/.git/todo'"}});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    expect_head(h, 1 + 8);
}

TEST_CASE("rewrites: cherry-pick with and without -x carries from the picked commit") {
    for (bool x : {false, true}) {
        CAPTURE(x);
        Harness h(4);
        h.install_hooks();
        h.repo().write("a.txt", lines(h, kHuman, 2));
        h.commit_with_truth("base");
        h.repo().git({"checkout", "-q", "-b", "side"});
        h.repo().write("b.txt", lines(h, kClaude, 3));
        std::string picked = h.commit_with_truth("side work");
        h.repo().git({"checkout", "-q", "main"});
        h.repo().write("c.txt", lines(h, kHuman, 1));
        h.commit_with_truth("main work");
        std::vector<std::string> args{"cherry-pick"};
        if (x) args.push_back("-x");
        args.push_back(picked);
        h.repo().git(args);
        expect_head(h, 2 + 1 + 3);
        auto n = note_of(h, "HEAD");
        REQUIRE(n);
        REQUIRE(n->rewrite);
        CHECK(n->rewrite->kind == "cherry-pick");
        CHECK(n->rewrite->from == std::vector<std::string>{picked});
    }
}

TEST_CASE("rewrites: merge --squash, committed with -m and with the default message") {
    for (bool with_m : {true, false}) {
        CAPTURE(with_m);
        Harness h(5);
        h.install_hooks();
        h.repo().write("a.txt", lines(h, kHuman, 2));
        h.commit_with_truth("base");
        h.repo().git({"checkout", "-q", "-b", "side"});
        h.repo().write("b.txt", lines(h, kClaude, 2));
        h.commit_with_truth("side 1");
        h.repo().write("b.txt", h.repo().read("b.txt") + lines(h, kCursor, 2));
        h.commit_with_truth("side 2");
        h.repo().git({"checkout", "-q", "main"});
        h.repo().write("a.txt", h.repo().read("a.txt") + lines(h, kPaste, 1));
        h.commit_with_truth("main moves on");
        h.repo().git({"merge", "-q", "--squash", "side"});
        if (with_m)
            h.repo().git({"commit", "-q", "-m", "squashed side"});
        else
            h.repo().git({"commit", "-q", "--no-edit"});
        expect_head(h, 3 + 4);
        auto n = note_of(h, "HEAD");
        REQUIRE(n);
        REQUIRE(n->rewrite);
        CHECK(n->rewrite->kind == "squash-merge");
        CHECK(n->rewrite->from.size() == 2);
    }
}

TEST_CASE("rewrites: reset --soft and --mixed, then commit again (in one or two commits)") {
    Harness h(6);
    h.install_hooks();
    h.repo().write("a.txt", lines(h, kHuman, 2));
    h.commit_with_truth("base");
    h.repo().write("a.txt", h.repo().read("a.txt") + lines(h, kClaude, 2));
    h.commit_with_truth("ai 1");
    h.repo().write("b.txt", lines(h, kCursor, 2));
    h.commit_with_truth("ai 2");
    h.repo().git({"reset", "-q", "--soft", "HEAD~2"});
    h.repo().git({"commit", "-q", "-m", "both again"});
    expect_head(h, 6);
    auto n = note_of(h, "HEAD");
    REQUIRE(n);
    REQUIRE(n->rewrite);
    CHECK(n->rewrite->kind == "reset");

    // --mixed, and the work committed in two pieces: both find the orphaned commit.
    h.repo().git({"reset", "-q", "HEAD~1"});
    h.repo().git({"add", "b.txt"});
    h.repo().git({"commit", "-q", "-m", "piece 1"});
    h.repo().git({"add", "a.txt"});
    h.repo().git({"commit", "-q", "-m", "piece 2"});
    expect_head(h, 6);
}

TEST_CASE("rewrites: a merge commit's note keeps only lines new to all parents") {
    Harness h(7);
    h.install_hooks();
    h.repo().write("a.txt", lines(h, kHuman, 3));
    h.commit_with_truth("base");
    h.repo().git({"checkout", "-q", "-b", "side"});
    h.repo().write("b.txt", lines(h, kClaude, 2));
    h.commit_with_truth("side");
    h.repo().git({"checkout", "-q", "main"});
    h.repo().write("a.txt", h.repo().read("a.txt") + lines(h, kCursor, 1));
    h.commit_with_truth("main");
    h.repo().git({"merge", "-q", "--no-ff", "--no-commit", "side"});
    // A resolution line written during the merge.
    std::string resolution = h.new_line(kPaste);
    h.repo().write("b.txt", h.repo().read("b.txt") + resolution + "\n");
    h.repo().git({"add", "-A"});
    h.repo().git({"commit", "-q", "-m", "merge side"});
    // What a first-parent attach writes: every line of b.txt "added" (paste, as the model says).
    h.write_true_note(h.repo().head());
    auto before = note_of(h, "HEAD");
    REQUIRE(before);
    CHECK(before->files.at("b.txt").lines(LineClass::Ai).size() == 2);
    auto r = h.repo().provenant({"rewritten", "--post-commit"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    auto after = note_of(h, "HEAD");
    REQUIRE(after);
    const NoteFile& f = after->files.at("b.txt");
    CHECK(f.lines(LineClass::Ai).empty()); // they came from `side`: its note keeps them
    CHECK(f.lines(LineClass::Paste) == std::vector<uint32_t>{3});
}

TEST_CASE("rewrites: a note copied onto the wrong commit carries nothing") {
    Harness h(8);
    h.install_hooks();
    h.repo().write("a.txt", lines(h, kClaude, 2));
    std::string first = h.commit_with_truth("one");
    h.repo().write("a.txt", lines(h, kHuman, 2));
    h.repo().git({"commit", "-q", "-a", "-m", "two"});
    // Put one's note on two (a different blob of a.txt), then amend two.
    auto raw = h.repo().git({"notes", "--ref=provenant", "show", first}).out;
    h.repo().git({"notes", "--ref=provenant", "add", "-f", "-m", raw, "HEAD"});
    h.repo().git({"commit", "-q", "--amend", "-m", "two, amended"});
    auto r = h.check_head();
    for (auto& w : r.wrong)
        FAIL_CHECK(w);
    CHECK(r.known == 0);
}

TEST_CASE("rewrites: post-rewrite input is validated") {
    Harness h(9);
    auto r = h.repo().provenant({"rewritten", "amend"}, "not-an-id other\n");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("post-rewrite input line 1") != std::string::npos);
    r = h.repo().provenant({"rewritten", "frobnicate"}, "");
    CHECK(r.exit_code == 2);
}

} // namespace provenant::test

namespace provenant::test {

TEST_CASE("harness: a note that lies is reported (the check can fail)") {
    Harness h(10);
    h.repo().write("a.txt", lines(h, kHuman, 2));
    std::string c = h.commit_with_truth("one");
    // Rewrite the note to claim the human lines came from an agent.
    auto n = note_of(h, "HEAD");
    REQUIRE(n);
    NoteFile& f = n->files.at("a.txt");
    f.ai = f.human;
    f.human.clear();
    n->origins["x"].record = OriginRecord{OriginClass::Ai, "claude-code", "agent", "", "", ""};
    f.by_origin["x"] = f.ai;
    h.repo().git({"notes", "--ref=provenant", "add", "-f", "-m", serialize_note(*n), c});
    auto r = h.check_head();
    CHECK(r.wrong.size() == 2);
}

} // namespace provenant::test
