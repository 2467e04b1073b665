// Finding what a just-made commit was rewritten from, with no hook of its own: cherry-pick,
// rebase picks, merge --squash, and reset followed by a new commit.
#include "git/rewrite.h"
#include "support/fs.h"
#include "support/json_text.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <spdlog/spdlog.h>
#include <sstream>

namespace provenant::git {
namespace fs = std::filesystem;
namespace {

constexpr size_t kMaxOlds = 256;          // commits one rewrite may carry from
constexpr size_t kReflogLookback = 20;    // reflog entries searched for a reset
constexpr size_t kPickSearchLimit = 4096; // commits searched for a conflicted pick's original

std::optional<git_oid> ref_id(const Repo& repo, const char* name) {
    git_oid id;
    if (git_reference_name_to_id(&id, repo.get(), name) != 0) return std::nullopt;
    return id;
}

bool is_commit(const Repo& repo, const git_oid& id) {
    auto c = repo.lookup_commit(id);
    return c.ok();
}

/// Commit ids written as "commit <40 hex>" at the start of a line (git's SQUASH_MSG).
std::vector<git_oid> listed_commits(const Repo& repo, std::string_view text) {
    std::vector<git_oid> out;
    std::istringstream lines{std::string(text)};
    std::string line;
    while (std::getline(lines, line) && out.size() < kMaxOlds) {
        if (line.rfind("commit ", 0) != 0 || line.size() < 47) continue;
        auto id = oid_from_hex(line.substr(7, 40));
        if (id && is_commit(repo, *id)) out.push_back(*id);
    }
    return out;
}

fs::path squash_sources_path(const Repo& repo) {
    return repo.gitdir() / "provenant" / "squash-sources";
}

size_t head_reflog_count(const Repo& repo) {
    Reflog reflog;
    if (git_reflog_read(Setter(reflog), repo.get(), "HEAD") != 0) return 0;
    return git_reflog_entrycount(reflog.get());
}

/// Whether `commit` made the first HEAD reflog entry after the first `before` ones.
bool first_entry_after(const Repo& repo, size_t before, const git_oid& commit) {
    Reflog reflog;
    if (git_reflog_read(Setter(reflog), repo.get(), "HEAD") != 0) return false;
    const size_t count = git_reflog_entrycount(reflog.get());
    if (count <= before) return false;
    const git_reflog_entry* e = git_reflog_entry_byindex(reflog.get(), count - before - 1);
    return e && git_oid_equal(git_reflog_entry_id_new(e), &commit);
}

/// Sources recorded by the post-merge hook for a squash merge onto `parent`, when
/// `commit` is the commit they were recorded for: the next commit on HEAD after the record
/// (a deferred attach of an earlier commit must leave the record for the squash commit).
/// A record that cannot belong to any later commit is removed.
std::optional<RewriteSources>
recorded_squash(const Repo& repo, const std::optional<git_oid>& parent, const git_oid& commit) {
    auto path = squash_sources_path(repo);
    std::error_code ec;
    if (!fs::exists(path, ec)) return std::nullopt;
    auto text = read_file(path);
    if (!text) return std::nullopt;
    auto j = nlohmann::json::parse(*text, nullptr, false);
    if (!j.is_object() || !j.contains("head") || !j["head"].is_string() || !j.contains("commits") ||
        !j["commits"].is_array()) {
        fs::remove(path, ec); // unreadable: useless to anyone
        return std::nullopt;
    }
    auto head = oid_from_hex(j["head"].get<std::string>());
    const auto reflog_at = j.find("reflog");
    const bool positioned = reflog_at != j.end() && reflog_at->is_number_unsigned();
    const bool mine = head && parent && git_oid_equal(&*head, &*parent) &&
                      (!positioned || first_entry_after(repo, reflog_at->get<size_t>(), commit));
    if (!mine) {
        // Kept while a later commit could still be the squash; dropped once HEAD has moved on.
        if (!positioned || head_reflog_count(repo) > reflog_at->get<size_t>() + kReflogLookback)
            fs::remove(path, ec);
        return std::nullopt;
    }
    fs::remove(path, ec); // consumed
    RewriteSources s{"squash-merge", {}, true};
    for (auto& c : j["commits"]) {
        if (!c.is_string() || s.olds.size() >= kMaxOlds) continue;
        auto id = oid_from_hex(c.get<std::string>());
        if (id && is_commit(repo, *id)) s.olds.push_back(*id);
    }
    if (s.olds.empty()) return std::nullopt;
    return s;
}

/// A reset followed by this commit (and maybe other plain commits): the commits the reset
/// left behind that this commit's history does not contain.
/// `search`: the commit's entry may be behind newer ones (a deferred attach); otherwise it
/// must be the newest.
Result<std::optional<RewriteSources>> reset_sources(const Repo& repo, const git_oid& commit,
                                                    const std::optional<git_oid>& parent,
                                                    bool search) {
    Reflog reflog;
    if (git_reflog_read(Setter(reflog), repo.get(), "HEAD") != 0)
        return std::optional<RewriteSources>{};
    size_t count = git_reflog_entrycount(reflog.get());
    if (count < 2) return std::optional<RewriteSources>{};
    size_t at = 0; // the commit's own entry
    while (at < count && at <= kReflogLookback &&
           !git_oid_equal(git_reflog_entry_id_new(git_reflog_entry_byindex(reflog.get(), at)),
                          &commit)) {
        if (!search) return std::optional<RewriteSources>{};
        ++at;
    }
    if (at >= count || at > kReflogLookback) return std::optional<RewriteSources>{};
    for (size_t i = at + 1; i < count && i <= at + kReflogLookback; ++i) {
        const git_reflog_entry* e = git_reflog_entry_byindex(reflog.get(), i);
        const char* m = git_reflog_entry_message(e);
        std::string_view msg = m ? m : "";
        if (msg.rfind("commit: ", 0) == 0) continue; // the reset's work committed in pieces
        if (msg.rfind("reset: moving to", 0) != 0) break;
        git_oid orphan = *git_reflog_entry_id_old(e);
        if (git_oid_is_zero(&orphan) || git_oid_equal(&orphan, &commit) ||
            git_graph_descendant_of(repo.get(), &commit, &orphan) == 1)
            break; // a reset forward, or to something we still contain: nothing orphaned
        Revwalk walk;
        if (int rc = git_revwalk_new(Setter(walk), repo.get()); rc != 0)
            return git_error(rc, "walking the reset commits");
        git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
        if (git_revwalk_push(walk.get(), &orphan) != 0) return std::optional<RewriteSources>{};
        if (parent) git_revwalk_hide(walk.get(), &*parent);
        RewriteSources s{"reset", {}, true};
        git_oid id;
        while (git_revwalk_next(&id, walk.get()) == 0) {
            s.olds.push_back(id);
            if (s.olds.size() > kMaxOlds) s.olds.erase(s.olds.begin());
        }
        if (s.olds.empty()) break;
        return std::optional<RewriteSources>(std::move(s));
    }
    return std::optional<RewriteSources>{};
}

/// The message of `commit`'s own HEAD reflog entry: the newest, or with `search` (a deferred
/// attach, other entries may have come since) the newest of the last few that made it.
std::string own_reflog_message(const Repo& repo, const git_oid& commit, bool search) {
    Reflog reflog;
    if (git_reflog_read(Setter(reflog), repo.get(), "HEAD") != 0) return {};
    const size_t count = git_reflog_entrycount(reflog.get());
    for (size_t i = 0; i < count && i <= kReflogLookback; ++i) {
        const git_reflog_entry* e = git_reflog_entry_byindex(reflog.get(), i);
        if (git_oid_equal(git_reflog_entry_id_new(e), &commit)) {
            const char* m = git_reflog_entry_message(e);
            return m ? m : "";
        }
        if (!search) break;
    }
    return {};
}

bool same_signature(const git_signature* a, const git_signature* b) {
    return a && b && std::string_view(a->name) == b->name &&
           std::string_view(a->email) == b->email && a->when.time == b->when.time &&
           a->when.offset == b->when.offset;
}

/// The commit a cherry-pick committed after a conflict was picked from. git removes
/// CHERRY_PICK_HEAD (and a single pick's sequencer state) before post-commit, but a pick
/// keeps the author (name, email, date to the second) and the subject: the original is the
/// one commit on the branches, outside this commit's history, with both. Several candidates
/// (the same commit picked before elsewhere) all carry the same lines: the newest is used.
std::optional<git_oid> picked_original(const Repo& repo, git_commit* pick, const git_oid& commit) {
    Revwalk walk;
    if (git_revwalk_new(Setter(walk), repo.get()) != 0) return std::nullopt;
    git_revwalk_sorting(walk.get(), GIT_SORT_TIME);
    for (const char* glob : {"refs/heads", "refs/remotes"})
        (void)git_revwalk_push_glob(walk.get(), glob);
    if (git_revwalk_hide(walk.get(), &commit) != 0) return std::nullopt;
    const git_signature* author = git_commit_author(pick);
    const char* summary = git_commit_summary(pick);
    if (!author || !summary) return std::nullopt;
    git_oid id;
    for (size_t n = 0; n < kPickSearchLimit && git_revwalk_next(&id, walk.get()) == 0; ++n) {
        auto c = repo.lookup_commit(id);
        if (!c || git_commit_parentcount(c->get()) > 1) continue;
        const char* s = git_commit_summary(c->get());
        if (s && std::string_view(s) == summary &&
            same_signature(git_commit_author(c->get()), author))
            return id;
    }
    return std::nullopt;
}

/// A revert's message names the reverted commit ("This reverts commit <id>.", and for a merge
/// ", reversing changes made to <parent>."): the lines it restores are those of that parent.
std::optional<RewriteSources> revert_sources(const Repo& repo, const std::string& message,
                                             const git_oid& commit) {
    static const std::regex reverts(
        R"(This reverts commit ([0-9a-f]{40})(,\s+reversing\s+changes\s+made\s+to\s+([0-9a-f]{40}))?)");
    std::smatch m;
    if (!std::regex_search(message, m, reverts)) return std::nullopt;
    auto reverted = oid_from_hex(m[1].str());
    if (!reverted || !is_commit(repo, *reverted) || git_oid_equal(&*reverted, &commit))
        return std::nullopt;
    std::optional<git_oid> base;
    if (m[3].matched) {
        auto b = oid_from_hex(m[3].str());
        if (b && is_commit(repo, *b)) base = *b;
    } else if (auto p = repo.first_parent(*reverted); p && *p) {
        base = **p;
    }
    if (!base) return std::nullopt; // a root commit: it deleted nothing
    RewriteSources s{"revert", {*reverted}, false};
    s.state_at = *base;
    return s;
}

} // namespace

Result<std::optional<RewriteSources>> find_rewrite_sources(const Repo& repo, const git_oid& commit,
                                                           const HookContext* context) {
    using Found = std::optional<RewriteSources>;
    auto c = repo.lookup_commit(commit);
    if (!c) return c.error();
    if (git_commit_parentcount(c->get()) > 1) return Found{}; // merges: restrict_to_new_lines
    auto parent = repo.first_parent(commit);
    if (!parent) return parent.error();
    auto head = ref_id(repo, "HEAD");
    // A deferred attach: the commit was HEAD when its hook captured `context`.
    const bool is_head = context || (head && git_oid_equal(&*head, &commit));
    const fs::path gitdir = repo.gitdir();

    if (is_head) {
        auto cph = context ? context->cherry_pick_head : ref_id(repo, "CHERRY_PICK_HEAD");
        if (cph && !git_oid_equal(&*cph, &commit)) {
            std::error_code ec;
            bool rebasing = context ? context->rebasing
                                    : fs::exists(gitdir / "rebase-merge", ec) ||
                                          fs::exists(gitdir / "rebase-apply", ec);
            // A rebase pick: the old commit leaves the branch (post-rewrite will confirm).
            if (rebasing) return Found(RewriteSources{"rebase", {*cph}, true});
            return Found(RewriteSources{"cherry-pick", {*cph}, false});
        }
    }
    const char* raw = git_commit_message(c->get());
    std::string message = raw ? raw : "";
    static const std::regex trailer(R"(\(cherry picked from commit ([0-9a-f]{40})\))");
    std::optional<git_oid> picked;
    for (auto it = std::sregex_iterator(message.begin(), message.end(), trailer);
         it != std::sregex_iterator(); ++it) {
        auto id = oid_from_hex((*it)[1].str());
        if (id && is_commit(repo, *id) && !git_oid_equal(&*id, &commit)) picked = *id;
    }
    if (picked) return Found(RewriteSources{"cherry-pick", {*picked}, false});
    if (is_head &&
        own_reflog_message(repo, commit, context != nullptr).rfind("commit (cherry-pick):", 0) == 0)
        if (auto original = picked_original(repo, c->get(), commit))
            return Found(RewriteSources{"cherry-pick", {*original}, false});
    if (auto r = revert_sources(repo, message, commit)) return Found(std::move(*r));

    if (is_head)
        if (auto s = recorded_squash(repo, *parent, commit)) return Found(std::move(*s));
    if (message.find("Squashed commit of the following:") != std::string::npos) {
        auto olds = listed_commits(repo, message);
        if (!olds.empty()) return Found(RewriteSources{"squash-merge", std::move(olds), true});
    }
    if (is_head) return reset_sources(repo, commit, *parent, context != nullptr);
    return Found{};
}

Status record_squash_sources(const Repo& repo) {
    const fs::path msg = repo.gitdir() / "SQUASH_MSG";
    std::error_code ec;
    if (!fs::exists(msg, ec)) return {};
    auto text = read_file(msg);
    if (!text) return text.error();
    auto olds = listed_commits(repo, *text);
    if (olds.empty()) return {};
    nlohmann::json j;
    git_oid head;
    if (git_reference_name_to_id(&head, repo.get(), "HEAD") != 0)
        return {}; // unborn: no parent to match
    j["head"] = to_hex(head);
    // The squash commit will make the next HEAD reflog entry after these.
    j["reflog"] = head_reflog_count(repo);
    j["commits"] = nlohmann::json::array();
    for (auto& o : olds)
        j["commits"].push_back(to_hex(o));
    auto data = json_text(j);
    if (!data) return data.error().context("recording squash sources");
    return atomic_write_file(squash_sources_path(repo), *data + "\n");
}

} // namespace provenant::git
