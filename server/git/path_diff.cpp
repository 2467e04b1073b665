#include "git/path_diff.h"

#include "git/raw_tree.h"
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

namespace {

/// The entries of the raw tree `id`, with the object that holds their names and ids.
struct TreeEntries {
    ObjectCache::Object object;
    std::vector<RawTreeEntry> entries;
};

Status read_tree(git_odb* odb, ObjectCache& cache, const git_oid* id, TreeEntries& out) {
    if (id == nullptr) return {};
    auto object = cache.get(odb, *id, GIT_OBJECT_TREE);
    if (!object) return object.error().context("reading the tree " + to_hex(*id));
    out.object = std::move(*object);
    const std::string_view data = data_of(out.object);
    out.entries.reserve(data.size() / 28 + 1); // an entry is 28 bytes or more
    RawTreeReader reader(data, *id);
    RawTreeEntry e;
    while (true) {
        auto more = reader.next(e);
        if (!more) return more.error();
        if (!*more) return {};
        out.entries.push_back(e);
    }
}

/// Every entry under `e` (at `prefix`) as removed (`removed`) or added.
Status all_entries(git_odb* odb, ObjectCache& cache, const RawTreeEntry& e,
                   const std::string& prefix, bool removed, std::vector<EntryChange>& out) {
    std::string path = prefix;
    path += e.name;
    if (!e.is_tree()) {
        EntryChange c;
        c.path = std::move(path);
        (removed ? c.old_id : c.new_id) = e.oid();
        (removed ? c.old_mode : c.new_mode) = e.filemode();
        out.push_back(std::move(c));
        return {};
    }
    TreeEntries sub;
    const git_oid id = e.oid();
    if (Status st = read_tree(odb, cache, &id, sub); !st) return st;
    path += '/';
    for (const RawTreeEntry& s : sub.entries)
        if (Status st = all_entries(odb, cache, s, path, removed, out); !st) return st;
    return {};
}

} // namespace

Status changed_entries(git_odb* odb, ObjectCache& cache, const git_oid* a, const git_oid* b,
                       const std::string& prefix, std::vector<EntryChange>& out) {
    TreeEntries ta, tb;
    if (Status st = read_tree(odb, cache, a, ta); !st) return st;
    if (Status st = read_tree(odb, cache, b, tb); !st) return st;
    const std::vector<RawTreeEntry>& ea = ta.entries;
    const std::vector<RawTreeEntry>& eb = tb.entries;
    size_t ka = 0, kb = 0;
    while (ka < ea.size() || kb < eb.size()) {
        // git's order: a tree sorts as its name followed by '/'; equal means the same name
        // and both trees or both not.
        const int cmp = ka == ea.size()   ? 1
                        : kb == eb.size() ? -1
                                          : compare_entries(ea[ka], eb[kb]);
        if (cmp < 0) {
            if (Status st = all_entries(odb, cache, ea[ka++], prefix, true, out); !st) return st;
            continue;
        }
        if (cmp > 0) {
            if (Status st = all_entries(odb, cache, eb[kb++], prefix, false, out); !st) return st;
            continue;
        }
        const RawTreeEntry& x = ea[ka++];
        const RawTreeEntry& y = eb[kb++];
        if (std::memcmp(x.id, y.id, GIT_OID_RAWSZ) == 0 && x.filemode() == y.filemode()) continue;
        if (x.is_tree()) { // both trees
            const git_oid xa = x.oid(), yb = y.oid();
            std::string sub = prefix;
            sub += x.name;
            sub += '/';
            if (Status st = changed_entries(odb, cache, &xa, &yb, sub, out); !st) return st;
            continue;
        }
        EntryChange c;
        c.path = prefix;
        c.path += x.name;
        c.old_id = x.oid();
        c.new_id = y.oid();
        c.old_mode = x.filemode();
        c.new_mode = y.filemode();
        out.push_back(std::move(c));
    }
    if (a != nullptr && (b == nullptr || !git_oid_equal(a, b))) cache.drop(*a); // superseded
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
