// Scenarios ported from the integration suite of git-ai (the other open-source provenance tool):
// the git operations and edit patterns it checks, written anew against provenant's rules —
// a whitespace-only change keeps the line's class, a line with no new characters keeps its
// class, and no evidence is `unknown`. Evidence enters the journal as a hook or the sidecar
// writes it; git is the real CLI with `provenant install`'s hooks.
#include "scenario_support.h"

#include <doctest/doctest.h>
#include <filesystem>

using namespace provenant;
using namespace provenant::test;

namespace {

const std::string kHumanBase = "def total(items):\n    return sum(items)\n";

} // namespace

// amend.rs: amend_add_lines_at_top / in_middle / at_bottom.
TEST_CASE("ported amend: lines added at the top, middle and bottom by amend") {
    ScenarioRepo r;
    r.record("m.py", "", "alpha = 1\nbeta = 2\n", claude());
    r.commit_all("agent");
    // A person adds a line at the top, one in the middle and one at the bottom, then amends.
    r.edit("m.py", "# header\nalpha = 1\nbeta = 2\n", person());
    r.edit("m.py", "# header\nalpha = 1\nbetween = 0\nbeta = 2\n", person());
    r.edit("m.py", "# header\nalpha = 1\nbetween = 0\nbeta = 2\nfooter()\n", person());
    r.git({"commit", "-q", "-a", "--amend", "--no-edit"});
    auto l = note_lines(r, "HEAD", "m.py", 5);
    CHECK(l[1].first == LineClass::Human);
    CHECK(l[2] == kClaudeLine);
    CHECK(l[3].first == LineClass::Human);
    CHECK(l[4] == kClaudeLine);
    CHECK(l[5].first == LineClass::Human);
}

// amend.rs: amend_with_unstaged_ai_code_in_other_file / preserves_unstaged_ai_attribution.
TEST_CASE("ported amend: unstaged AI work in another file stays pending and is attributed "
          "later") {
    ScenarioRepo r;
    r.record("a.py", "", "a = agent_a()\n", claude());
    r.commit_all("a");
    r.record("b.py", "", "b = agent_b()\n", codex());
    r.record("a.py", "a = agent_a()\n", "a2 = more()\n", claude());
    r.git({"add", "a.py"});
    r.git({"commit", "-q", "--amend", "--no-edit"}); // b.py is not staged
    CHECK(note_line(r, "HEAD", "a.py", 2) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "b.py", 1) == kNotAdded);
    r.commit_all("b");
    CHECK(note_line(r, "HEAD", "b.py", 1) == kCodexLine);
}

// amend.rs: amend_with_partially_staged_ai_file; commit_hunks.rs.
TEST_CASE("ported partial staging: only the staged hunk is committed; the rest keeps its "
          "attribution until its own commit") {
    ScenarioRepo r;
    r.unwatched("p.py", "first()\nmiddle()\nlast()\n");
    r.commit_all("base");
    // The agent adds a line after the first and after the last; only the first is staged.
    std::string staged = "first()\nagent_top()\nmiddle()\nlast()\n";
    std::string full = staged + "agent_bottom()\n";
    r.edit("p.py", staged, claude());
    r.edit("p.py", full, claude());
    CHECK(r.read("p.py") == full);
    r.write("p.py", staged);
    r.git({"add", "p.py"});
    r.write("p.py", full);
    r.git({"commit", "-q", "-m", "top only"});
    CHECK(note_line(r, "HEAD", "p.py", 2) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "p.py", 5) == kNotAdded);
    r.commit_all("bottom");
    CHECK(note_line(r, "HEAD", "p.py", 5) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "p.py", 2) == kNotAdded);
}

// formatting_non_substantial_ai_attribution.rs / ai_reflow_attribution.rs: a person re-indents
// the agent's lines (no new characters) and commits.
TEST_CASE("ported formatting: a person's re-indent of AI lines keeps them ai") {
    ScenarioRepo r;
    r.unwatched("w.py", "if ready:\n");
    r.commit_all("base");
    r.record("w.py", "if ready:\n", "  go()\n  stop()\n", claude());
    // Re-indented in the same pending work (watched: no new characters were typed).
    r.edit("w.py", "if ready:\n    go()\n  stop()\n", person());
    r.edit("w.py", "if ready:\n    go()\n    stop()\n", person());
    r.commit_all("indent");
    CHECK(note_line(r, "HEAD", "w.py", 2) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "w.py", 3) == kClaudeLine);
}

// formatting_non_substantial_ai_attribution.rs: human_reflow_on_ai_code_retains_ai, across a
// commit: the AI lines were committed, then only their whitespace changes.
TEST_CASE("ported formatting: re-indenting committed AI lines in a later commit keeps them ai") {
    for (bool journal_kept : {true, false}) {
        CAPTURE(journal_kept);
        ScenarioRepo r;
        r.unwatched("w.py", "if ready:\n");
        r.commit_all("base");
        r.record("w.py", "if ready:\n", "  go()\n  stop()\n", claude());
        r.commit_all("agent");
        // Without the journal (another clone, or the entry long gone) only the notes know.
        if (!journal_kept) std::filesystem::remove_all(r.path() + "/.git/provenant/journal");
        r.unwatched("w.py", "if ready:\n    go()\n    stop()\n"); // a formatter, unwatched
        r.commit_all("indent");
        CHECK(note_line(r, "HEAD", "w.py", 2) == kClaudeLine);
        CHECK(note_line(r, "HEAD", "w.py", 3) == kClaudeLine);
    }
}

// formatting_non_substantial_ai_attribution.rs: an agent's indentation-only change of a
// person's lines. provenant's rule: a whitespace-only change never changes a line's class.
TEST_CASE("ported formatting: an agent re-indenting a person's committed lines leaves them "
          "human") {
    ScenarioRepo r;
    r.unwatched("h.py", "def f():\n");
    r.commit_all("base");
    r.record("h.py", "def f():\n", "  return careful()\n", person());
    r.commit_all("by hand");
    CHECK(note_line(r, "HEAD", "h.py", 2).first == LineClass::Human);
    std::filesystem::remove_all(r.path() + "/.git/provenant/journal");
    r.edit("h.py", "def f():\n    return careful()\n", codex());
    r.commit_all("agent formats");
    CHECK(note_line(r, "HEAD", "h.py", 2).first == LineClass::Human);
}

// formatting: a line that changed for real is not kept, even if it resembles the old one.
TEST_CASE("ported formatting: a changed line is not kept from the parent; no evidence is "
          "unknown") {
    ScenarioRepo r;
    r.unwatched("k.py", "x = 1\n");
    r.commit_all("base");
    r.record("k.py", "x = 1\n", "y = compute(x)\n", claude());
    r.commit_all("agent");
    std::filesystem::remove_all(r.path() + "/.git/provenant/journal");
    r.unwatched("k.py", "x = 1\ny = compute(x, 2)\n");
    r.commit_all("changed");
    CHECK(note_line(r, "HEAD", "k.py", 2) == kUnknownLine);
}

// realistic_complex_edits.rs / attribution_tracker: a person edits inside an AI line.
TEST_CASE("ported edits: a person's edit inside an AI line makes it ai_modified; untouched AI "
          "lines stay ai") {
    ScenarioRepo r;
    r.record("e.py", "", "rate = 0.2\nlimit = 10\n", claude());
    // The person types "5" after "0.2" (watched) before committing.
    r.edit("e.py", "rate = 0.25\nlimit = 10\n", person());
    r.commit_all("tuned");
    CHECK(note_line(r, "HEAD", "e.py", 1).first == LineClass::AiModified);
    CHECK(note_line(r, "HEAD", "e.py", 2) == kClaudeLine);
}

// issue_1204_multi_agent.rs: multi_agent_separate_files / two agents in one file.
TEST_CASE("ported multi-agent: two agents' lines in one file and in separate files keep their "
          "own tools") {
    ScenarioRepo r;
    r.record("shared.py", "", "from_claude = 1\n", claude());
    r.record("shared.py", "from_claude = 1\n", "from_codex = 2\n", codex());
    r.record("c.py", "", "only_claude()\n", claude());
    r.record("x.py", "", "only_codex()\n", codex());
    r.commit_all("two agents");
    CHECK(note_line(r, "HEAD", "shared.py", 1) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "shared.py", 2) == kCodexLine);
    CHECK(note_line(r, "HEAD", "c.py", 1) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "x.py", 1) == kCodexLine);
}

// rebase.rs: rebase_with_different_trees / rebase_multiple_commits / rebase_mixed_authorship.
TEST_CASE("ported rebase: a feature branch's AI and human commits rebased onto moved main") {
    ScenarioRepo r;
    r.unwatched("base.txt", "base\n");
    r.commit_all("base");
    r.git({"checkout", "-q", "-b", "feature"});
    r.record("feat.py", "", "ai_one()\n", claude());
    r.commit_all("f1");
    r.record("feat.py", "ai_one()\n", "by_hand()\n", person());
    r.commit_all("f2");
    r.git({"checkout", "-q", "main"});
    r.unwatched("base.txt", "base\nmain moved\n");
    r.commit_all("main");
    r.git({"checkout", "-q", "feature"});
    r.git({"rebase", "-q", "main"});
    CHECK(note_line(r, "HEAD~1", "feat.py", 1) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "feat.py", 2).first == LineClass::Human);
}

// rebase.rs: rebase_with_conflicts; rewrite_ops_attribution.rs: named_branch_conflict_rebase.
TEST_CASE("ported rebase: a conflict resolved keeping the feature's AI lines, then --continue") {
    ScenarioRepo r;
    r.unwatched("c.py", "x = 1\n");
    r.commit_all("base");
    r.git({"checkout", "-q", "-b", "feature"});
    r.record("c.py", "x = 1\n", "y = agent_value()\n", claude());
    r.commit_all("feature");
    r.git({"checkout", "-q", "main"});
    r.unwatched("c.py", "x = 1\ny = 0\n");
    r.commit_all("main");
    r.git({"checkout", "-q", "feature"});
    REQUIRE(r.git({"rebase", "main"}, true).exit_code != 0);
    r.write("c.py", "x = 1\ny = 0\ny = agent_value()\n");
    r.git({"add", "c.py"});
    r.git({"-c", "core.editor=true", "rebase", "--continue"});
    CHECK(note_line(r, "HEAD", "c.py", 3) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "c.py", 2) == kNotAdded);
}

// reset.rs: reset_mixed_reconstructs_working_log / soft_reset_recommit_preserves_secondary_file.
TEST_CASE("ported reset: reset --mixed of two commits, recommitted as one, keeps both files' "
          "attribution") {
    ScenarioRepo r;
    r.unwatched("base.txt", "base\n");
    r.commit_all("base");
    r.record("one.py", "", "one = claude()\n", claude());
    r.commit_all("one");
    r.record("two.py", "", "two = codex()\n", codex());
    r.commit_all("two");
    r.git({"reset", "-q", "--mixed", "HEAD~2"});
    r.commit_all("both");
    CHECK(note_line(r, "HEAD", "one.py", 1) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "two.py", 1) == kCodexLine);
}

// reset.rs: reset_hard_deletes_working_log: work thrown away is not evidence for later text.
TEST_CASE("ported reset: after reset --hard, a person's different line is not the agent's") {
    ScenarioRepo r;
    r.unwatched("h.py", "keep()\n");
    r.commit_all("base");
    r.record("h.py", "keep()\n", "discarded_by_reset()\n", claude());
    r.git({"reset", "-q", "--hard"});
    r.unwatched("h.py", "keep()\nwritten_later()\n");
    r.commit_all("later");
    CHECK(note_line(r, "HEAD", "h.py", 2).first != LineClass::Ai);
}

// checkout_switch.rs: checkout_branch_migrates_working_log / switch_branch_migrates.
TEST_CASE("ported checkout: pending AI work carried to a new branch is attributed there") {
    ScenarioRepo r;
    r.unwatched("base.txt", "base\n");
    r.commit_all("base");
    r.record("w.py", "", "work_in_progress()\n", claude());
    r.git({"switch", "-q", "-c", "topic"});
    r.commit_all("on topic");
    CHECK(note_line(r, "HEAD", "w.py", 1) == kClaudeLine);
}

// stash_attribution.rs: stash_mixed_human_and_ai / stash_multiple_files / stash -u.
TEST_CASE("ported stash: stash -u of a new AI file and a human edit, popped on another commit") {
    ScenarioRepo r;
    r.unwatched("t.py", "top\n");
    r.commit_all("base");
    r.record("new_ai.py", "", "generated = True\n", claude());
    r.record("t.py", "top\n", "typed_line()\n", person());
    r.git({"stash", "-q", "-u"});
    r.unwatched("other.txt", "meanwhile\n");
    r.commit_all("meanwhile");
    r.git({"stash", "pop", "-q"});
    r.commit_all("popped");
    CHECK(note_line(r, "HEAD", "new_ai.py", 1) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "t.py", 2).first == LineClass::Human);
}

// squash_merge.rs / rewrite_ops_attribution.rs: squash merge, conflict resolved keeping both.
TEST_CASE("ported squash merge: a conflict resolved keeping both sides keeps the AI lines") {
    ScenarioRepo r;
    r.unwatched("s.py", "start\n");
    r.commit_all("base");
    r.git({"checkout", "-q", "-b", "feature"});
    r.record("s.py", "start\n", "feature_ai()\n", claude());
    r.commit_all("feature 1");
    r.record("s.py", "start\nfeature_ai()\n", "feature_ai_2()\n", claude());
    r.commit_all("feature 2");
    r.git({"checkout", "-q", "main"});
    r.unwatched("s.py", "start\nmain_line\n");
    r.commit_all("main");
    REQUIRE(r.git({"merge", "--squash", "feature"}, true).exit_code != 0);
    r.write("s.py", "start\nmain_line\nfeature_ai()\nfeature_ai_2()\n");
    r.git({"add", "s.py"});
    r.git({"commit", "-q", "--no-edit"});
    CHECK(note_line(r, "HEAD", "s.py", 3) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "s.py", 4) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "s.py", 2) == kNotAdded);
}

// merge_rebase.rs: blame_after_merge_conflict_resolution: a merge commit's note has only the
// resolution; each side's lines stay where they were committed.
TEST_CASE("ported merge: a conflicted merge's note holds the resolution only") {
    ScenarioRepo r;
    r.unwatched("m.py", "head\n");
    r.commit_all("base");
    r.git({"checkout", "-q", "-b", "feature"});
    r.record("m.py", "head\n", "feature_ai()\n", claude());
    r.commit_all("feature");
    r.git({"checkout", "-q", "main"});
    r.unwatched("m.py", "head\nmain_side()\n");
    r.commit_all("main");
    REQUIRE(r.git({"merge", "feature"}, true).exit_code != 0);
    r.record("m.py", "head\nmain_side()\nfeature_ai()\n", "resolved_by_hand()\n", person());
    r.git({"add", "m.py"});
    r.git({"commit", "-q", "--no-edit"});
    CHECK(note_line(r, "HEAD", "m.py", 2) == kNotAdded);
    CHECK(note_line(r, "HEAD", "m.py", 3) == kNotAdded);
    CHECK(note_line(r, "HEAD", "m.py", 4).first == LineClass::Human);
}

// chinese_text_edits.rs: multi-byte text.
TEST_CASE("ported encodings: CJK lines from an agent and a person, committed and counted in "
          "code points") {
    ScenarioRepo r;
    r.record("zh.md", "", "# 标题\n智能体写的行\n", claude());
    r.record("zh.md", "# 标题\n智能体写的行\n", "人写的行\n", person());
    r.commit_all("zh");
    CHECK(note_line(r, "HEAD", "zh.md", 1) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "zh.md", 2) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "zh.md", 3).first == LineClass::Human);
}

// e2e_user_scenarios.rs / ai_tab.rs: an AI line deleted before the commit is not in the note,
// and the line the person typed there is theirs.
TEST_CASE("ported deletion: an AI line deleted before the commit leaves nothing behind") {
    ScenarioRepo r;
    r.record("d.py", "", "keep_me()\ndrop_me()\n", claude());
    // The person deletes the second line and types another (watched).
    r.edit("d.py", "keep_me()\n", person());
    r.edit("d.py", "keep_me()\nmine()\n", person());
    r.commit_all("d");
    CHECK(note_line(r, "HEAD", "d.py", 1) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "d.py", 2).first == LineClass::Human);
    CHECK(note_line(r, "HEAD", "d.py", 3) == kNotAdded);
}

// simple_additions.rs: no evidence at all is unknown, never a guess.
TEST_CASE("ported additions: lines written with no watcher are unknown") {
    ScenarioRepo r;
    r.unwatched("u.py", "print('hello')\nprint('world')\n");
    r.commit_all("u");
    CHECK(note_line(r, "HEAD", "u.py", 1) == kUnknownLine);
    CHECK(note_line(r, "HEAD", "u.py", 2) == kUnknownLine);
}
