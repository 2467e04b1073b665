// `provenant rewritten` (post-rewrite / prepare-commit-msg), `provenant sync` and
// `provenant ci squash-merge`: notes that follow commits through rewrites and remotes.
#include "cli/commands.h"
#include "cli/git_commands.h"
#include "git/ci.h"
#include "git/gitai_writer.h"
#include "git/note_store.h"
#include "git/pending_attach.h"
#include "git/repository.h"
#include "git/rewrite.h"
#include "git/sync.h"
#include "support/json_text.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace provenant::cli {
namespace {

void print(const std::string& s) {
    std::fwrite(s.data(), 1, s.size(), stdout);
}

/// `rewritten --post-commit`: what attach does after writing a note (refine_attached_note),
/// runnable alone: after a plain post-commit hook, or to repair a commit's note. git-ai's note
/// (provenant.gitAiNotes) is brought in line with the result, whether or not it changed.
void run_post_commit(const git::Repo& repo, const std::string& rev) {
    auto commit = repo.resolve(rev.empty() ? "HEAD" : rev);
    if (!commit) fail("rewritten", commit.error());
    git::NoteStore notes(repo);
    auto existing = notes.read(*commit);
    if (!existing) fail("rewritten", existing.error());
    std::optional<Note> result;
    if (*existing) {
        Note refined = git::refine_attached_note(repo, *commit, **existing);
        if (!(refined == **existing)) result = std::move(refined);
    } else {
        auto sources = git::find_rewrite_sources(repo, *commit);
        if (!sources) fail("rewritten", sources.error());
        if (*sources) {
            auto carried = git::carry_note(repo, notes, *commit, **sources, std::nullopt);
            if (!carried) fail("rewritten", carried.error());
            result = std::move(*carried);
        }
    }
    if (result) {
        auto st = notes.write(*commit, *result);
        if (!st) fail("rewritten", st.error());
    }
    const Note* final_note = result ? &*result : *existing ? &**existing : nullptr;
    if (!final_note) return;
    if (auto st = git::write_gitai_note_if_enabled(repo, *commit, *final_note); !st)
        std::fprintf(stderr, "provenant rewritten: git-ai's note: %s\n",
                     st.error().message.c_str());
}

void run_rewritten(const std::string& kind, bool prepare, bool post_commit,
                   const std::string& rev) {
    auto repo = git::Repo::open(std::filesystem::current_path());
    if (!repo) fail("rewritten", repo.error());
    // post-rewrite after an amend runs while the amended commit's note may still be queued:
    // the carry needs it (and every earlier queued note) written first.
    git::finish_pending_attaches(*repo);
    if (post_commit) {
        run_post_commit(*repo, rev);
        return;
    }
    if (prepare) {
        // A hook must never fail git's command: report and succeed.
        auto st = git::record_squash_sources(*repo);
        if (!st) std::fprintf(stderr, "provenant rewritten: %s\n", st.error().message.c_str());
        return;
    }
    if (kind != "amend" && kind != "rebase")
        fail("rewritten", ErrorKind::usage,
             "expected 'amend' or 'rebase' (git's post-rewrite argument), got '" + kind + "'");
    auto pairs = git::parse_rewrite_pairs(std::cin);
    if (!pairs) fail("rewritten", pairs.error());
    auto report = git::apply_rewrites(*repo, kind, *pairs);
    if (!report) fail("rewritten", report.error());
    for (const auto& p : report->problems)
        std::fprintf(stderr, "provenant rewritten: %s\n", p.c_str());
    spdlog::info("rewritten {}: {} new commits, {} notes written, {} lines carried, {} unknown",
                 kind, report->new_commits, report->notes_written, report->lines.carried,
                 report->lines.unknown);
    if (!report->problems.empty()) fail_quietly();
}

void run_sync(const git::SyncOptions& options, bool json) {
    finish_pending_attaches_at(std::filesystem::current_path()); // push every note promised
    auto report = git::sync_notes(std::filesystem::current_path(), options);
    if (!report) fail("sync", report.error());
    const auto& m = report->merge;
    const char* kind = m.kind == git::NotesMergeResult::Kind::UpToDate      ? "up-to-date"
                       : m.kind == git::NotesMergeResult::Kind::FastForward ? "fast-forward"
                                                                            : "merged";
    if (json) {
        nlohmann::json j{{"remote", options.remote},
                         {"attempts", report->attempts},
                         {"merge", kind},
                         {"added", m.added},
                         {"combined", m.combined},
                         {"removed", m.removed},
                         {"pushed", report->pushed},
                         {"remote_had_notes", report->remote_had_notes}};
        print(json_text_lossy(j) + "\n");
        return;
    }
    std::string out = "notes " + std::string(kind);
    if (m.kind == git::NotesMergeResult::Kind::Merged)
        out += " (" + std::to_string(m.added) + " added, " + std::to_string(m.combined) +
               " combined, " + std::to_string(m.removed) + " removed)";
    out += report->pushed ? ", pushed to " + options.remote : ", not pushed";
    if (report->attempts > 1) out += " after " + std::to_string(report->attempts) + " attempts";
    print(out + "\n");
}

void run_ci_squash_merge(const git::CiMergeOptions& options, bool json) {
    auto repo = git::Repo::open(std::filesystem::current_path(), true);
    if (!repo) fail("ci squash-merge", repo.error());
    auto report = git::ci_squash_merge(*repo, options);
    if (!report) fail("ci squash-merge", report.error());
    bool rejected = false;
    nlohmann::json j{{"pr_commits", report->pr_commits}, {"merged", nlohmann::json::array()}};
    std::string text;
    for (const auto& m : report->merged) {
        rejected = rejected || !m.rejected.empty();
        j["merged"].push_back({{"commit", m.commit},
                               {"match", m.match},
                               {"sources", m.sources},
                               {"carried", m.lines.carried},
                               {"kept", m.lines.kept},
                               {"unknown", m.lines.unknown},
                               {"written", m.written},
                               {"rejected", m.rejected}});
        text += m.commit.substr(0, 12) + ": " + std::to_string(m.lines.carried) +
                " lines carried from " + std::to_string(m.sources.size()) + " commit(s) (" +
                m.match + "), " + std::to_string(m.lines.unknown) + " unknown" +
                (m.written         ? ", note written"
                 : options.dry_run ? ", dry run"
                                   : ", nothing written") +
                "\n";
        for (const auto& r : m.rejected)
            text += "  refused: " + r + " does not match any source line\n";
    }
    print(json ? json_text_lossy(j) + "\n" : text);
    if (rejected)
        fail("ci squash-merge", ErrorKind::invalid_input,
             "some carried lines did not match their sources; notes not written");
}

void register_ci(CLI::App& app) {
    auto* ci = app.add_subcommand("ci", "Commands for CI jobs");
    ci->require_subcommand(1);
    auto* cmd = ci->add_subcommand(
        "squash-merge",
        "After a server-side squash or rebase merge: carry the pull request's notes onto the "
        "landed commit(s), checked line by line");
    auto options = std::make_shared<git::CiMergeOptions>();
    auto json = std::make_shared<bool>(false);
    cmd->add_option("--base", options->base, "The target branch before the merge")->required();
    cmd->add_option("--head", options->head, "The pull request's head commit")->required();
    cmd->add_option("--merged", options->merged, "The landed commit, or A..B for a rebase merge")
        ->required();
    cmd->add_flag("--dry-run", options->dry_run, "Check and report, write nothing");
    cmd->add_flag("--json", *json, "Print the report as JSON");
    cmd->callback([options, json] { run_ci_squash_merge(*options, *json); });
}

} // namespace

void register_git_rewrites(CLI::App& app) {
    {
        auto* cmd = app.add_subcommand(
            "rewritten", "Carry notes to rewritten commits (git's post-rewrite hook runs this)");
        auto kind = std::make_shared<std::string>();
        auto prepare = std::make_shared<bool>(false);
        auto post_commit = std::make_shared<bool>(false);
        auto rev = std::make_shared<std::string>();
        cmd->add_option("kind", *kind, "amend or rebase; old and new commit ids come on stdin");
        cmd->add_flag("--post-commit", *post_commit,
                      "Carry attribution into a commit made by cherry-pick, merge --squash or "
                      "after a reset (what attach does; for plain post-commit hooks)");
        cmd->add_option("--commit", *rev, "With --post-commit: the commit (default HEAD)");
        cmd->add_flag("--post-merge,--prepare-commit-msg", *prepare,
                      "Record the commits of a merge --squash while .git/SQUASH_MSG lists them "
                      "(the post-merge hook, after a squash merge)");
        cmd->callback([kind, prepare, post_commit, rev] {
            run_rewritten(*kind, *prepare, *post_commit, *rev);
        });
    }
    {
        auto* cmd = app.add_subcommand(
            "sync", "Fetch, merge and push refs/notes/provenant (never forced; retries on a race)");
        auto options = std::make_shared<git::SyncOptions>();
        auto no_push = std::make_shared<bool>(false);
        auto no_fetch = std::make_shared<bool>(false);
        auto json = std::make_shared<bool>(false);
        cmd->add_option("remote", options->remote, "The remote (default origin)");
        cmd->add_option("--attempts", options->max_attempts,
                        "Fetch-merge-push rounds before giving up")
            ->check(CLI::Range(1, 100));
        cmd->add_flag("--no-push", *no_push, "Fetch and merge only");
        cmd->add_flag("--no-fetch", *no_fetch,
                      "Merge the notes already fetched by a plain git fetch (no network)");
        cmd->add_flag("--json", *json, "Print what happened as JSON");
        cmd->callback([options, no_push, no_fetch, json] {
            options->push = !*no_push && !*no_fetch;
            options->fetch = !*no_fetch;
            run_sync(*options, *json);
        });
    }
    register_ci(app);
}

} // namespace provenant::cli
