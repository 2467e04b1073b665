// Replaying notes along commits and carrying line attribution through git's line diff.
#include "git/replay.h"

#include <algorithm>
#include <spdlog/spdlog.h>

namespace provenant::git {

Result<FileLines> map_lines(const FileLines& lines, std::string_view old_text,
                            std::string_view new_text) {
    FileLines out(static_cast<size_t>(count_lines(new_text)) + 1);
    if (old_text == new_text) {
        for (size_t i = 1; i < out.size() && i < lines.size(); ++i)
            out[i] = lines[i];
        return out;
    }
    auto map = map_unchanged_lines(old_text, new_text);
    if (!map) return map.error();
    for (size_t i = 1; i < map->size() && i < lines.size(); ++i)
        if ((*map)[i] != 0 && (*map)[i] < out.size()) out[(*map)[i]] = lines[i];
    return out;
}

const std::string* Replayer::intern_commit(const git_oid& id) {
    auto hex = to_hex(id);
    auto& slot = commit_ids_[hex];
    if (!slot) slot = std::make_unique<std::string>(hex);
    return slot.get();
}

const Note* Replayer::note_of(const git_oid& commit) {
    auto hex = to_hex(commit);
    auto it = notes_cache_.find(hex);
    if (it == notes_cache_.end()) {
        auto note = notes_.read(commit);
        auto slot = std::make_unique<std::optional<Note>>();
        if (!note) {
            spdlog::warn("replay: ignoring the note of {}: {}", hex, note.error().message);
        } else if (*note && !(*note)->commit.empty() && (*note)->commit != hex) {
            // A note that names another commit was copied to the wrong one: never trust it.
            spdlog::warn("replay: the note of {} was written for {}; ignored", hex,
                         (*note)->commit);
        } else {
            *slot = std::move(*note);
        }
        it = notes_cache_.emplace(hex, std::move(slot)).first;
    }
    return it->second->has_value() ? &**it->second : nullptr;
}

namespace {

/// Applies one file entry of a note to the lines of the committed text.
void apply_note_file(const Note& note, const NoteFile& nf, const std::string* commit,
                     FileLines& lines) {
    auto set = [&](uint32_t line, LineClass cls) {
        if (line == 0 || line >= lines.size()) return;
        lines[line] = LineAttr{cls, nullptr, commit};
    };
    for (LineClass c : kNoteLineClasses)
        for (uint32_t l : nf.lines(c))
            set(l, c);
    for (const auto& [id, ls] : nf.by_origin) {
        auto o = note.origins.find(id);
        if (o == note.origins.end()) continue;
        for (uint32_t l : ls)
            if (l > 0 && l < lines.size() && lines[l] &&
                (lines[l]->cls == LineClass::Ai || lines[l]->cls == LineClass::AiModified))
                lines[l]->origin = &o->second;
    }
}

} // namespace

Status Replayer::replay(const std::vector<git_oid>& chain, TreeState& state) {
    for (const git_oid& c : chain) {
        auto changes = repo_.added_lines(c);
        if (!changes) return changes.error().context("replaying " + to_hex(c));
        const Note* note = note_of(c);
        const std::string* commit = intern_commit(c);
        TreeState next_files;
        std::vector<std::string> renamed_away;
        for (const FileDiff& fc : *changes) {
            if (!fc.skipped.empty()) {
                state.erase(fc.path);
                continue;
            }
            auto text = repo_.blob_text(fc.blob);
            if (!text) return text.error();
            FileState fs;
            auto prev = fc.old_path.empty() ? state.end() : state.find(fc.old_path);
            if (prev != state.end()) {
                auto mapped = map_lines(prev->second.lines, prev->second.text, *text);
                if (!mapped) return mapped.error();
                fs.lines = std::move(*mapped);
            } else {
                fs.lines.assign(static_cast<size_t>(count_lines(*text)) + 1, std::nullopt);
            }
            // Lines the commit adds: what its note says, else nothing is known of them.
            for (uint32_t l : fc.added)
                if (l < fs.lines.size()) fs.lines[l].reset();
            if (note != nullptr) {
                auto nf = note->files.find(fc.path);
                if (nf != note->files.end() && nf->second.blob == to_hex(fc.blob) &&
                    nf->second.skipped.empty())
                    apply_note_file(*note, nf->second, commit, fs.lines);
            }
            fs.text = std::move(*text);
            if (fc.status == FileDiff::Status::Renamed && fc.old_path != fc.path)
                renamed_away.push_back(fc.old_path);
            next_files[fc.path] = std::move(fs);
        }
        for (auto& p : renamed_away)
            state.erase(p);
        for (auto& [p, fs] : next_files)
            state[p] = std::move(fs);
    }
    return {};
}

Result<std::map<std::string, FileLines>> Replayer::carry(const TreeState& state,
                                                         const git_oid& from, const git_oid& to) {
    std::map<std::string, FileLines> out;
    if (state.empty()) return out;
    auto changes = repo_.added_lines(to);
    if (!changes) return changes.error().context("carrying to " + to_hex(to));

    // Paths of `to` that `from` had under another name.
    std::map<std::string, std::string> renames;
    bool need_renames = std::any_of(changes->begin(), changes->end(), [&](const FileDiff& fc) {
        return fc.skipped.empty() && !state.count(fc.path);
    });
    if (need_renames) {
        auto cf = repo_.lookup_commit(from);
        auto ct = repo_.lookup_commit(to);
        if (!cf) return cf.error();
        if (!ct) return ct.error();
        Tree tf, tt;
        if (git_commit_tree(Setter(tf), cf->get()) != 0 ||
            git_commit_tree(Setter(tt), ct->get()) != 0)
            return git_error("reading trees");
        auto between = repo_.added_lines(tf.get(), tt.get());
        if (!between) return between.error();
        for (auto& fc : *between)
            if (!fc.old_path.empty() && fc.old_path != fc.path) renames[fc.path] = fc.old_path;
    }

    for (const FileDiff& fc : *changes) {
        if (!fc.skipped.empty() || fc.added.empty()) continue;
        auto src = state.find(fc.path);
        if (src == state.end()) {
            auto r = renames.find(fc.path);
            if (r != renames.end()) src = state.find(r->second);
        }
        if (src == state.end()) continue;
        auto text = repo_.blob_text(fc.blob);
        if (!text) return text.error();
        auto mapped = map_lines(src->second.lines, src->second.text, *text);
        if (!mapped) return mapped.error();
        out[fc.path] = std::move(*mapped);
    }
    return out;
}

Result<std::vector<git_oid>>
Replayer::first_parent_path(const git_oid& tip, const std::optional<git_oid>& stop, size_t limit) {
    std::vector<git_oid> path;
    std::optional<git_oid> cur = tip;
    while (cur && path.size() < limit) {
        if (stop && git_oid_equal(&*cur, &*stop)) break;
        path.push_back(*cur);
        auto parent = repo_.first_parent(*cur);
        if (!parent) return parent.error();
        cur = *parent;
    }
    std::reverse(path.begin(), path.end());
    return path;
}

Result<FileState> Replayer::attribution_at(const git_oid& commit, const std::string& path,
                                           size_t depth) {
    auto chain = first_parent_path(commit, std::nullopt, depth);
    if (!chain) return chain.error();
    TreeState state;
    auto st = replay(*chain, state);
    if (!st) return st.error();
    auto text = repo_.text_at(commit, path);
    if (!text) return text.error();
    FileState out;
    if (!*text) return out;
    auto it = state.find(path);
    if (it == state.end()) {
        out.text = **text;
        out.lines.assign(static_cast<size_t>(count_lines(out.text)) + 1, std::nullopt);
        return out;
    }
    // Deletions are not replayed; a stale state is mapped onto the real text.
    auto mapped = map_lines(it->second.lines, it->second.text, **text);
    if (!mapped) return mapped.error();
    out.text = std::move(**text);
    out.lines = std::move(*mapped);
    return out;
}

} // namespace provenant::git
