// Git commands: install, uninstall, attach, show, blame (rewrites, sync and ci register from
// git_rewrite_commands.cpp).
#include "cli/git_commands.h"

#include "cli/commands.h"
#include "git/attach.h"
#include "git/hooks.h"
#include "git/note_store.h"
#include "git/pending_attach.h"
#include "git/show.h"
#include "journal/journal.h"
#include "support/fs.h"
#include "support/json_text.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <malloc.h>
#include <memory>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

namespace provenant::cli {

namespace fs = std::filesystem;

namespace {

/// Opens the repository; `finish_pending` first writes the notes the post-commit hook queued,
/// so what the command reads or changes includes every commit git has made.
git::Repo open_repo(const std::string& command, const std::string& dir,
                    bool finish_pending = true) {
    auto repo = git::Repo::open(dir.empty() ? fs::current_path() : fs::path(dir));
    if (!repo) fail(command, repo.error());
    if (finish_pending) git::finish_pending_attaches(*repo);
    return std::move(*repo);
}

fs::path self_binary() {
    fs::path p = self_path();
    if (p.empty())
        fail("install", ErrorKind::not_found,
             "cannot find the provenant executable (/proc/self/exe)");
    return p;
}

void print_lines(const git::InstallReport& rep) {
    for (const auto& l : rep.lines)
        std::printf("%s\n", l.c_str());
}

void register_install(CLI::App& app) {
    auto dir = std::make_shared<std::string>();
    auto remote = std::make_shared<std::string>();
    auto cmd = app.add_subcommand("install", "Install provenant's git hooks in this repository");
    cmd->add_option("-C", *dir, "Run as if started in this directory");
    cmd->add_option("--sync-refspecs", *remote,
                    "Also make plain git fetch/push carry the notes for this remote")
        ->expected(0, 1)
        ->default_str("origin");
    cmd->callback([dir, remote, cmd] {
        git::Repo repo = open_repo("install", *dir, false);
        std::string sync_remote;
        if (cmd->count("--sync-refspecs") > 0) sync_remote = remote->empty() ? "origin" : *remote;
        auto rep = git::install(repo, self_binary(), sync_remote);
        if (!rep) fail("install", rep.error());
        std::printf("hooks in %s\n", rep->hooks_dir.c_str());
        print_lines(*rep);
        if (!rep->changed) std::printf("already installed: nothing changed\n");
    });

    auto udir = std::make_shared<std::string>();
    auto ucmd =
        app.add_subcommand("uninstall", "Remove provenant's hooks, restoring previous ones");
    ucmd->add_option("-C", *udir, "Run as if started in this directory");
    ucmd->callback([udir] {
        git::Repo repo = open_repo("uninstall", *udir);
        auto rep = git::uninstall(repo);
        if (!rep) fail("uninstall", rep.error());
        print_lines(*rep);
    });
}

void register_attach(CLI::App& app) {
    struct Opts {
        std::string dir, rev = "HEAD";
        bool hook = false, force = false, pending = false;
    };
    auto o = std::make_shared<Opts>();
    auto cmd = app.add_subcommand("attach", "Write the note of a commit from pending provenance "
                                            "(what the post-commit hook runs)");
    cmd->add_option("commit", o->rev, "The commit (default HEAD)");
    cmd->add_option("-C", o->dir, "Run as if started in this directory");
    cmd->add_flag("--force", o->force, "Replace the commit's note if it has one");
    cmd->add_flag("--hook", o->hook, "Run as a git hook: report problems, never fail");
    auto* pending = cmd->add_flag("--pending", o->pending,
                                  "Write the notes of every commit the post-commit hook queued "
                                  "(what its background process runs)");
    pending->excludes("commit")->excludes("--force");
    cmd->callback([o] {
        if (o->hook) {
            // A hook must never fail the user's git command: report and exit 0.
            try {
                auto repo = git::Repo::open(o->dir.empty() ? fs::current_path() : fs::path(o->dir));
                if (!repo) throw std::runtime_error(repo.error().message);
                // Later commits queue instead of waiting for this foreground attach.
                if (auto st = git::ensure_pending_dir(repo->gitdir()); !st)
                    spdlog::warn("attach: {}", st.error().message);
                std::vector<std::string> problems;
                if (o->pending) {
                    // The background writer after a commit: yield to what the user does next.
                    (void)::setpriority(PRIO_PROCESS, 0, 10);
                    auto r = git::drain_pending_attaches(*repo);
                    if (!r) throw std::runtime_error(r.error().message);
                    problems = r->problems;
                } else {
                    auto r = git::attach(*repo, {o->rev, o->force});
                    if (!r) problems.push_back(r.error().message);
                }
                for (const auto& p : problems) {
                    spdlog::error("attach: {}", p);
                    std::fprintf(stderr, "provenant: no provenance note written: %s\n", p.c_str());
                }
            } catch (const std::exception& e) {
                spdlog::error("attach: {}", e.what());
                std::fprintf(stderr, "provenant: no provenance note written: %s\n", e.what());
            }
            return;
        }
        if (o->pending) {
            git::Repo repo = open_repo("attach", o->dir, false);
            auto r = git::drain_pending_attaches(repo);
            if (!r) fail("attach", r.error());
            std::printf("%zu notes written, %zu commits already had one\n", r->written, r->skipped);
            for (const auto& p : r->problems)
                std::fprintf(stderr, "provenant attach: %s\n", p.c_str());
            if (!r->problems.empty()) fail_quietly();
            return;
        }
        git::Repo repo = open_repo("attach", o->dir);
        auto r = git::attach(repo, {o->rev, o->force});
        if (!r) fail("attach", r.error());
        if (!r->written) {
            std::printf("%s: %s\n", r->commit.substr(0, 12).c_str(), r->skipped.c_str());
            return;
        }
        const LineCounts t = r->note.line_totals();
        std::printf(
            "%s: note written (%llu lines: ai %llu, ai_modified %llu, human %llu, "
            "paste %llu, unknown %llu)\n",
            r->commit.substr(0, 12).c_str(), static_cast<unsigned long long>(t.total()),
            static_cast<unsigned long long>(t.ai), static_cast<unsigned long long>(t.ai_modified),
            static_cast<unsigned long long>(t.human), static_cast<unsigned long long>(t.paste),
            static_cast<unsigned long long>(t.unknown));
    });
}

void register_show(CLI::App& app) {
    struct Opts {
        std::string dir, rev = "HEAD";
        bool json = false;
    };
    auto o = std::make_shared<Opts>();
    auto cmd = app.add_subcommand("show", "Print a commit's provenance note");
    cmd->add_option("commit", o->rev, "The commit (default HEAD)");
    cmd->add_option("-C", o->dir, "Run as if started in this directory");
    cmd->add_flag("--json", o->json, "Print the note's JSON (validated)");
    cmd->callback([o] {
        git::Repo repo = open_repo("show", o->dir);
        auto id = repo.resolve(o->rev);
        if (!id) fail("show", id.error());
        git::NoteStore notes(repo);
        auto raw = notes.read_raw(*id);
        if (!raw) fail("show", raw.error());
        if (!*raw)
            fail("show", ErrorKind::not_found,
                 "commit " + git::to_hex(*id) + " has no provenant note");
        auto note = parse_note(**raw);
        if (!note) fail("show", note.error().context("note of " + git::to_hex(*id)));
        if (o->json) {
            // The stored JSON as is (unknown fields kept), once it has been validated.
            std::cout << json_text_lossy(nlohmann::json::parse(**raw), 2) << "\n";
        } else {
            std::cout << git::render_note(*note);
        }
    });
}

/// For a short-lived command that frees and allocates large buffers over and over (blame:
/// every version of the file, and xdiff's tables for every diff): glibc gives the top of the
/// heap back to the system whenever 128 KiB of it is free, and hands out blocks over 128 KiB
/// as fresh mappings, so each version and each diff faulted in fresh zeroed pages again. Kept,
/// blame of tmux's format.c takes 7,000 page faults instead of 28,000 (git blame: 14,000) and
/// 7% less CPU, at the same peak RSS (docs/benchmarks.md). The memory goes back at exit.
void keep_freed_memory() {
#if defined(__GLIBC__)
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}

void register_blame(CLI::App& app) {
    struct Opts {
        std::string dir, file, rev = "HEAD";
        bool json = false;
    };
    auto o = std::make_shared<Opts>();
    auto cmd =
        app.add_subcommand("blame", "Every line of a file with its commit, class and origin");
    cmd->add_option("file", o->file, "The file (relative to the current directory)")->required();
    cmd->add_option("--rev", o->rev, "The revision (default HEAD)");
    cmd->add_option("-C", o->dir, "Run as if started in this directory");
    cmd->add_flag("--json", o->json, "Print JSON");
    cmd->callback([o] {
        git::Repo repo = open_repo("blame", o->dir);
        const fs::path base = o->dir.empty() ? fs::current_path() : fs::absolute(o->dir);
        const fs::path abs = fs::weakly_canonical(base / o->file);
        const fs::path root = fs::weakly_canonical(repo.workdir());
        const fs::path rel = abs.lexically_relative(root);
        if (rel.empty() || *rel.begin() == "..")
            fail("blame", ErrorKind::invalid_input,
                 o->file + " is outside the repository " + root.string());
        keep_freed_memory();
        auto lines = git::blame_file(repo, rel.generic_string(), o->rev);
        if (!lines) fail("blame", lines.error());
        if (o->json)
            std::cout << git::blame_json_text(*lines) << "\n";
        else
            std::cout << git::render_blame(*lines);
    });
}

} // namespace

void finish_pending_attaches_at(const fs::path& dir) {
    if (auto loc = find_repository(dir)) finish_pending_attaches_in(loc->gitdir);
}

void finish_pending_attaches_in(const fs::path& gitdir) {
    if (!git::has_pending_attaches(gitdir)) return;
    auto repo = git::Repo::open(gitdir, true);
    if (!repo) {
        spdlog::warn("pending notes not written: {}", repo.error().message);
        return;
    }
    git::finish_pending_attaches(*repo);
}

void register_git(CLI::App& app) {
    register_install(app);
    register_attach(app);
    register_show(app);
    register_blame(app);
    register_git_rewrites(app);
}

} // namespace provenant::cli
