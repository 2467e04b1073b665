// blame by replaying the file's history through git's line diff, then reading the notes.
#include "git/blame.h"

#include "git/note_store.h"
#include "protocol/note.h"
#include "support/text_lines.h"

#include <dtl/dtl.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <spdlog/spdlog.h>
#include <string_view>
#include <unordered_map>

namespace provenant::git {

namespace {

/// Who last changed a line: an index into the walked commits, and its line number there.
struct Owner {
    uint32_t commit = 0;
    uint32_t line = 0;
};

/// The lines of a text (each with its newline, if any) and their hashes, computed once per
/// blob version and reused as the old side of the next diff.
struct Lines {
    std::string text;
    std::vector<std::string_view> lines;
    std::vector<uint64_t> hashes;
};

std::shared_ptr<const Lines> make_lines(std::string text) {
    auto l = std::make_shared<Lines>();
    l->text = std::move(text);
    std::string_view t = l->text;
    size_t pos = 0;
    while (pos < t.size()) {
        size_t nl = t.find('\n', pos);
        size_t end = nl == std::string_view::npos ? t.size() : nl + 1;
        l->lines.push_back(t.substr(pos, end - pos));
        l->hashes.push_back(std::hash<std::string_view>{}(l->lines.back()));
        pos = end;
    }
    return l;
}

/// For each 1-based line of `a`, its line in `b` when a line diff keeps it unchanged, else 0.
/// Common prefix and suffix are matched directly; the middle goes through dtl's O(NP) diff
/// on line hashes, and every match is confirmed by comparing the bytes (a hash collision can
/// only lose a match, never invent one).
std::vector<uint32_t> map_lines(const Lines& a, const Lines& b) {
    const size_t n = a.lines.size(), m = b.lines.size();
    std::vector<uint32_t> map(n + 1, 0);
    size_t pre = 0;
    while (pre < n && pre < m && a.lines[pre] == b.lines[pre]) {
        map[pre + 1] = static_cast<uint32_t>(pre + 1);
        ++pre;
    }
    size_t suf = 0;
    while (suf < n - pre && suf < m - pre && a.lines[n - 1 - suf] == b.lines[m - 1 - suf]) {
        map[n - suf] = static_cast<uint32_t>(m - suf);
        ++suf;
    }
    if (pre + suf == n || pre + suf == m) return map;
    std::vector<uint64_t> x(a.hashes.begin() + static_cast<long>(pre),
                            a.hashes.end() - static_cast<long>(suf));
    std::vector<uint64_t> y(b.hashes.begin() + static_cast<long>(pre),
                            b.hashes.end() - static_cast<long>(suf));
    dtl::Diff<uint64_t, std::vector<uint64_t>> diff(x, y);
    diff.onHuge();
    diff.compose();
    for (const auto& [elem, info] : diff.getSes().getSequence()) {
        (void)elem;
        if (info.type != dtl::SES_COMMON) continue;
        const size_t ai = pre + static_cast<size_t>(info.beforeIdx); // 1-based
        const size_t bi = pre + static_cast<size_t>(info.afterIdx);
        if (a.lines[ai - 1] == b.lines[bi - 1]) map[ai] = static_cast<uint32_t>(bi);
    }
    return map;
}

/// The file at one commit: its blob, lines and line owners (shared when unchanged).
struct FileAt {
    bool present = false;
    git_oid blob{};
    std::shared_ptr<const Lines> text;
    std::shared_ptr<const std::vector<Owner>> owners; // index 0 unused
};

std::string oid_key(const git_oid& id) {
    return std::string(reinterpret_cast<const char*>(id.id), GIT_OID_RAWSZ);
}

/// Lines of `text` without their newlines (for display).
bool is_blank(std::string_view line) {
    for (char c : line)
        if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v') return false;
    return true;
}

} // namespace

Result<std::vector<BlameLine>> blame_file(const Repo& repo, const std::string& path,
                                          const std::string& rev) {
    // libgit2 caches no tree over 4 KiB and no blob by default: the notes tree (one entry per
    // annotated commit) would be inflated and parsed again for every note read. Blame reads
    // many: let large trees and blobs stay in the (bounded) object cache.
    git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, size_t{4} << 20);
    git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_BLOB, size_t{1} << 20);
    git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, ssize_t{256} << 20);
    auto tip = repo.resolve(rev);
    if (!tip) return tip.error();
    {
        auto at_tip = repo.blob_id_at(*tip, path);
        if (!at_tip) return at_tip.error();
        if (!*at_tip) return Error("no file '" + path + "' at " + rev);
    }

    // All commits reachable from the tip, parents before children.
    Revwalk walk;
    if (git_revwalk_new(Setter(walk), repo.get()) != 0) return git_error("starting a history walk");
    git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
    if (git_revwalk_push(walk.get(), &*tip) != 0) return git_error("walking history from " + rev);
    std::vector<git_oid> commits;
    std::unordered_map<std::string, uint32_t> index;
    git_oid id;
    int rc;
    while ((rc = git_revwalk_next(&id, walk.get())) == 0) {
        index.emplace(oid_key(id), static_cast<uint32_t>(commits.size()));
        commits.push_back(id);
    }
    if (rc != GIT_ITEROVER) return git_error("walking history from " + rev);

    // Parents (as indices) and how many children still need each commit's state.
    std::vector<std::vector<uint32_t>> parents(commits.size());
    std::vector<uint32_t> children(commits.size(), 0);
    std::vector<git_oid> trees(commits.size());
    for (uint32_t i = 0; i < commits.size(); ++i) {
        auto c = repo.lookup_commit(commits[i]);
        if (!c) return c.error();
        trees[i] = *git_commit_tree_id(c->get());
        const unsigned n = git_commit_parentcount(c->get());
        for (unsigned p = 0; p < n; ++p) {
            auto it = index.find(oid_key(*git_commit_parent_id(c->get(), p)));
            if (it == index.end()) continue; // shallow clone: parent missing
            parents[i].push_back(it->second);
            ++children[it->second];
        }
    }

    std::vector<FileAt> state(commits.size());
    for (uint32_t i = 0; i < commits.size(); ++i) {
        FileAt& cur = state[i];
        // Same tree as a parent: same file, same owners.
        bool done = false;
        for (uint32_t p : parents[i])
            if (git_oid_equal(&trees[p], &trees[i])) {
                cur = state[p];
                done = true;
                break;
            }
        if (!done) {
            Tree tree;
            if (git_tree_lookup(Setter(tree), repo.get(), &trees[i]) != 0)
                return git_error("reading a tree");
            TreeEntry entry;
            int erc = git_tree_entry_bypath(Setter(entry), tree.get(), path.c_str());
            if (erc == 0 && git_tree_entry_type(entry.get()) == GIT_OBJECT_BLOB) {
                cur.present = true;
                cur.blob = *git_tree_entry_id(entry.get());
            } else if (erc != 0 && erc != GIT_ENOTFOUND) {
                return git_error("looking up " + path);
            }
            if (cur.present) {
                for (uint32_t p : parents[i])
                    if (state[p].present && git_oid_equal(&state[p].blob, &cur.blob)) {
                        cur = state[p];
                        done = true;
                        break;
                    }
            }
            if (cur.present && !done) {
                auto text = repo.blob_text(cur.blob);
                if (!text) return text.error();
                cur.text = make_lines(std::move(*text));
                const auto n = static_cast<uint32_t>(cur.text->lines.size());
                auto owners = std::make_shared<std::vector<Owner>>(n + 1);
                std::vector<uint8_t> owned(n + 1, 0);
                // Lines unchanged from a parent keep that parent's owner (first parent first).
                for (uint32_t p : parents[i]) {
                    if (!state[p].present) continue;
                    const std::vector<uint32_t> map = map_lines(*state[p].text, *cur.text);
                    const auto& po = *state[p].owners;
                    for (size_t ol = 1; ol < map.size(); ++ol) {
                        uint32_t nl = map[ol];
                        if (nl != 0 && !owned[nl]) {
                            (*owners)[nl] = po[ol];
                            owned[nl] = 1;
                        }
                    }
                }
                for (uint32_t l = 1; l <= n; ++l)
                    if (!owned[l]) (*owners)[l] = Owner{i, l};
                cur.owners = std::move(owners);
            }
        }
        // Free parents' states no child needs any more.
        for (uint32_t p : parents[i])
            if (--children[p] == 0) state[p] = FileAt{};
    }

    const FileAt& last = state.back();
    if (!last.present) return Error("no file '" + path + "' at " + rev);
    NoteStore notes(repo);
    // Per owning commit: its note's entry for `path` and its origins (when the blobs match).
    struct CommitNote {
        std::optional<NoteFile> file;
        std::map<std::string, NoteOrigin> origins;
    };
    std::unordered_map<uint32_t, CommitNote> cache;
    auto note_of = [&](uint32_t c) -> const CommitNote& {
        auto it = cache.find(c);
        if (it != cache.end()) return it->second;
        CommitNote cn;
        auto n = notes.read(commits[c]);
        if (!n) {
            spdlog::warn("blame: {}", n.error().message); // a broken note is a gap
        } else if (*n) {
            auto fit = (*n)->files.find(path);
            auto blob = repo.blob_id_at(commits[c], path);
            // A note whose blob does not match the commit says nothing about these lines.
            if (fit != (*n)->files.end() && blob && *blob && fit->second.blob == to_hex(**blob)) {
                cn.file = std::move(fit->second);
                cn.origins = std::move((*n)->origins);
            }
        }
        return cache.emplace(c, std::move(cn)).first->second;
    };

    std::vector<BlameLine> out;
    const auto lines = split_lines(last.text->text);
    const auto& owners = *last.owners;
    out.reserve(lines.size());
    for (uint32_t l = 1; l <= lines.size() && l < owners.size(); ++l) {
        BlameLine b;
        b.line = l;
        b.text = std::string(lines[l - 1]);
        const Owner o = owners[l];
        b.commit = to_hex(commits[o.commit]);
        b.origin_line = o.line;
        if (is_blank(b.text)) {
            b.cls = LineClass::Blank;
        } else {
            const CommitNote& cn = note_of(o.commit);
            if (cn.file) {
                if (auto hit = cn.file->lookup(o.line)) {
                    b.cls = hit->first;
                    if (auto oit = cn.origins.find(hit->second); oit != cn.origins.end()) {
                        b.tool = oit->second.record.tool;
                        b.model = oit->second.record.model;
                        b.session = oit->second.record.session;
                    }
                }
            }
        }
        out.push_back(std::move(b));
    }
    return out;
}

} // namespace provenant::git
