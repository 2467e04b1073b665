#include "git/path_diff.h"

#include "git/repository.h"

namespace provenant::git {

Status changed_paths(git_repository* repo, const git_tree* a, const git_tree* b,
                     const std::string& prefix, std::vector<std::string>& out) {
    auto all_of = [&](const git_tree_entry* e) -> Status {
        const std::string path = prefix + git_tree_entry_name(e);
        if (git_tree_entry_type(e) != GIT_OBJECT_TREE) {
            out.push_back(path);
            return {};
        }
        Tree sub;
        if (int rc = git_tree_lookup(Setter(sub), repo, git_tree_entry_id(e)); rc != 0)
            return git_error(rc, "reading the tree " + path);
        return changed_paths(repo, sub.get(), nullptr, path + "/", out);
    };
    const size_t na = a != nullptr ? git_tree_entrycount(a) : 0;
    for (size_t k = 0; k < na; ++k) {
        const git_tree_entry* ea = git_tree_entry_byindex(a, k);
        const git_tree_entry* eb =
            b != nullptr ? git_tree_entry_byname(b, git_tree_entry_name(ea)) : nullptr;
        if (eb != nullptr && git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)) &&
            git_tree_entry_filemode(ea) == git_tree_entry_filemode(eb))
            continue;
        if (eb != nullptr && git_tree_entry_type(ea) == GIT_OBJECT_TREE &&
            git_tree_entry_type(eb) == GIT_OBJECT_TREE) {
            Tree sa, sb;
            if (git_tree_lookup(Setter(sa), repo, git_tree_entry_id(ea)) != 0 ||
                git_tree_lookup(Setter(sb), repo, git_tree_entry_id(eb)) != 0)
                return git_error("reading the tree " + prefix + git_tree_entry_name(ea));
            auto st = changed_paths(repo, sa.get(), sb.get(),
                                    prefix + git_tree_entry_name(ea) + "/", out);
            if (!st) return st;
            continue;
        }
        if (auto st = all_of(ea); !st) return st;
        if (eb != nullptr)
            if (auto st = all_of(eb); !st) return st;
    }
    const size_t nb = b != nullptr ? git_tree_entrycount(b) : 0;
    for (size_t k = 0; k < nb; ++k) {
        const git_tree_entry* eb = git_tree_entry_byindex(b, k);
        if (a != nullptr && git_tree_entry_byname(a, git_tree_entry_name(eb)) != nullptr)
            continue; // compared above
        if (auto st = all_of(eb); !st) return st;
    }
    return {};
}

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
    if (int rc = git_diff_tree_to_tree(Setter(diff), repo, old_tree, new_tree, &opts); rc != 0)
        return git_error(rc, "diffing " + std::string(what));
    git_diff_find_options find;
    git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
    find.flags = GIT_DIFF_FIND_RENAMES;
    if (int rc = git_diff_find_similar(diff.get(), &find); rc != 0)
        return git_error(rc, "finding renames in " + std::string(what));
    return diff;
}

} // namespace provenant::git
