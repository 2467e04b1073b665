// Path lookup over raw tree objects (git/raw_tree), scanned.
#include "git/tree_path.h"

#include "git/object_cache.h"
#include "git/raii.h"
#include "git/raw_tree.h"
#include "git/repository.h"

#include <cstring>
#include <memory>

namespace provenant::git {

namespace {

using OdbObject = std::unique_ptr<git_odb_object, Deleter<git_odb_object_free>>;

/// The entry `name` of the raw tree `data`, nullopt when absent; an Error when the tree is
/// malformed before the entry is found.
Result<std::optional<RawTreeEntry>> find_entry(std::string_view data, std::string_view name,
                                               const git_oid& tree) {
    RawTreeReader reader(data, tree);
    RawTreeEntry e;
    while (true) {
        auto more = reader.next(e);
        if (!more) return more.error();
        if (!*more) return std::optional<RawTreeEntry>();
        if (e.name == name) return std::optional<RawTreeEntry>(e);
    }
}

/// blob_at_path over trees read by `read(id, holder)`, which returns a tree's raw bytes and
/// keeps them alive in `holder` until the next read.
template <typename Holder, typename Read>
Result<std::optional<git_oid>> find_blob(const git_oid& tree, std::string_view path, Read read) {
    git_oid current = tree;
    while (true) {
        const size_t slash = path.find('/');
        const std::string_view name = path.substr(0, slash);
        if (name.empty()) return std::optional<git_oid>(); // "", "/x", "x//y", "x/"
        Holder holder;
        auto data = read(current, holder);
        if (!data) return data.error();
        auto entry = find_entry(*data, name, current);
        if (!entry) return entry.error();
        if (!*entry) return std::optional<git_oid>();
        if (slash == std::string_view::npos) { // the last name: a blob, or nothing
            if ((*entry)->is_tree() || (*entry)->is_gitlink()) return std::optional<git_oid>();
            return std::optional<git_oid>((*entry)->oid());
        }
        if (!(*entry)->is_tree()) return std::optional<git_oid>();
        current = (*entry)->oid();
        path.remove_prefix(slash + 1);
    }
}

} // namespace

Result<std::optional<git_oid>> blob_at_path(git_odb* odb, const git_oid& tree,
                                            std::string_view path) {
    return find_blob<OdbObject>(
        tree, path, [odb](const git_oid& id, OdbObject& raw) -> Result<std::string_view> {
            if (int rc = git_odb_read(Setter(raw), odb, &id); rc != 0)
                return git::git_error(rc, "reading the tree " + git::to_hex(id));
            if (git_odb_object_type(raw.get()) != GIT_OBJECT_TREE)
                return Error(ErrorKind::invalid_input, git::to_hex(id) + " is not a tree");
            return std::string_view(static_cast<const char*>(git_odb_object_data(raw.get())),
                                    git_odb_object_size(raw.get()));
        });
}

Result<std::optional<git_oid>> blob_at_path(ObjectCache& objects, git_odb* odb, const git_oid& tree,
                                            std::string_view path) {
    return find_blob<RawObject>(
        tree, path, [&objects, odb](const git_oid& id, RawObject& raw) -> Result<std::string_view> {
            auto got = objects.get(odb, id, GIT_OBJECT_TREE);
            if (!got) return got.error().context("reading the tree " + git::to_hex(id));
            raw = std::move(*got);
            return data_of(raw);
        });
}

Result<std::optional<RawTreeEntry>> raw_tree_entry(std::string_view data, std::string_view name,
                                                   const git_oid& tree) {
    return find_entry(data, name, tree);
}

} // namespace provenant::git
