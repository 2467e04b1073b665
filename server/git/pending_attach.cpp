// The deferred-attach queue: one file per commit in <gitdir>/provenant/pending/.
#include "git/pending_attach.h"

#include "git/attach.h"
#include "support/fs.h"

#include <algorithm>
#include <dirent.h>
#include <map>
#include <set>
#include <spdlog/spdlog.h>
#include <sstream>
#include <string_view>

namespace provenant::git {

namespace fs = std::filesystem;

namespace {

// A drain loops while the hook keeps queueing (a long rebase); the bound only guards against
// a directory that refuses to empty (a file we cannot remove).
constexpr int kMaxRounds = 64;
// Files a single round takes; the rest wait for the next round.
constexpr size_t kMaxPerRound = 4096;

bool is_queue_name(std::string_view name) {
    return !name.empty() && name[0] != '.';
}

std::vector<std::string> list_queue(const fs::path& dir) {
    std::vector<std::string> out;
    DIR* d = ::opendir(dir.c_str());
    if (!d) return out;
    while (const dirent* e = ::readdir(d)) {
        if (!is_queue_name(e->d_name)) continue;
        out.emplace_back(e->d_name);
        if (out.size() >= kMaxPerRound) break;
    }
    ::closedir(d);
    return out;
}

struct Queued {
    git_oid id{};
    std::vector<std::string> files; ///< queue files naming this commit
    std::optional<HookContext> context;
};

/// The hook writes "v1 <CHERRY_PICK_HEAD or -> <1 when rebasing, else 0>"; an empty or
/// unreadable file (an older hook) carries no context.
std::optional<HookContext> parse_context(const fs::path& file) {
    auto text = read_file(file);
    if (!text || text->size() > 256) return std::nullopt;
    std::istringstream in(*text);
    std::string version, cph, rebasing;
    if (!(in >> version >> cph >> rebasing) || version != "v1") return std::nullopt;
    HookContext c;
    if (cph != "-") {
        auto id = oid_from_hex(cph);
        if (!id) return std::nullopt;
        c.cherry_pick_head = *id;
    }
    c.rebasing = rebasing == "1";
    return c;
}

/// Resolves queue file names to commits (deduplicated); names that say nothing usable are
/// reported and returned in `junk` for removal.
std::vector<Queued> resolve_names(const Repo& repo, const fs::path& dir,
                                  const std::vector<std::string>& names,
                                  std::vector<std::string>& junk, DrainReport& report) {
    std::map<std::string, Queued> by_hex;
    for (const auto& name : names) {
        Result<git_oid> id = Error(ErrorKind::internal, "");
        if (name.rfind("HEAD.", 0) == 0)
            id = repo.resolve("HEAD"); // the hook could not read HEAD with shell builtins
        else
            id = oid_from_hex(name);
        if (!id || !repo.lookup_commit(*id)) {
            report.problems.push_back("queued " + name + ": not a commit here; dropped");
            junk.push_back(name);
            continue;
        }
        Queued& q = by_hex[to_hex(*id)];
        q.id = *id;
        q.files.push_back(name);
        if (!q.context) q.context = parse_context(dir / name);
    }
    std::vector<Queued> out;
    out.reserve(by_hex.size());
    for (auto& [hex, q] : by_hex)
        out.push_back(std::move(q));
    return out;
}

/// Ancestors first: how many other queued commits a commit's first-parent chain passes
/// through. Queued commits are almost always one chain (commits, rebase picks) or siblings
/// (an amend queued next to what it replaced, where either order gives the same notes).
void order_for_attach(const Repo& repo, std::vector<Queued>& queued) {
    if (queued.size() < 2) return;
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < queued.size(); ++i)
        index[to_hex(queued[i].id)] = i;
    std::vector<size_t> depth(queued.size(), 0);
    for (size_t i = 0; i < queued.size(); ++i) {
        git_oid at = queued[i].id;
        for (size_t steps = 0; steps < queued.size(); ++steps) {
            auto parent = repo.first_parent(at);
            if (!parent || !*parent) break;
            at = **parent;
            if (index.count(to_hex(at))) ++depth[i];
        }
    }
    std::vector<size_t> order(queued.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return depth[a] < depth[b]; });
    std::vector<Queued> sorted;
    sorted.reserve(queued.size());
    for (size_t i : order)
        sorted.push_back(std::move(queued[i]));
    queued = std::move(sorted);
}

void remove_files(const fs::path& dir, const std::vector<std::string>& names) {
    for (const auto& n : names) {
        std::error_code ec;
        fs::remove(dir / n, ec);
        if (ec) spdlog::warn("pending attach: removing {}: {}", (dir / n).string(), ec.message());
    }
}

} // namespace

fs::path pending_dir(const fs::path& gitdir) {
    return gitdir / "provenant" / "pending";
}

bool has_pending_attaches(const fs::path& gitdir) {
    DIR* d = ::opendir(pending_dir(gitdir).c_str());
    if (!d) return false;
    bool any = false;
    while (const dirent* e = ::readdir(d))
        if (is_queue_name(e->d_name)) {
            any = true;
            break;
        }
    ::closedir(d);
    return any;
}

Status ensure_pending_dir(const fs::path& gitdir) {
    return create_private_directories(pending_dir(gitdir));
}

Result<DrainReport> drain_pending_attaches(const Repo& repo) {
    DrainReport report;
    const fs::path gitdir = repo.gitdir();
    if (!has_pending_attaches(gitdir)) return report;
    auto lock = FileLock::acquire(gitdir / "provenant" / "pending.lock");
    if (!lock) return lock.error().context("locking the pending-attach queue");
    const fs::path dir = pending_dir(gitdir);
    // Queue files whose note could not be written in this drain: kept for the next drain
    // (a lock held, a disk full: the cause may pass), not retried in this one.
    std::set<std::string> failed;
    for (int round = 0; round < kMaxRounds; ++round) {
        // Listed under the lock: another drain that held it before us removed what it did.
        auto names = list_queue(dir);
        std::erase_if(names, [&](const std::string& n) { return failed.count(n) > 0; });
        if (names.empty()) break;
        std::vector<std::string> junk;
        auto queued = resolve_names(repo, dir, names, junk, report);
        remove_files(dir, junk);
        order_for_attach(repo, queued);
        for (const auto& q : queued) {
            const std::string hex = to_hex(q.id);
            AttachOptions options;
            options.rev = hex;
            options.context = q.context;
            Result<AttachResult> r = Error(ErrorKind::internal, "");
            try {
                r = attach(repo, options);
            } catch (const std::exception& e) { // one commit's failure never stops the queue
                r = Error(ErrorKind::internal, e.what());
            }
            if (!r) {
                // Kept: the queue file is removed only once its note is written, so a failure
                // that passes (a stale lock, a full disk) is retried by the next drain, and
                // every reader's drain says on stderr why the note is still missing.
                report.problems.push_back(hex.substr(0, 12) + ": " + r.error().message +
                                          " (kept queued for retry)");
                failed.insert(q.files.begin(), q.files.end());
                continue;
            }
            if (r->written)
                ++report.written;
            else
                ++report.skipped;
            remove_files(dir, q.files);
        }
    }
    return report;
}

void finish_pending_attaches(const Repo& repo) {
    auto r = drain_pending_attaches(repo);
    if (!r) {
        spdlog::warn("pending notes not written: {}", r.error().message);
        return;
    }
    for (const auto& p : r->problems)
        spdlog::warn("pending note not written: {}", p);
}

} // namespace provenant::git
