// `provenant sync`: fetch the remote's notes into a tracking ref, merge, push without force.
#include "git/sync.h"

#include "git/gitai_writer.h"
#include "git/note_store.h"
#include "git/raii.h"
#include "git/sync_exec.h"
#include "git/sync_note_merge.h"
#include "protocol/note.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <spdlog/spdlog.h>
#include <thread>

namespace provenant::git {
namespace {

std::string fetch_refspec(const std::string& remote) {
    return "+" + std::string(kNotesRef) + ":" + tracking_notes_ref(remote);
}
// The configured forms: globs, which match nothing (rather than fail) while a side has no notes.
std::string config_fetch_refspec(const std::string& remote) {
    return "+refs/notes/provenant*:refs/provenant-remote/" + remote + "/notes/provenant*";
}
std::string config_push_refspec() {
    return "refs/notes/provenant*:refs/notes/provenant*";
}

std::string push_refspec() {
    std::string spec(kNotesRef);
    spec += ':';
    spec.append(kNotesRef);
    return spec;
}

std::optional<git_oid> resolve(git_repository* repo, const std::string& ref) {
    git_oid id;
    if (git_reference_name_to_id(&id, repo, ref.c_str()) != 0) return std::nullopt;
    return id;
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' '))
        s.pop_back();
    return s;
}

/// A push rejected because the remote ref moved (or was locked by a concurrent push): the
/// race that a new fetch-merge-push round resolves. `--porcelain` marks it with '!'.
bool push_lost_race(const GitRun& run) {
    std::istringstream lines(run.out);
    std::string line;
    while (std::getline(lines, line))
        if (line.rfind("!\t", 0) == 0 && line.find(kNotesRef) != std::string::npos) return true;
    // Older servers report the lock failure on stderr only.
    return run.err.find("failed to lock") != std::string::npos ||
           run.err.find("cannot lock ref") != std::string::npos;
}

void pause_before_retry(int attempt) {
    // Randomised, growing pause so that two clones racing do not collide again in step.
    static thread_local std::mt19937 rng{std::random_device{}()};
    int ceiling = std::min(2000, 40 << std::min(attempt, 6));
    std::uniform_int_distribution<int> dist(10, ceiling);
    std::this_thread::sleep_for(std::chrono::milliseconds(dist(rng)));
}

/// git-ai's notes follow what the merge did to ours (provenant.gitAiNotes): a note taken or
/// combined from the remote is written in git-ai's form, a note the remote removed takes its
/// git-ai note with it (only one provenant wrote). Never fails the sync: said on stderr.
void follow_in_gitai_notes(const std::filesystem::path& workdir,
                           const std::vector<std::string>& changed) {
    if (changed.empty()) return;
    auto repo = Repo::open(workdir, true);
    if (!repo || !gitai_notes_enabled(*repo)) return;
    NoteStore notes(*repo);
    for (const std::string& key : changed) {
        auto commit = oid_from_hex(key);
        if (!commit) continue; // not a commit id: no git-ai note either
        auto note = notes.read(*commit);
        Status st;
        if (!note)
            st = note.error();
        else if (*note)
            st = write_gitai_note_if_enabled(*repo, *commit, **note);
        else
            st = remove_gitai_note_if_enabled(*repo, *commit);
        if (!st) spdlog::warn("sync: git-ai's note of {}: {}", key, st.error().message);
    }
}

} // namespace

Result<SyncReport> sync_notes(const std::filesystem::path& workdir, const SyncOptions& options) {
    ensure_libgit2();
    Repository repo;
    if (int rc = git_repository_open_ext(Setter(repo), workdir.c_str(), 0, nullptr); rc != 0)
        return git_error(rc, "opening the repository at " + workdir.string());
    Remote remote;
    if (options.remote.empty() || options.remote[0] == '-' ||
        git_remote_lookup(Setter(remote), repo.get(), options.remote.c_str()) != 0)
        return Error(ErrorKind::not_found,
                     "no remote named '" + options.remote + "' (see git remote -v)");
    const char* wd = git_repository_workdir(repo.get());
    const std::filesystem::path gitdir = wd != nullptr ? wd : git_repository_path(repo.get());
    const std::string tracking = tracking_notes_ref(options.remote);
    NoteTextMerger merger = options.merger ? options.merger : NoteTextMerger(merge_note_texts);

    SyncReport report;
    for (int attempt = 1; attempt <= std::max(1, options.max_attempts); ++attempt) {
        report.attempts = attempt;
        if (options.fetch) {
            auto fetched =
                run_git(gitdir, {"fetch", "--quiet", "--no-tags", "--no-write-fetch-head",
                                 options.remote, fetch_refspec(options.remote)});
            if (!fetched) return fetched.error();
            if (fetched->exit_code == 0) {
                report.remote_had_notes = true;
            } else if (fetched->err.find("couldn't find remote ref") != std::string::npos) {
                report.remote_had_notes = false; // nobody has pushed notes yet
            } else {
                return Error(ErrorKind::io, "fetching notes from " + options.remote + ": " +
                                                trimmed(fetched->err));
            }
        } else {
            report.remote_had_notes = resolve(repo.get(), tracking).has_value();
        }

        if (report.remote_had_notes) {
            auto merged = merge_notes_refs(repo.get(), std::string(kNotesRef), tracking, merger);
            if (!merged) return merged.error().context("merging notes from " + options.remote);
            report.merge = *merged;
            follow_in_gitai_notes(workdir, merged->changed);
        }
        if (!options.push) return report;

        auto local = resolve(repo.get(), std::string(kNotesRef));
        if (!local) return report; // nothing of ours to send
        auto remote_id = resolve(repo.get(), tracking);
        if (report.remote_had_notes && remote_id && git_oid_equal(&*local, &*remote_id)) {
            report.pushed = true;
            return report;
        }
        // --no-verify: this pushes only the notes ref, and a pre-push hook that itself syncs
        // must not recurse.
        auto pushed = run_git(gitdir, {"push", "--porcelain", "--quiet", "--no-verify",
                                       options.remote, push_refspec()});
        if (!pushed) return pushed.error();
        if (pushed->exit_code == 0) {
            report.pushed = true;
            return report;
        }
        if (!push_lost_race(*pushed))
            return Error(ErrorKind::io,
                         "pushing notes to " + options.remote + ": " +
                             trimmed(pushed->err.empty() ? pushed->out : pushed->err));
        spdlog::info("sync: push to {} lost a race (attempt {}); fetching again", options.remote,
                     attempt);
        if (attempt < options.max_attempts) pause_before_retry(attempt);
    }
    return Error(ErrorKind::conflict,
                 "pushing notes to " + options.remote + ": the remote kept changing (" +
                     std::to_string(report.attempts) + " attempts); run provenant sync again");
}

namespace {

Result<std::vector<std::string>> refspecs(git_remote* remote, bool push) {
    git_strarray specs{};
    int rc = push ? git_remote_get_push_refspecs(&specs, remote)
                  : git_remote_get_fetch_refspecs(&specs, remote);
    if (rc != 0) return git_error(rc, "reading the remote's refspecs");
    std::vector<std::string> out(specs.strings, specs.strings + specs.count);
    git_strarray_dispose(&specs);
    return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

std::string regex_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out;
}

} // namespace

Result<std::string> configure_notes_refspecs(git_repository* repo, const std::string& remote_name) {
    Remote remote;
    if (remote_name.empty() || remote_name[0] == '-' ||
        git_remote_lookup(Setter(remote), repo, remote_name.c_str()) != 0)
        return Error(ErrorKind::not_found, "no remote named '" + remote_name + "'");
    auto fetch = refspecs(remote.get(), false);
    if (!fetch) return fetch.error();
    auto push = refspecs(remote.get(), true);
    if (!push) return push.error();
    std::string done;
    if (!contains(*fetch, config_fetch_refspec(remote_name))) {
        if (int rc = git_remote_add_fetch(repo, remote_name.c_str(),
                                          config_fetch_refspec(remote_name).c_str());
            rc != 0)
            return git_error(rc, "adding a fetch refspec to " + remote_name);
        done += "remote." + remote_name + ".fetch " + config_fetch_refspec(remote_name) + "\n";
    }
    if (!contains(*push, config_push_refspec())) {
        if (push->empty()) {
            // A push refspec replaces git's default of pushing the current branch: keep it.
            if (int rc = git_remote_add_push(repo, remote_name.c_str(), "HEAD"); rc != 0)
                return git_error(rc, "adding a push refspec to " + remote_name);
            done += "remote." + remote_name + ".push HEAD\n";
        }
        if (int rc = git_remote_add_push(repo, remote_name.c_str(), config_push_refspec().c_str());
            rc != 0)
            return git_error(rc, "adding a push refspec to " + remote_name);
        done += "remote." + remote_name + ".push " + config_push_refspec() + "\n";
    }
    return done;
}

Status remove_notes_refspecs(git_repository* repo, const std::string& remote_name) {
    Config config;
    if (int rc = git_repository_config(Setter(config), repo); rc != 0)
        return git_error(rc, "reading git config");
    const std::pair<std::string, std::string> keys[] = {
        {"remote." + remote_name + ".fetch", config_fetch_refspec(remote_name)},
        {"remote." + remote_name + ".push", config_push_refspec()}};
    for (auto& [key, value] : keys) {
        std::string pattern = "^" + regex_escape(value) + "$";
        int rc = git_config_delete_multivar(config.get(), key.c_str(), pattern.c_str());
        if (rc != 0 && rc != GIT_ENOTFOUND) return git_error(rc, "removing " + key);
    }
    return {};
}

} // namespace provenant::git
