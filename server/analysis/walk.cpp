// The line-fates walk: commits oldest first, each diffed against its first parent with git's
// own algorithm (libgit2 tree diff, rename detection, zero-context patches); line ids shift
// through unchanged text, end in hunks' old sides and are born in their new sides.
#include "analysis/walk.h"

#include "analysis/commit_diff.h"
#include "analysis/diff_pipeline.h"
#include "analysis/listing_cache.h"
#include "analysis/new_commits.h"
#include "git/line_map.h"
#include "git/note_reader.h"
#include "git/path_diff.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace provenant::analysis {

std::string_view to_string(EndBy b) {
    switch (b) {
    case EndBy::Deleted:
        return "deleted";
    case EndBy::Human:
        return "human";
    case EndBy::Ai:
        return "ai";
    case EndBy::Paste:
        return "paste";
    case EndBy::Unknown:
        return "unknown";
    }
    return "deleted";
}

namespace {

using git::Setter;

/// The delta bases the notes' reader keeps: a note blob is read once, but its delta chain
/// shares bases with the next notes'.
constexpr size_t kNoteBases = size_t{16} << 20;

/// Walked commits by id -> walk index.
using CommitIndex = std::unordered_map<git_oid, uint32_t, git::OidHash, git::OidEq>;

/// One file at one commit: its blob and the id of each of its lines (empty when the file's
/// lines are not followed: binary, too large, not a regular file).
struct FileState {
    git_oid blob{};
    std::vector<uint32_t> ids;
};
using TreeState = std::map<std::string, std::shared_ptr<const FileState>, std::less<>>;

EndBy end_by_of(LineClass c) {
    switch (c) {
    case LineClass::Ai:
        return EndBy::Ai;
    case LineClass::AiModified: // a person edited the AI's line: a person's rework
    case LineClass::Human:
        return EndBy::Human;
    case LineClass::Paste:
        return EndBy::Paste;
    case LineClass::Unknown:
        return EndBy::Unknown;
    case LineClass::Blank:
        break;
    }
    return EndBy::Deleted;
}

/// git_diff_tree_to_tree over only the paths that differ (changed_paths), with renames found
/// as git finds them; null when no path differs. `context` names the commit in errors.
Result<git::Diff> tree_diff(git_repository* repo, git_tree* old_tree, git_tree* new_tree,
                            const git_diff_options& base, const std::string& context) {
    std::vector<std::string> paths;
    if (auto st = git::changed_paths(repo, old_tree, new_tree, "", paths); !st) return st.error();
    std::sort(paths.begin(), paths.end());
    paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
    // No path differs: no diff (an empty pathspec would mean "everything").
    if (paths.empty()) return git::Diff();
    return git::diff_paths_with_renames(repo, old_tree, new_tree, paths, base, context);
}

/// The walk's mutable state; one instance per walk_history call.
class Walker {
public:
    Walker(const git::Repo& repo, Fates& out) : repo_(repo), out_(out), differ_(repo.get()) {
        // libgit2 hashes every object it reads again to check its id (git itself does not, on
        // reads): a tenth of the walk's time. A damaged object still fails: zlib checks every
        // object's stream.
        git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
        // The walk's diffs keep the trees they read themselves (git::ObjectCache, bounded);
        // libgit2 also kept every tree up to 4 KiB, each version of a root directory of a few
        // hundred entries: at 100,000 commits its cache filled its 256 MiB with trees no one
        // reads again. (A process-wide setting: the report's process reads trees only here.)
        git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, size_t{0});
        // Nor commits: the walk reads each once (its rows), and libgit2 kept all of them,
        // parsed, for the process's life (at 100,000 commits, tens of MiB that grew with the
        // history).
        git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT, size_t{0});
    }

    /// Checkpoints (Fates::checkpoints) every `every` commits; 0: automatic.
    void checkpoint_every(uint32_t every) { every_ = every; }
    /// Where resume gets the stored checkpoints when it needs them (else Fates::checkpoints).
    void checkpoint_loader(const CheckpointLoader& load) { load_checkpoints_ = load; }
    Status run(const std::vector<git_oid>& tips, const Progress& progress);
    /// Goes on from the fates (and frontier) `out` already holds.
    Status resume(const std::vector<git_oid>& tips, const Progress& progress);

private:
    Status process_range(uint32_t from, const Progress& progress);
    /// The file states of childless commits, into out_.frontier.
    void export_frontier();
    Status list_commits(const std::vector<git_oid>& tips);
    Status process(uint32_t i);
    Status apply_delta(uint32_t i, const ChangedFile& file, TreeState& state,
                       const TreeState& base);
    uint32_t intern_path(const std::string& p);
    uint32_t intern_origin(const OriginRecord& r);
    /// The note's entry for `path` when it describes `blob`, else null.
    const NoteFile* note_file(const std::string& path, const git_oid& blob) const;
    /// The class and origin of line `line` from a note's file entry (`unknown` without one).
    std::pair<LineClass, uint32_t> note_class(const NoteFile* file, uint32_t line) const;
    /// Fills the rows, trees and child counts of commits [from, ids_.size()) from git; the
    /// states of parents below `from` (stored commits) that are not stored tips are rebuilt
    /// (replay_stored). The commits are read through `source` (a handle of repo_'s repository).
    Status read_commit_rows(uint32_t from, const CommitIndex& index, std::vector<uint32_t>& needed,
                            git_repository* source);
    /// Opens the notes: all listed at once for a walk of many commits (one read of the notes
    /// trees), else read per commit (a few commits of a long history: listing every note
    /// would cost more than the walk).
    void open_notes(size_t commits);
    /// Rebuilds the file states of the stored commits `needed` by diffing again the stored
    /// commits between them and the nearest stored states (tips or checkpoints): the same
    /// diffs give the same line ids (a commit's born lines are numbered from its stored
    /// first_line), checked against the stored counts.
    Status replay_stored(std::vector<uint32_t> needed);
    /// Whether commit i gets a checkpoint (walk order, a fixed spacing per walk).
    bool is_checkpoint(uint32_t i) const;
    /// Records that commit `c` ended line `id`.
    void end_line(uint32_t id, uint32_t c, EndBy by);
    /// Whether an end of `id` at merge `c` would add nothing: the line's last recorded end is
    /// at an ancestor of `c` dated no later. Every metric reads a line's earliest end on a
    /// path (the smallest merge or release index, the earliest end among --at's ancestors),
    /// which that ancestor's end already is. Without this, a merge of a long-lived branch
    /// whose files keep other line ids than the target's (the same text committed on both,
    /// as in a mirror) ended the same lines again at every merge: 29 million ends for
    /// tmux's 487,000 lines.
    bool already_ended(uint32_t id, uint32_t c);
    /// Marks every ancestor of `c` (itself included) with `c` in anc_mark_.
    void mark_ancestors_of(uint32_t c);
    /// For a merge: ends, at commit i, the lines of other parents' versions that the merge
    /// result does not have (a resolution that dropped them).
    Status end_dropped(uint32_t i, git_tree* tree, const TreeState& state);
    /// For a merge: new line (1-based) -> a line id an other parent's version has there.
    Result<std::unordered_map<uint32_t, uint32_t>> inherited(uint32_t i, const std::string& path,
                                                             const git_oid& blob) const;

    const git::Repo& repo_;
    Fates& out_;
    // The packs (set when the notes are listed: open_notes), before notes_, which reads them.
    std::unique_ptr<git::PackReader> packs_;
    std::optional<git::NoteReader> notes_;
    CommitDiffer differ_;
    CommitDiff diff_; // the commit being processed (reused: no allocations per commit)
    // process_range's diffs, made ahead on another thread (null: diffed here, as replays are).
    std::unique_ptr<DiffPipeline> pipeline_;
    CheckpointLoader load_checkpoints_;
    std::vector<git_oid> ids_;
    std::vector<git_oid> trees_;
    std::vector<uint32_t> children_;
    std::vector<std::unique_ptr<TreeState>> states_;
    std::unordered_map<std::string, uint32_t> path_index_;
    std::unordered_map<std::string, uint32_t> origin_index_;
    // The note of the commit being processed.
    std::optional<Note> note_;
    std::map<std::string, uint32_t> note_origins_; // note origin id -> interned origin
    // Replaying a stored commit: no rows, no ends; born lines take the stored ids from here.
    bool replay_ = false;
    uint32_t next_id_ = 0;
    uint32_t every_ = 0;                                 // checkpoint spacing (0: automatic)
    std::unordered_map<uint32_t, size_t> checkpoint_at_; // commit -> out_.checkpoints index
    std::vector<uint32_t> last_end_; // line -> the last commit that ended it (kNone: none)
    // already_ended's ancestors: anc_mark_[x] == marked_for_ when x is an ancestor of it.
    std::vector<uint32_t> anc_mark_;
    uint32_t marked_for_ = kNone;
    uint32_t stored_ = 0; // resume: the commits walked before, [0, stored_)
};

/// A stored state as the walk's.
Result<std::unique_ptr<TreeState>> to_state(const FrontierState& fs) {
    auto state = std::make_unique<TreeState>();
    for (const FrontierFile& f : fs.files) {
        auto file = std::make_shared<FileState>();
        auto blob = git::oid_from_hex(f.blob);
        if (!blob) return blob.error();
        file->blob = *blob;
        file->ids = f.ids;
        state->emplace(f.path, std::move(file));
    }
    return state;
}

FrontierState to_stored(uint32_t commit, const TreeState& state) {
    FrontierState fs;
    fs.commit = commit;
    for (const auto& [path, file] : state)
        fs.files.push_back({path, git::to_hex(file->blob), file->ids});
    return fs;
}

Status Walker::list_commits(const std::vector<git_oid>& tips) {
    // The rows are read from the commits the revwalk read, not inflated again.
    ListingCache listing(repo_);
    git::Revwalk walk;
    if (int rc = git_revwalk_new(Setter(walk), listing.get()); rc != 0)
        return git::git_error(rc, "starting a history walk");
    git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
    for (const git_oid& t : tips)
        if (int rc = git_revwalk_push(walk.get(), &t); rc != 0)
            return git::git_error(rc, "walking history from " + git::to_hex(t));
    CommitIndex index;
    git_oid id;
    int rc;
    while ((rc = git_revwalk_next(&id, walk.get())) == 0) {
        index.emplace(id, static_cast<uint32_t>(ids_.size()));
        ids_.push_back(id);
    }
    if (rc != GIT_ITEROVER) return git::git_error(rc, "walking history");
    walk.reset();
    listing.stop_keeping();
    std::vector<uint32_t> needed; // none: nothing is stored
    if (Status st = read_commit_rows(0, index, needed, listing.get()); !st) return st;
    open_notes(ids_.size());
    return {};
}

Status Walker::read_commit_rows(uint32_t from, const CommitIndex& index,
                                std::vector<uint32_t>& needed, git_repository* source) {
    const auto n = static_cast<uint32_t>(ids_.size());
    out_.commits.resize(n);
    trees_.resize(n);
    children_.resize(n, 0);
    for (uint32_t i = from; i < n; ++i) {
        git::Commit c;
        if (int rc = git_commit_lookup(Setter(c), source, &ids_[i]); rc != 0)
            return git::git_error(rc, "looking up commit " + git::to_hex(ids_[i]));
        CommitRow& row = out_.commits[i];
        row.id = git::to_hex(ids_[i]);
        trees_[i] = *git_commit_tree_id(c.get());
        const git_signature* a = git_commit_author(c.get());
        row.author_email = a != nullptr && a->email != nullptr ? a->email : "";
        row.author_time = a != nullptr ? a->when.time : 0;
        row.commit_time = git_commit_time(c.get());
        const unsigned parents = git_commit_parentcount(c.get());
        for (unsigned p = 0; p < parents; ++p) {
            auto it = index.find(*git_commit_parent_id(c.get(), p));
            if (it == index.end()) continue; // shallow clone: parent missing
            // A new commit on a stored commit that is not a tip: its state is rebuilt.
            if (it->second < from && !states_[it->second]) needed.push_back(it->second);
            row.parents.push_back(it->second);
            ++children_[it->second];
        }
    }
    return {};
}

void Walker::open_notes(size_t commits) {
    const bool listed = commits >= 64;
    notes_.emplace(repo_, listed);
    if (!listed) return;
    // The packs mapped once for both threads: the notes' blobs read here, the diffs' trees and
    // blobs on the diff thread (and replays here) each through a reader with its own cache.
    packs_ = git::PackReader::open(git_repository_commondir(repo_.get()), kNoteBases);
    notes_->use_packs(packs_.get());
    differ_.use_packs(packs_->share());
}

Status Walker::replay_stored(std::vector<uint32_t> needed) {
    if (load_checkpoints_) { // read from the store only now that a state must be rebuilt
        auto loaded = load_checkpoints_();
        if (!loaded) return loaded.error();
        out_.checkpoints = std::move(*loaded);
        load_checkpoints_ = nullptr;
        out_.stats.checkpoints_loaded = true;
        for (size_t k = 0; k < out_.checkpoints.size(); ++k) {
            if (out_.checkpoints[k].commit >= stored_)
                return Error(ErrorKind::invalid_input, "a checkpoint is out of range");
            checkpoint_at_.emplace(out_.checkpoints[k].commit, k);
        }
    }
    auto tree_of = [&](uint32_t c) -> Status {
        auto commit = repo_.lookup_commit(ids_[c]);
        if (!commit) return commit.error();
        trees_[c] = *git_commit_tree_id(commit->get());
        return {};
    };
    // The commits to diff again: back from `needed` to the nearest stored states.
    std::vector<uint32_t> order;
    std::unordered_set<uint32_t> seen;
    while (!needed.empty()) {
        const uint32_t c = needed.back();
        needed.pop_back();
        if (states_[c] || !seen.insert(c).second) continue;
        if (auto cp = checkpoint_at_.find(c); cp != checkpoint_at_.end()) {
            auto state = to_state(out_.checkpoints[cp->second]);
            if (!state) return state.error();
            states_[c] = std::move(*state);
            if (Status st = tree_of(c); !st) return st;
            continue;
        }
        if (Status st = tree_of(c); !st) return st;
        order.push_back(c);
        for (uint32_t p : out_.commits[c].parents) {
            ++children_[p];
            if (!states_[p]) needed.push_back(p);
        }
    }
    std::sort(order.begin(), order.end()); // walk order: parents first
    replay_ = true;
    for (uint32_t c : order) {
        if (Status st = process(c); !st) {
            replay_ = false;
            return st;
        }
    }
    replay_ = false;
    out_.stats.replayed += order.size();
    return {};
}

void Walker::end_line(uint32_t id, uint32_t c, EndBy by) {
    out_.ends.push_back(EndRow{id, c, by});
    if (id >= last_end_.size()) last_end_.resize(out_.lines.size(), kNone);
    if (id < last_end_.size()) last_end_[id] = c;
}

bool Walker::already_ended(uint32_t id, uint32_t c) {
    const uint32_t prev = id < last_end_.size() ? last_end_[id] : kNone;
    if (prev == kNone || prev == c) return prev == c;
    if (out_.commits[prev].commit_time > out_.commits[c].commit_time) return false;
    // One walk over the merge's ancestors serves all its lines (a walk per line's previous
    // end cost O(commits) each: minutes on tmux).
    if (marked_for_ != c) mark_ancestors_of(c);
    return anc_mark_[prev] == c;
}

void Walker::mark_ancestors_of(uint32_t c) {
    anc_mark_.resize(out_.commits.size(), kNone);
    std::vector<uint32_t> stack{c};
    anc_mark_[c] = c;
    while (!stack.empty()) {
        const uint32_t x = stack.back();
        stack.pop_back();
        for (uint32_t p : out_.commits[x].parents)
            if (anc_mark_[p] != c) {
                anc_mark_[p] = c;
                stack.push_back(p);
            }
    }
    marked_for_ = c;
}

bool Walker::is_checkpoint(uint32_t i) const {
    if (every_ == kNoCheckpoints) return false;
    // About 16 per walk, at least 256 commits apart: bounded store, short replays.
    const uint32_t every =
        every_ != 0 ? every_ : std::max<uint32_t>(256, static_cast<uint32_t>(ids_.size() / 16));
    return (i + 1) % every == 0;
}

uint32_t Walker::intern_path(const std::string& p) {
    auto [it, fresh] = path_index_.emplace(p, static_cast<uint32_t>(out_.paths.size()));
    if (fresh) out_.paths.push_back(p);
    return it->second;
}

uint32_t Walker::intern_origin(const OriginRecord& r) {
    OriginRow row{r.tool, r.kind, r.model, r.session};
    std::string key = row.tool + '\x1f' + row.kind + '\x1f' + row.model + '\x1f' + row.session;
    auto [it, fresh] = origin_index_.emplace(key, static_cast<uint32_t>(out_.origins.size()));
    if (fresh) out_.origins.push_back(std::move(row));
    return it->second;
}

const NoteFile* Walker::note_file(const std::string& path, const git_oid& blob) const {
    if (!note_) return nullptr;
    auto fit = note_->files.find(path);
    if (fit == note_->files.end()) return nullptr;
    // A note whose blob is not the committed one says nothing about these lines (git-ai's
    // notes carry no blob ids).
    if (!fit->second.blob.empty() && fit->second.blob != git::to_hex(blob)) return nullptr;
    return &fit->second;
}

std::pair<LineClass, uint32_t> Walker::note_class(const NoteFile* file, uint32_t line) const {
    if (file == nullptr) return {LineClass::Unknown, 0};
    auto hit = file->lookup(line);
    if (!hit) return {LineClass::Unknown, 0};
    uint32_t origin = 0;
    if (auto oit = note_origins_.find(hit->second); oit != note_origins_.end())
        origin = oit->second;
    return {hit->first, origin};
}

Status Walker::end_dropped(uint32_t i, git_tree* tree, const TreeState& state) {
    const auto& parents = out_.commits[i].parents;
    for (size_t k = 1; k < parents.size(); ++k) {
        const TreeState* ps = states_[parents[k]].get();
        if (ps == nullptr) continue;
        git::Tree ptree;
        if (int rc = git_tree_lookup(Setter(ptree), repo_.get(), &trees_[parents[k]]); rc != 0)
            return git::git_error(rc, "reading a parent tree of " + out_.commits[i].id);
        git_diff_options opts;
        git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
        opts.flags |= GIT_DIFF_IGNORE_SUBMODULES;
        auto diff = tree_diff(repo_.get(), ptree.get(), tree, opts,
                              out_.commits[i].id + " against a parent");
        if (!diff) return diff.error();
        const size_t deltas = *diff ? git_diff_num_deltas(diff->get()) : 0;
        for (size_t d = 0; d < deltas; ++d) {
            const git_diff_delta* delta = git_diff_get_delta(diff->get(), d);
            if (delta->status == GIT_DELTA_ADDED) continue;
            auto old = ps->find(std::string_view(delta->old_file.path));
            if (old == ps->end() || old->second->ids.empty()) continue;
            std::unordered_set<uint32_t> kept;
            if (delta->status != GIT_DELTA_DELETED)
                if (auto now = state.find(std::string_view(delta->new_file.path));
                    now != state.end())
                    kept.insert(now->second->ids.begin(), now->second->ids.end());
            for (uint32_t id : old->second->ids)
                if (kept.count(id) == 0 && !already_ended(id, i)) end_line(id, i, EndBy::Deleted);
        }
    }
    return {};
}

Result<std::unordered_map<uint32_t, uint32_t>>
Walker::inherited(uint32_t i, const std::string& path, const git_oid& blob) const {
    std::unordered_map<uint32_t, uint32_t> out;
    const auto& parents = out_.commits[i].parents;
    std::optional<std::string> new_text;
    for (size_t k = 1; k < parents.size(); ++k) {
        const TreeState* ps = states_[parents[k]].get();
        if (ps == nullptr) continue;
        auto it = ps->find(path);
        if (it == ps->end() || it->second->ids.empty()) continue;
        if (!new_text) {
            auto t = repo_.blob_text(blob);
            if (!t) return t.error();
            new_text = std::move(*t);
        }
        auto old_text = repo_.blob_text(it->second->blob);
        if (!old_text) return old_text.error();
        auto map = git::unchanged_lines(*old_text, *new_text);
        if (!map) return map.error();
        const auto& ids = it->second->ids;
        for (size_t ol = 1; ol < map->size() && ol <= ids.size(); ++ol)
            if ((*map)[ol] != 0) out.emplace((*map)[ol], ids[ol - 1]);
    }
    return out;
}

Status Walker::apply_delta(uint32_t i, const ChangedFile& file, TreeState& state,
                           const TreeState& base) {
    auto end_all = [&](const std::string& path) {
        auto it = state.find(path);
        if (it == state.end()) return;
        if (!replay_)
            for (uint32_t id : it->second->ids)
                end_line(id, i, EndBy::Deleted);
        state.erase(it);
    };
    if (file.status == GIT_DELTA_DELETED) {
        end_all(file.old_path);
        return {};
    }
    const std::string& path = file.new_path;
    std::shared_ptr<const FileState> old;
    if (file.status != GIT_DELTA_ADDED) {
        if (auto it = base.find(std::string_view(file.old_path)); it != base.end())
            old = it->second;
    }
    if (file.new_mode == GIT_FILEMODE_COMMIT) { // a submodule has no lines
        end_all(file.old_path);
        return {};
    }
    auto fresh = std::make_shared<FileState>();
    fresh->blob = file.new_blob;
    if (!file.text) { // the lines of a binary file or a symlink are not followed
        if (old) end_all(file.old_path);
        state.erase(file.old_path);
        state[path] = std::move(fresh);
        return {};
    }
    // An old version whose lines were not followed (binary before) contributes nothing.
    static const std::vector<uint32_t> kNoIds;
    const std::vector<uint32_t>& old_ids = old ? old->ids : kNoIds;
    const bool old_followed = old && !old->ids.empty();

    std::unordered_map<uint32_t, uint32_t> from_other;
    if (out_.commits[i].parents.size() > 1) {
        auto inh = inherited(i, path, fresh->blob);
        if (!inh) return inh.error();
        from_other = std::move(*inh);
    }

    std::vector<uint32_t>& ids = fresh->ids;
    ids.reserve(old_ids.size());
    const NoteFile* file_note = nullptr;
    uint32_t path_id = 0;
    bool file_note_read = false;
    size_t old_pos = 0; // 0-based index of the next old line to copy
    for (uint32_t h = file.first_hunk; h < file.first_hunk + file.hunks; ++h) {
        const DiffHunk& hunk = diff_.hunks[h];
        // git numbers an empty side by the line before it.
        const size_t os = hunk.old_lines == 0 ? static_cast<size_t>(hunk.old_start)
                                              : static_cast<size_t>(hunk.old_start) - 1;
        while (old_pos < os && old_pos < old_ids.size())
            ids.push_back(old_ids[old_pos++]);
        if (!old_followed) old_pos = os;
        // The new side: born lines, or lines an other parent of a merge already had.
        std::array<uint32_t, 6> votes{};
        for (uint32_t l = hunk.first_added; l < hunk.first_added + hunk.added; ++l) {
            const AddedLine& line = diff_.added[l];
            const uint32_t new_no = line.new_no;
            if (!from_other.empty())
                if (auto it = from_other.find(new_no); it != from_other.end()) {
                    ids.push_back(it->second);
                    if (!replay_) ++votes[static_cast<size_t>(out_.lines[it->second].cls)];
                    continue;
                }
            if (replay_) { // the stored line born here
                ids.push_back(next_id_++);
                continue;
            }
            LineRow row;
            row.birth = i;
            if (!file_note_read) { // once per file, on its first born line
                file_note = note_file(path, fresh->blob);
                path_id = intern_path(path);
                file_note_read = true;
            }
            row.path = path_id;
            if (line.blank) {
                row.cls = LineClass::Blank;
            } else {
                auto [cls, origin] = note_class(file_note, new_no);
                row.cls = cls;
                row.origin = origin;
            }
            ++votes[static_cast<size_t>(row.cls)];
            ids.push_back(static_cast<uint32_t>(out_.lines.size()));
            out_.lines.push_back(row);
        }
        // What replaced the old side: the most common class of the new side's non-blank
        // lines (ties: ai, then human, paste, unknown, as in the line classifier).
        EndBy by = EndBy::Deleted;
        uint32_t best = 0;
        for (LineClass c : {LineClass::Ai, LineClass::AiModified, LineClass::Human,
                            LineClass::Paste, LineClass::Unknown}) {
            uint32_t v = votes[static_cast<size_t>(c)];
            if (c == LineClass::AiModified) v += votes[static_cast<size_t>(LineClass::Human)];
            if (c == LineClass::Human) v += votes[static_cast<size_t>(LineClass::AiModified)];
            if (v > best) {
                best = v;
                by = end_by_of(c);
            }
        }
        for (uint32_t k = 0; k < hunk.old_lines && old_pos < old_ids.size(); ++k) {
            if (!replay_) end_line(old_ids[old_pos], i, by);
            ++old_pos;
        }
    }
    while (old_pos < old_ids.size())
        ids.push_back(old_ids[old_pos++]);
    if (file.status == GIT_DELTA_RENAMED) state.erase(file.old_path);
    state[path] = std::move(fresh);
    return {};
}

Status Walker::process(uint32_t i) {
    CommitRow& row = out_.commits[i];
    note_.reset();
    note_origins_.clear();
    if (replay_) {
        next_id_ = row.first_line; // the row is stored: only the state is rebuilt
    } else {
        // The note first: born lines take their class from it.
        git::CommitNote cn = notes_->read(ids_[i]);
        row.note = cn.state;
        if (cn.state == NoteState::Unreadable) out_.warnings.push_back(cn.error);
        if (cn.note) note_ = std::move(cn.note);
    }
    if (note_) {
        for (const auto& [oid, o] : note_->origins) {
            const uint32_t idx = intern_origin(o.record);
            note_origins_[oid] = idx;
            CommitOrigin co;
            co.origin = idx;
            co.tokens = o.tokens;
            co.generated = o.funnel ? o.funnel->generated : 0;
            co.has_lines = note_->origin_has_lines(oid);
            row.origins.push_back(co);
        }
        if (note_->rewrite) row.rewritten_from = note_->rewrite->from;
    }
    if (!replay_) row.first_line = static_cast<uint32_t>(out_.lines.size());

    // The state to start from: the first parent's, moved when this is its last child.
    auto state = std::make_unique<TreeState>();
    const TreeState* base = nullptr;
    if (!row.parents.empty()) {
        const uint32_t p = row.parents[0];
        if (children_[p] == 1) {
            state = std::move(states_[p]);
            if (!state) state = std::make_unique<TreeState>();
        } else if (states_[p]) {
            *state = *states_[p];
        }
    }
    // The diff base is the first parent's state as it was: a copy only when moved-from
    // state is about to change, which apply_delta never reads (it reads `base` before
    // writing `state` for the same path, and each path appears once in a diff).
    base = state.get();
    if (row.parents.empty() || !git_oid_equal(&trees_[row.parents[0]], &trees_[i])) {
        if (pipeline_) {
            if (auto st = pipeline_->next(diff_); !st) return st;
        } else {
            const git_oid* parent_tree = row.parents.empty() ? nullptr : &trees_[row.parents[0]];
            if (auto st = differ_.diff(parent_tree, trees_[i], row.id, diff_); !st) return st;
        }
        // Renames read the old path from the base: take a snapshot of the entries a rename
        // or delete will remove before any file writes.
        TreeState before;
        for (const ChangedFile& file : diff_.files) {
            if (file.status == GIT_DELTA_ADDED) continue;
            if (auto it = base->find(std::string_view(file.old_path)); it != base->end())
                before.emplace(it->first, it->second);
        }
        for (const ChangedFile& file : diff_.files) {
            auto st = apply_delta(i, file, *state, before);
            if (!st) return st;
        }
    }
    if (row.parents.size() > 1 && !replay_) {
        git::Tree tree;
        if (int rc = git_tree_lookup(Setter(tree), repo_.get(), &trees_[i]); rc != 0)
            return git::git_error(rc, "reading the tree of " + row.id);
        auto st = end_dropped(i, tree.get(), *state);
        if (!st) return st;
    }
    if (!replay_)
        row.line_end = static_cast<uint32_t>(out_.lines.size());
    else if (next_id_ != row.line_end)
        return Error(ErrorKind::internal,
                     "diffing " + row.id + " again gave other lines than the stored walk");
    // Free parents' states no child needs any more.
    for (uint32_t p : row.parents)
        if (--children_[p] == 0) states_[p].reset();
    states_[i] = std::move(state); // childless: a tip, kept for the frontier
    return {};
}

Status Walker::process_range(uint32_t from, const Progress& progress) {
    states_.resize(ids_.size());
    // The diffs on a second thread when there is a second core and more than one commit.
    if (ids_.size() - from > 1 && std::thread::hardware_concurrency() > 1) {
        std::vector<DiffJob> jobs;
        for (uint32_t i = from; i < ids_.size(); ++i) {
            const CommitRow& row = out_.commits[i];
            // The commits process() diffs: a root, or a tree unlike its first parent's.
            if (!row.parents.empty() && git_oid_equal(&trees_[row.parents[0]], &trees_[i]))
                continue;
            DiffJob job;
            job.commit = ids_[i];
            job.tree = trees_[i];
            job.has_parent = !row.parents.empty();
            if (job.has_parent) job.parent_tree = trees_[row.parents[0]];
            jobs.push_back(job);
        }
        if (auto p =
                DiffPipeline::start(repo_, std::move(jobs), packs_ ? packs_->share() : nullptr))
            pipeline_ = std::move(*p);
        // else diffed here
    }
    struct Stop { // the producer stops with the range, an error included
        std::unique_ptr<DiffPipeline>& p;
        ~Stop() { p.reset(); }
    } stop{pipeline_};
    for (uint32_t i = from; i < ids_.size(); ++i) {
        auto st = process(i);
        if (!st) return st;
        ++out_.stats.walked;
        if (is_checkpoint(i) && states_[i]) out_.checkpoints.push_back(to_stored(i, *states_[i]));
        if (progress && (i % 256 == 0 || i + 1 == ids_.size())) progress(i + 1, ids_.size());
    }
    export_frontier();
    return {};
}

void Walker::export_frontier() {
    out_.frontier.clear();
    for (uint32_t i = 0; i < ids_.size(); ++i) {
        if (!states_[i]) continue; // freed or moved: a child took it
        out_.frontier.push_back(to_stored(i, *states_[i]));
    }
}

Status Walker::run(const std::vector<git_oid>& tips, const Progress& progress) {
    auto st = list_commits(tips);
    if (!st) return st;
    return process_range(0, progress);
}

Status Walker::resume(const std::vector<git_oid>& tips, const Progress& progress) {
    const auto old_n = static_cast<uint32_t>(out_.commits.size());
    stored_ = old_n;
    CommitIndex index;
    index.reserve(old_n);
    ids_.resize(old_n);
    for (uint32_t i = 0; i < old_n; ++i) {
        auto id = git::oid_from_hex(out_.commits[i].id);
        if (!id) return id.error();
        ids_[i] = *id;
        index.emplace(*id, i);
    }
    for (uint32_t i = 0; i < out_.paths.size(); ++i)
        path_index_.emplace(out_.paths[i], i);
    for (uint32_t i = 1; i < out_.origins.size(); ++i) {
        const OriginRow& o = out_.origins[i];
        origin_index_.emplace(o.tool + '\x1f' + o.kind + '\x1f' + o.model + '\x1f' + o.session, i);
    }
    trees_.resize(old_n);
    children_.assign(old_n, 0);
    states_.resize(old_n);
    last_end_.assign(out_.lines.size(), kNone);
    for (const EndRow& e : out_.ends) // walk order: the last one stays
        if (e.line < last_end_.size()) last_end_[e.line] = e.commit;
    for (size_t k = 0; k < out_.checkpoints.size(); ++k) {
        if (out_.checkpoints[k].commit >= old_n)
            return Error(ErrorKind::invalid_input, "a checkpoint is out of range");
        checkpoint_at_.emplace(out_.checkpoints[k].commit, k);
    }
    std::vector<uint32_t> frontier;
    for (FrontierState& fs : out_.frontier) {
        if (fs.commit >= old_n)
            return Error(ErrorKind::invalid_input, "a frontier commit is out of range");
        const git_oid& id = ids_[fs.commit];
        auto state = to_state(fs);
        if (!state) return state.error();
        states_[fs.commit] = std::move(*state);
        auto c = repo_.lookup_commit(id);
        if (!c) return c.error();
        trees_[fs.commit] = *git_commit_tree_id(c->get());
        frontier.push_back(fs.commit);
    }
    out_.frontier.clear();
    // Only the new commits are read: the search stops at stored commits.
    auto fresh =
        new_commits(repo_, tips, [&](const git_oid& id) { return index.find(id) != index.end(); });
    if (!fresh) return fresh.error();
    for (const git_oid& id : *fresh) {
        index.emplace(id, static_cast<uint32_t>(ids_.size()));
        ids_.push_back(id);
    }
    std::vector<uint32_t> needed;
    if (Status st = read_commit_rows(old_n, index, needed, repo_.get()); !st) return st;
    // Every stored commit is an ancestor of a frontier commit: all must still be reachable.
    // A frontier commit has no stored child, so it is reachable exactly when it is a tip or
    // the parent of a new commit (the first child on any path to it from a tip is new, and
    // the walk above lists every new commit): no search of the whole history.
    for (uint32_t f : frontier) {
        const bool tip = std::any_of(tips.begin(), tips.end(),
                                     [&](const git_oid& t) { return git_oid_equal(&t, &ids_[f]); });
        if (!tip && children_[f] == 0)
            return Error(ErrorKind::invalid_input, "the history was rewritten (" +
                                                       out_.commits[f].id +
                                                       " is no longer reachable)");
    }
    open_notes(ids_.size() - old_n);
    if (!needed.empty())
        if (Status st = replay_stored(std::move(needed)); !st) return st;
    return process_range(old_n, progress);
}

} // namespace

Result<std::vector<git_oid>> default_tips(const git::Repo& repo) {
    std::vector<git_oid> tips;
    for (const char* glob : {"refs/heads/*", "refs/remotes/*", "refs/tags/*"}) {
        git_reference_iterator* raw = nullptr;
        if (int rc = git_reference_iterator_glob_new(&raw, repo.get(), glob); rc != 0)
            return git::git_error(rc, "listing " + std::string(glob));
        std::unique_ptr<git_reference_iterator, void (*)(git_reference_iterator*)> it(
            raw, git_reference_iterator_free);
        git_reference* ref = nullptr;
        while (git_reference_next(&ref, it.get()) == 0) {
            git::Reference owned(ref);
            git::Object obj;
            if (git_reference_peel(Setter(obj), owned.get(), GIT_OBJECT_COMMIT) == 0)
                tips.push_back(*git_object_id(obj.get()));
            // a ref to a tree or blob (or a symbolic ref to nothing) has no history
        }
    }
    if (auto head = repo.resolve("HEAD")) tips.push_back(*head);
    std::sort(tips.begin(), tips.end(),
              [](const git_oid& a, const git_oid& b) { return git_oid_cmp(&a, &b) < 0; });
    tips.erase(
        std::unique(tips.begin(), tips.end(),
                    [](const git_oid& a, const git_oid& b) { return git_oid_equal(&a, &b); }),
        tips.end());
    return tips;
}

Result<Fates> extend_history(const git::Repo& repo, Fates old, const std::vector<git_oid>& tips,
                             const Progress& progress, uint32_t checkpoint_every,
                             const CheckpointLoader& load_checkpoints) {
    old.stats = {};
    Walker w(repo, old);
    w.checkpoint_every(checkpoint_every);
    if (load_checkpoints && old.checkpoints.empty()) w.checkpoint_loader(load_checkpoints);
    auto st = w.resume(tips, progress);
    if (!st) return st.error();
    return old;
}

Result<Fates> walk_history(const git::Repo& repo, const std::vector<git_oid>& tips,
                           const Progress& progress, uint32_t checkpoint_every) {
    Fates out;
    Walker w(repo, out);
    w.checkpoint_every(checkpoint_every);
    auto st = w.run(tips, progress);
    if (!st) return st.error();
    return out;
}

} // namespace provenant::analysis
