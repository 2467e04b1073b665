// Carrying old commits' notes onto a new commit (post-rewrite and the rewrites attach finds).
#include "git/rewrite.h"

#include "core/utf8.h"
#include "git/gitai_writer.h"
#include "git/replay.h"

#include <algorithm>
#include <istream>
#include <map>
#include <set>
#include <spdlog/spdlog.h>
#include <sstream>

namespace provenant::git {
namespace {

/// Commits replayed to rebuild a whole tree's attribution (a revert's restored lines): older
/// lines are then unknown, a gap rather than a cost that grows with history.
constexpr size_t kMaxStateDepth = 512;

OriginClass char_class(LineClass c) {
    switch (c) {
    case LineClass::Ai:
    case LineClass::AiModified:
        return OriginClass::Ai;
    case LineClass::Human:
        return OriginClass::Human;
    case LineClass::Paste:
        return OriginClass::Paste;
    default:
        return OriginClass::Unknown;
    }
}

/// Orders `olds` by ancestry: the chain along first parents from the earliest to the one
/// that descends from all others, and the olds off that chain (replayed one by one).
struct OldsLayout {
    std::optional<git_oid> tip;
    std::vector<git_oid> chain;
    std::vector<git_oid> loose;
};

Result<OldsLayout> layout_olds(const Repo& repo, Replayer& rp, const std::vector<git_oid>& olds) {
    OldsLayout out;
    for (const git_oid& c : olds) {
        bool all = true;
        for (const git_oid& o : olds)
            if (!git_oid_equal(&c, &o) && git_graph_descendant_of(repo.get(), &c, &o) != 1) {
                all = false;
                break;
            }
        if (all) {
            out.tip = c;
            break;
        }
    }
    if (!out.tip) {
        out.loose = olds;
        return out;
    }
    std::set<std::string> wanted;
    for (auto& o : olds)
        wanted.insert(to_hex(o));
    auto path = rp.first_parent_path(*out.tip, std::nullopt, 512);
    if (!path) return path.error();
    // Keep the path from the earliest old on it.
    size_t first = path->size();
    for (size_t i = 0; i < path->size(); ++i)
        if (wanted.count(to_hex((*path)[i]))) {
            first = i;
            break;
        }
    std::set<std::string> on_chain;
    for (size_t i = first; i < path->size(); ++i) {
        out.chain.push_back((*path)[i]);
        on_chain.insert(to_hex((*path)[i]));
    }
    for (auto& o : olds)
        if (!on_chain.count(to_hex(o))) out.loose.push_back(o);
    return out;
}

bool lists_old(const std::optional<Note>& existing, const std::string& hex) {
    if (!existing || !existing->rewrite) return false;
    const auto& from = existing->rewrite->from;
    return std::find(from.begin(), from.end(), hex) != from.end();
}

} // namespace

Result<std::optional<Note>> carry_note(const Repo& repo, const NoteStore& notes,
                                       const git_oid& target, const RewriteSources& sources,
                                       const std::optional<Note>& existing_in,
                                       CarryStats* stats_out) {
    const std::string target_hex = to_hex(target);
    std::optional<Note> existing = existing_in;
    if (existing && !existing->commit.empty() && existing->commit != target_hex) {
        spdlog::warn("rewrite: the note on {} names {}; replacing it", target_hex,
                     existing->commit);
        existing.reset();
    }
    std::vector<git_oid> olds;
    for (const git_oid& o : sources.olds)
        if (!git_oid_equal(&o, &target) &&
            std::none_of(olds.begin(), olds.end(),
                         [&](const git_oid& x) { return git_oid_equal(&x, &o); }))
            olds.push_back(o);

    Replayer rp(repo, notes);
    std::map<std::string, FileLines> carried;
    if (sources.state_at) {
        auto chain = rp.first_parent_path(*sources.state_at, std::nullopt, kMaxStateDepth);
        if (!chain) return chain.error();
        TreeState state;
        auto st = rp.replay(*chain, state);
        if (!st) return st.error();
        auto c = rp.carry(state, *sources.state_at, target);
        if (!c) return c.error();
        carried = std::move(*c);
    } else if (!olds.empty()) {
        auto layout = layout_olds(repo, rp, olds);
        if (!layout) return layout.error();
        if (layout->tip) {
            TreeState state;
            auto st = rp.replay(layout->chain, state);
            if (!st) return st.error();
            auto c = rp.carry(state, *layout->tip, target);
            if (!c) return c.error();
            carried = std::move(*c);
        }
        for (const git_oid& o : layout->loose) {
            TreeState state;
            auto st = rp.replay({o}, state);
            if (!st) return st.error();
            auto c = rp.carry(state, o, target);
            if (!c) return c.error();
            for (auto& [path, lines] : *c) {
                auto& into = carried[path];
                if (into.size() < lines.size()) into.resize(lines.size());
                for (size_t i = 1; i < lines.size(); ++i)
                    if (!into[i] && lines[i]) into[i] = lines[i];
            }
        }
    }

    auto changes = repo.added_lines(target);
    if (!changes) return changes.error();
    auto parent = repo.first_parent(target);
    if (!parent) return parent.error();

    Note out = existing ? *existing : Note{};
    out.commit = target_hex;
    out.parent = *parent ? to_hex(**parent) : std::string();
    CarryStats stats;
    bool tokens_moved = false;
    OriginIds ids(out);

    for (const FileDiff& fc : *changes) {
        if (!fc.skipped.empty()) continue;
        const std::string blob_hex = to_hex(fc.blob);
        auto cit = carried.find(fc.path);
        auto eit = out.files.find(fc.path);
        bool had = eit != out.files.end() && eit->second.blob == blob_hex;
        if (cit == carried.end() && had) {
            for (uint32_t l : fc.added) {
                auto e = eit->second.lookup(l);
                (e && e->first != LineClass::Unknown ? stats.kept : stats.unknown)++;
            }
            continue; // nothing carried into this file: the new commit's own note stands
        }
        NoteFile old_file = had ? eit->second : NoteFile{};
        NoteFile nf;
        nf.blob = blob_hex;
        nf.truncated = old_file.truncated;
        nf.chars = old_file.chars;
        auto text = repo.blob_text(fc.blob);
        if (!text) return text.error();
        auto visible = utf8::visible_per_line(*text);
        for (uint32_t l : fc.added) {
            std::optional<LineAttr> c;
            if (cit != carried.end() && l < cit->second.size()) c = cit->second[l];
            auto e = had ? old_file.lookup(l) : std::nullopt;
            LineClass cls = LineClass::Unknown;
            std::string origin;
            if (c && c->cls != LineClass::Unknown) {
                cls = c->cls;
                if (c->origin != nullptr) origin = ids.intern(c->origin->record);
                ++stats.carried;
            } else if (e) {
                cls = e->first;
                origin = e->second;
                (cls != LineClass::Unknown ? stats.kept : stats.unknown)++;
            } else {
                ++stats.unknown;
            }
            nf.lines(cls).push_back(l);
            if (!origin.empty() && (cls == LineClass::Ai || cls == LineClass::AiModified))
                nf.by_origin[origin].push_back(l);
            // Character shares follow the line's class change.
            uint64_t n = l < visible.size() ? visible[l] : 0;
            if (!had) {
                nf.chars[char_class(cls)] += n;
            } else if (e && char_class(e->first) != char_class(cls)) {
                auto& from = nf.chars[char_class(e->first)];
                from -= std::min(from, n);
                nf.chars[char_class(cls)] += n;
            }
        }
        out.files[fc.path] = std::move(nf);
    }

    // Token usage moves with the lines when the olds leave the branch, once.
    if (sources.carry_tokens)
        for (const git_oid& o : olds) {
            if (lists_old(existing, to_hex(o))) continue;
            const Note* on = rp.note_of(o);
            if (on == nullptr) continue;
            for (const auto& [id, origin] : on->origins) {
                if (origin.tokens.empty()) continue;
                out.origins[ids.intern(origin.record)].tokens += origin.tokens;
                tokens_moved = true;
            }
        }
    // Drop origins this carry interned but no line uses and no usage justifies.
    for (auto it = out.origins.begin(); it != out.origins.end();) {
        bool ours = !existing || !existing->origins.count(it->first);
        if (ours && it->second.tokens.empty() && !it->second.funnel &&
            !out.origin_has_lines(it->first))
            it = out.origins.erase(it);
        else
            ++it;
    }

    if (stats_out) *stats_out = stats;
    if (!existing && stats.carried == 0 && !tokens_moved) return std::optional<Note>{};
    NoteRewrite rw;
    rw.kind = sources.kind;
    if (existing && existing->rewrite) rw.from = existing->rewrite->from;
    for (const git_oid& o : olds)
        if (std::find(rw.from.begin(), rw.from.end(), to_hex(o)) == rw.from.end())
            rw.from.push_back(to_hex(o));
    if (!rw.from.empty()) out.rewrite = rw;
    return std::optional<Note>(std::move(out));
}

Result<Note> restrict_to_new_lines(const Repo& repo, const git_oid& commit, Note note) {
    auto c = repo.lookup_commit(commit);
    if (!c) return c.error();
    unsigned parents = git_commit_parentcount(c->get());
    if (parents < 2) return note;
    for (auto fit = note.files.begin(); fit != note.files.end();) {
        NoteFile& nf = fit->second;
        auto text = repo.text_at(commit, fit->first);
        if (!text) return text.error();
        if (!*text || !nf.skipped.empty()) {
            ++fit;
            continue;
        }
        std::set<uint32_t> inherited;
        for (unsigned i = 0; i < parents; ++i) {
            const git_oid* pid = git_commit_parent_id(c->get(), i);
            auto ptext = repo.text_at(*pid, fit->first);
            if (!ptext) return ptext.error();
            if (!*ptext) continue;
            auto map = map_unchanged_lines(**ptext, **text);
            if (!map) return map.error();
            for (size_t l = 1; l < map->size(); ++l)
                if ((*map)[l] != 0) inherited.insert((*map)[l]);
        }
        auto visible = utf8::visible_per_line(**text);
        auto drop = [&](std::vector<uint32_t>& v, std::optional<LineClass> cls) {
            v.erase(std::remove_if(v.begin(), v.end(),
                                   [&](uint32_t l) {
                                       if (!inherited.count(l)) return false;
                                       if (cls && l < visible.size()) {
                                           auto& n = nf.chars[char_class(*cls)];
                                           n -= std::min(n, visible[l]);
                                       }
                                       return true;
                                   }),
                    v.end());
        };
        for (LineClass cls : kNoteLineClasses)
            drop(nf.lines(cls), cls);
        for (auto bit = nf.by_origin.begin(); bit != nf.by_origin.end();) {
            drop(bit->second, std::nullopt);
            bit = bit->second.empty() ? nf.by_origin.erase(bit) : std::next(bit);
        }
        bool empty = true;
        for (LineClass cls : kNoteLineClasses)
            empty = empty && nf.lines(cls).empty();
        fit = empty && nf.truncated.empty() ? note.files.erase(fit) : std::next(fit);
    }
    return note;
}

Note refine_attached_note(const Repo& repo, const git_oid& commit, Note note,
                          const HookContext* context) {
    try {
        auto restricted = restrict_to_new_lines(repo, commit, note);
        if (!restricted)
            spdlog::warn("attach: merge commit lines: {}", restricted.error().message);
        else
            note = std::move(*restricted);
        auto sources = find_rewrite_sources(repo, commit, context);
        if (!sources) {
            spdlog::warn("attach: looking for rewrite sources: {}", sources.error().message);
            return note;
        }
        if (!*sources) return note;
        NoteStore notes(repo);
        CarryStats stats;
        auto carried = carry_note(repo, notes, commit, **sources, note, &stats);
        if (!carried) {
            spdlog::warn("attach: carrying from {}: {}", (*sources)->kind, carried.error().message);
            return note;
        }
        spdlog::info("attach: {} carried {} lines", (*sources)->kind, stats.carried);
        if (*carried) return std::move(**carried);
    } catch (const std::exception& e) {
        spdlog::warn("attach: refining the note: {}", e.what());
    }
    return note;
}

Result<std::vector<RewritePair>> parse_rewrite_pairs(std::istream& in) {
    std::vector<RewritePair> out;
    std::string line;
    size_t n = 0;
    while (std::getline(in, line)) {
        ++n;
        std::istringstream fields(line);
        std::string a, b;
        if (!(fields >> a)) continue; // blank
        if (!(fields >> b))
            return Error(ErrorKind::usage, "post-rewrite input line " + std::to_string(n) +
                                               ": expected '<old> <new>'");
        auto o = oid_from_hex(a);
        auto w = oid_from_hex(b);
        // git's post-rewrite input is the hook's interface, like its command line: wrong
        // input is a usage error.
        for (const auto* id : {&o, &w})
            if (!*id)
                return Error(ErrorKind::usage, "post-rewrite input line " + std::to_string(n) +
                                                   ": " + id->error().message);
        out.push_back({*o, *w});
    }
    return out;
}

Result<RewriteReport> apply_rewrites(const Repo& repo, const std::string& kind,
                                     const std::vector<RewritePair>& pairs) {
    // Group olds by new commit, keeping git's order (several olds: squash / fixup).
    std::vector<std::pair<git_oid, std::vector<git_oid>>> groups;
    for (const auto& p : pairs) {
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const auto& g) { return git_oid_equal(&g.first, &p.new_id); });
        if (it == groups.end())
            groups.push_back({p.new_id, {p.old_id}});
        else
            it->second.push_back(p.old_id);
    }
    RewriteReport report;
    NoteStore notes(repo);
    for (const auto& [new_id, olds] : groups) {
        ++report.new_commits;
        const std::string hex = to_hex(new_id);
        auto existing = notes.read(new_id);
        std::optional<Note> current;
        if (!existing)
            report.problems.push_back(
                hex + ": its note is unreadable, replaced: " + existing.error().message);
        else
            current = std::move(*existing);
        RewriteSources sources{kind, olds, true};
        CarryStats stats;
        auto note = carry_note(repo, notes, new_id, sources, current, &stats);
        if (!note) {
            report.problems.push_back(hex + ": " + note.error().message);
            continue;
        }
        report.lines.carried += stats.carried;
        report.lines.kept += stats.kept;
        report.lines.unknown += stats.unknown;
        if (!*note || (current && **note == *current)) continue;
        auto st = notes.write(new_id, **note);
        if (st) st = write_gitai_note_if_enabled(repo, new_id, **note);
        if (!st) {
            report.problems.push_back(hex + ": " + st.error().message);
            continue;
        }
        ++report.notes_written;
    }
    return report;
}

} // namespace provenant::git
