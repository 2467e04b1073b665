#include "git/path_diff.h"

#include "git/repository.h"

#include <cstring>

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

size_t OidHash::operator()(const git_oid& id) const noexcept {
    size_t h = 0;
    std::memcpy(&h, id.id, sizeof h); // an object id is a hash already
    return h;
}

void TreeCache::next() {
    previous_ = std::move(current_);
    current_.clear();
}

Result<const git_tree*> TreeCache::get(git_repository* repo, const git_oid& id) {
    if (auto it = current_.find(id); it != current_.end()) return it->second.get();
    if (auto it = previous_.find(id); it != previous_.end()) {
        const git_tree* t = it->second.get();
        current_.emplace(id, std::move(it->second));
        previous_.erase(it);
        return t;
    }
    Tree tree;
    if (git_tree_lookup(Setter(tree), repo, &id) != 0)
        return git_error("reading the tree " + to_hex(id));
    const git_tree* t = tree.get();
    current_.emplace(id, std::move(tree));
    return t;
}

namespace {

/// A subtree: from the cache when there is one (owned there), else read into `hold`.
Result<const git_tree*> subtree(git_repository* repo, const git_oid& id, TreeCache* cache,
                                Tree& hold) {
    if (cache != nullptr) return cache->get(repo, id);
    if (git_tree_lookup(Setter(hold), repo, &id) != 0)
        return git_error("reading the tree " + to_hex(id));
    return static_cast<const git_tree*>(hold.get());
}

/// Every entry under the tree `id` (at `prefix`) as removed (`removed`) or added.
Status all_entries(git_repository* repo, const git_tree_entry* e, const std::string& prefix,
                   bool removed, std::vector<EntryChange>& out, TreeCache* cache) {
    std::string path = prefix + git_tree_entry_name(e);
    if (git_tree_entry_type(e) != GIT_OBJECT_TREE) {
        EntryChange c;
        c.path = std::move(path);
        (removed ? c.old_id : c.new_id) = *git_tree_entry_id(e);
        (removed ? c.old_mode : c.new_mode) = git_tree_entry_filemode(e);
        out.push_back(std::move(c));
        return {};
    }
    Tree hold;
    auto sub = subtree(repo, *git_tree_entry_id(e), cache, hold);
    if (!sub) return sub.error();
    path += '/';
    const size_t n = git_tree_entrycount(*sub);
    for (size_t k = 0; k < n; ++k)
        if (auto st = all_entries(repo, git_tree_entry_byindex(*sub, k), path, removed, out, cache);
            !st)
            return st;
    return {};
}

} // namespace

Status changed_entries(git_repository* repo, const git_tree* a, const git_tree* b,
                       const std::string& prefix, std::vector<EntryChange>& out, TreeCache* cache) {
    const size_t na = a != nullptr ? git_tree_entrycount(a) : 0;
    const size_t nb = b != nullptr ? git_tree_entrycount(b) : 0;
    size_t ka = 0, kb = 0;
    while (ka < na || kb < nb) {
        const git_tree_entry* ea = ka < na ? git_tree_entry_byindex(a, ka) : nullptr;
        const git_tree_entry* eb = kb < nb ? git_tree_entry_byindex(b, kb) : nullptr;
        // git's order: a tree sorts as its name followed by '/'; equal means the same name
        // and both trees or both not.
        const int cmp = ea == nullptr ? 1 : eb == nullptr ? -1 : git_tree_entry_cmp(ea, eb);
        if (cmp < 0) {
            if (auto st = all_entries(repo, ea, prefix, true, out, cache); !st) return st;
            ++ka;
            continue;
        }
        if (cmp > 0) {
            if (auto st = all_entries(repo, eb, prefix, false, out, cache); !st) return st;
            ++kb;
            continue;
        }
        ++ka;
        ++kb;
        if (git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)) &&
            git_tree_entry_filemode(ea) == git_tree_entry_filemode(eb))
            continue;
        if (git_tree_entry_type(ea) == GIT_OBJECT_TREE) { // both trees
            Tree hold_a, hold_b;
            auto sa = subtree(repo, *git_tree_entry_id(ea), cache, hold_a);
            if (!sa) return sa.error();
            auto sb = subtree(repo, *git_tree_entry_id(eb), cache, hold_b);
            if (!sb) return sb.error();
            auto st =
                changed_entries(repo, *sa, *sb, prefix + git_tree_entry_name(ea) + "/", out, cache);
            if (!st) return st;
            continue;
        }
        EntryChange c;
        c.path = prefix + git_tree_entry_name(ea);
        c.old_id = *git_tree_entry_id(ea);
        c.new_id = *git_tree_entry_id(eb);
        c.old_mode = git_tree_entry_filemode(ea);
        c.new_mode = git_tree_entry_filemode(eb);
        out.push_back(std::move(c));
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
