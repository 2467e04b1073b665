// A depth-first search from the tips over parents, stopping at stored commits; each commit is
// emitted once all its parents are (post-order), which is a parents-first order.
#include "analysis/new_commits.h"

#include <string>
#include <unordered_set>

namespace provenant::analysis {

namespace {

std::string oid_key(const git_oid& id) {
    return std::string(reinterpret_cast<const char*>(id.id), GIT_OID_RAWSZ);
}

/// A commit on the search's stack and the index of the next parent to look at.
struct Frame {
    git::Commit commit;
    unsigned next_parent = 0;
};

} // namespace

Result<std::vector<git_oid>> new_commits(const git::Repo& repo, const std::vector<git_oid>& tips,
                                         const IsStored& stored) {
    std::vector<git_oid> out;
    std::unordered_set<std::string> seen; // new commits already on the stack or emitted
    std::vector<Frame> stack;             // explicit: a long new history is a deep search
    // Pushes `id` when it is new and not seen; a missing parent is skipped (shallow clone).
    auto push = [&](const git_oid& id, bool is_tip) -> Status {
        if (stored(id) || !seen.insert(oid_key(id)).second) return {};
        Frame f;
        const int rc = git_commit_lookup(git::Setter(f.commit), repo.get(), &id);
        if (rc == GIT_ENOTFOUND && !is_tip) return {};
        if (rc != 0) return git::git_error(rc, "reading the commit " + git::to_hex(id));
        stack.push_back(std::move(f));
        return {};
    };
    for (const git_oid& tip : tips) {
        if (auto st = push(tip, true); !st) return st.error();
        while (!stack.empty()) {
            Frame& top = stack.back();
            if (top.next_parent < git_commit_parentcount(top.commit.get())) {
                const git_oid id = *git_commit_parent_id(top.commit.get(), top.next_parent++);
                if (auto st = push(id, false); !st) return st.error(); // may move `top`
                continue;
            }
            out.push_back(*git_commit_id(top.commit.get()));
            stack.pop_back();
        }
    }
    return out;
}

} // namespace provenant::analysis
