#include "git/path_diff.h"

#include "git/repository.h"

namespace provenant::git {

Result<Diff> diff_paths_with_renames(git_repository* repo, git_tree* old_tree, git_tree* new_tree,
                                     std::vector<std::string>& paths, const git_diff_options& base,
                                     std::string_view what) {
    git_diff_options opts = base;
    std::vector<char*> specs;
    specs.reserve(paths.size());
    for (std::string& p : paths)
        specs.push_back(p.data());
    opts.pathspec.strings = specs.data();
    opts.pathspec.count = specs.size();
    opts.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH; // exact paths, no globs
    Diff diff;
    if (git_diff_tree_to_tree(Setter(diff), repo, old_tree, new_tree, &opts) != 0)
        return git_error("diffing " + std::string(what));
    git_diff_find_options find;
    git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
    find.flags = GIT_DIFF_FIND_RENAMES;
    if (git_diff_find_similar(diff.get(), &find) != 0)
        return git_error("finding renames in " + std::string(what));
    return diff;
}

} // namespace provenant::git
