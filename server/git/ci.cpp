// Server-side squash and rebase merges: carry pull request notes onto the landed commits.
#include "git/ci.h"

#include "git/gitai_writer.h"
#include "git/note_store.h"
#include "git/replay.h"
#include "support/text_lines.h"

#include <map>
#include <set>
#include <spdlog/spdlog.h>

namespace provenant::git {
namespace {

/// libgit2's equivalent of `git patch-id --stable` for a commit against its first parent.
Result<std::optional<git_oid>> patch_id(const Repo& repo, const git_oid& commit) {
    auto c = repo.lookup_commit(commit);
    if (!c) return c.error();
    if (git_commit_parentcount(c->get()) > 1) return std::optional<git_oid>{};
    Tree tree, parent_tree;
    if (int rc = git_commit_tree(Setter(tree), c->get()); rc != 0)
        return git_error(rc, "reading a tree");
    if (git_commit_parentcount(c->get()) == 1) {
        Commit parent;
        // Two statements: a Setter fills its pointer only at the end of the full expression.
        if (int rc = git_commit_parent(Setter(parent), c->get(), 0); rc != 0)
            return git_error(rc, "reading a parent");
        if (int rc = git_commit_tree(Setter(parent_tree), parent.get()); rc != 0)
            return git_error(rc, "reading a parent tree");
    }
    Diff diff;
    if (int rc =
            git_diff_tree_to_tree(Setter(diff), repo.get(), parent_tree.get(), tree.get(), nullptr);
        rc != 0)
        return git_error(rc, "diffing " + to_hex(commit));
    git_oid id;
    if (int rc = git_diff_patchid(&id, diff.get(), nullptr); rc != 0)
        return git_error(rc, "patch id of " + to_hex(commit));
    return std::optional<git_oid>(id);
}

Result<std::vector<git_oid>> range(const Repo& repo, const std::string& include,
                                   const std::string& exclude) {
    Revwalk walk;
    if (int rc = git_revwalk_new(Setter(walk), repo.get()); rc != 0)
        return git_error(rc, "walking commits");
    git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
    auto inc = repo.resolve(include);
    if (!inc) return inc.error();
    if (int rc = git_revwalk_push(walk.get(), &*inc); rc != 0)
        return git_error(rc, "walking " + include);
    if (!exclude.empty()) {
        auto exc = repo.resolve(exclude);
        if (!exc) return exc.error();
        if (int rc = git_revwalk_hide(walk.get(), &*exc); rc != 0)
            return git_error(rc, "walking " + exclude);
    }
    std::vector<git_oid> out;
    git_oid id;
    while (git_revwalk_next(&id, walk.get()) == 0) {
        out.push_back(id);
        if (out.size() > 10000)
            return Error(ErrorKind::invalid_input,
                         "more than 10000 commits in " + exclude + ".." + include);
    }
    return out;
}

/// "class/tool" of an attributed line, as the content check compares them.
std::string attribution_key(const Note& note, const NoteFile& f, uint32_t line) {
    auto l = f.lookup(line);
    if (!l) return {};
    std::string key(to_string(l->first));
    auto o = note.origins.find(l->second);
    if (o != note.origins.end()) key += "/" + o->second.record.tool + "/" + o->second.record.model;
    return key;
}

/// Every (line text, attribution) the sources' notes state, for the content check.
Result<std::set<std::pair<std::string, std::string>>>
source_lines(const Repo& repo, Replayer& rp, const std::vector<git_oid>& olds) {
    std::set<std::pair<std::string, std::string>> out;
    for (const git_oid& o : olds) {
        const Note* n = rp.note_of(o);
        if (n == nullptr) continue;
        for (const auto& [path, f] : n->files) {
            auto blob = oid_from_hex(f.blob);
            if (!blob) continue;
            auto text = repo.blob_text(*blob);
            if (!text) continue; // a note naming a blob we lack states nothing checkable
            auto lines = split_lines(*text);
            for (LineClass c : kNoteLineClasses)
                for (uint32_t l : f.lines(c))
                    if (l >= 1 && l <= lines.size())
                        out.insert({std::string(lines[l - 1]), attribution_key(*n, f, l)});
        }
    }
    return out;
}

} // namespace

Result<CiMergeReport> ci_squash_merge(const Repo& repo, const CiMergeOptions& options) {
    CiMergeReport report;
    auto pr = range(repo, options.head, options.base);
    if (!pr) return pr.error().context("listing the pull request's commits");
    if (pr->empty())
        return Error(ErrorKind::not_found, "no commits in " + options.base + ".." + options.head);
    for (auto& c : *pr)
        report.pr_commits.push_back(to_hex(c));

    std::vector<git_oid> landed;
    if (auto dots = options.merged.find(".."); dots != std::string::npos) {
        auto r = range(repo, options.merged.substr(dots + 2), options.merged.substr(0, dots));
        if (!r) return r.error().context("listing the merged commits");
        landed = std::move(*r);
    } else {
        auto id = repo.resolve(options.merged);
        if (!id) return id.error();
        landed.push_back(*id);
    }
    if (landed.empty())
        return Error(ErrorKind::not_found, "no merged commits in " + options.merged);

    std::map<std::string, git_oid> by_patch; // PR commits by patch id
    for (auto& c : *pr) {
        auto p = patch_id(repo, c);
        if (!p) return p.error();
        if (*p) by_patch.emplace(to_hex(**p), c);
    }

    NoteStore notes(repo);
    Replayer rp(repo, notes);
    bool tokens_moved = false;
    for (size_t i = 0; i < landed.size(); ++i) {
        const git_oid& target = landed[i];
        CiMergedCommit out;
        out.commit = to_hex(target);
        auto tc = repo.lookup_commit(target);
        if (!tc) return tc.error();
        if (git_commit_parentcount(tc->get()) > 1) {
            out.match = "merge"; // a merge commit: its parents keep their notes
            report.merged.push_back(std::move(out));
            continue;
        }
        RewriteSources sources;
        auto p = patch_id(repo, target);
        if (!p) return p.error();
        auto match = *p ? by_patch.find(to_hex(**p)) : by_patch.end();
        if (match != by_patch.end()) {
            sources = {"rebase-merge", {match->second}, true};
            out.match = "patch-id";
        } else {
            // A squash: everything, with the usage moved once (onto the last such commit).
            bool last_unmatched = true;
            for (size_t j = i + 1; j < landed.size(); ++j) {
                auto pj = patch_id(repo, landed[j]);
                if (pj && *pj && by_patch.count(to_hex(**pj))) continue;
                last_unmatched = false;
            }
            sources = {"squash-merge", *pr, last_unmatched && !tokens_moved};
            out.match = "squash";
        }
        if (sources.carry_tokens) tokens_moved = true;
        for (auto& s : sources.olds)
            out.sources.push_back(to_hex(s));

        auto existing = notes.read(target);
        if (!existing) return existing.error();
        auto note = carry_note(repo, notes, target, sources, *existing, &out.lines);
        if (!note) return note.error().context("carrying onto " + out.commit);
        if (!*note) {
            report.merged.push_back(std::move(out));
            continue;
        }

        // The content check: each line whose attribution this carry decided must appear,
        // with the same text and attribution, in a source note.
        auto allowed = source_lines(repo, rp, sources.olds);
        if (!allowed) return allowed.error();
        for (const auto& [path, f] : (*note)->files) {
            auto blob = oid_from_hex(f.blob);
            if (!blob) continue;
            auto text = repo.blob_text(*blob);
            if (!text) return text.error();
            auto lines = split_lines(*text);
            const NoteFile* before = nullptr;
            if (*existing)
                if (auto it = (**existing).files.find(path); it != (**existing).files.end())
                    before = &it->second;
            for (LineClass c : kNoteLineClasses) {
                if (c == LineClass::Unknown) continue;
                for (uint32_t l : f.lines(c)) {
                    std::string key = attribution_key(**note, f, l);
                    if (before && attribution_key(**existing, *before, l) == key) continue;
                    if (l < 1 || l > lines.size() ||
                        !allowed->count({std::string(lines[l - 1]), key}))
                        out.rejected.push_back(path + ":" + std::to_string(l) + " " + key);
                }
            }
        }
        if (out.rejected.empty() && !options.dry_run) {
            auto st = notes.write(target, **note);
            if (st) st = write_gitai_note_if_enabled(repo, target, **note);
            if (!st) return st.error();
            out.written = true;
        }
        report.merged.push_back(std::move(out));
    }
    return report;
}

} // namespace provenant::git
