// attach: journal provenance -> classified added lines -> the commit's note; retire evidence.
#include "git/attach.h"

#include "core/carry.h"
#include "core/line_classifier.h"
#include "core/line_walk.h"
#include "git/attach_kept.h"
#include "git/attach_moves.h"
#include "git/gitai_writer.h"
#include "git/note_store.h"
#include "git/rewrite.h"
#include "journal/journal.h"
#include "journal/sessions.h"

#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <spdlog/spdlog.h>

namespace provenant::git {
namespace fs = std::filesystem;

namespace {

/// A note names origins without per-request ids: they add nothing to analysis and would make
/// one origin per agent tool call.
OriginRecord note_record(const OriginRecord& r) {
    OriginRecord c = r;
    c.request.clear();
    return c;
}

/// Builds a Note file by file; origin records get their ids from the note's OriginIds.
class NoteBuilder {
public:
    explicit NoteBuilder(Note& note) : note_(note), ids_(note) {}

    std::string intern(const OriginRecord& record) { return ids_.intern(note_record(record)); }

    /// Gives the classes that lines with no new characters had before (attach_kept.h).
    using KeptFn = std::function<std::map<uint32_t, KeptLine>(const std::vector<uint32_t>&)>;

    /// Records the added lines of `fc` from `s`, the committed text with its attribution.
    /// An added line with no new characters that `s` leaves unknown (committed text moved or
    /// re-indented, whose class the journal never knew) takes its earlier class from `kept`.
    void add_file(const FileDiff& fc, const Snapshot& s, const KeptFn& kept) {
        NoteFile nf;
        nf.blob = to_hex(fc.blob);
        const std::vector<LineVerdict> verdicts = classify_lines(s);
        const std::vector<uint8_t> fresh = lines_with_fresh_text(s);
        std::vector<uint32_t> old_lines;
        for (uint32_t l : fc.added)
            if (l > 0 && l <= verdicts.size() && verdicts[l - 1].cls == LineClass::Unknown &&
                l < fresh.size() && fresh[l] == 0)
                old_lines.push_back(l);
        const std::map<uint32_t, KeptLine> earlier =
            old_lines.empty() || !kept ? std::map<uint32_t, KeptLine>{} : kept(old_lines);
        std::vector<uint8_t> added(verdicts.size() + 1, 0);
        for (uint32_t l : fc.added) {
            if (l == 0 || l > verdicts.size()) continue; // cannot happen for a git diff
            added[l] = 1;
            const LineVerdict& v = verdicts[l - 1];
            if (v.cls == LineClass::Blank) continue;
            if (auto k = earlier.find(l); k != earlier.end()) {
                nf.lines(k->second.cls).push_back(l);
                if (k->second.origin) nf.by_origin[intern(*k->second.origin)].push_back(l);
                continue;
            }
            nf.lines(v.cls).push_back(l);
            if ((v.cls == LineClass::Ai || v.cls == LineClass::AiModified) && v.origin)
                nf.by_origin[intern(s.origins.at(*v.origin))].push_back(l);
        }
        count_fresh_chars(s, added, nf.chars);
        if (!nf.human.empty() || !nf.ai.empty() || !nf.ai_modified.empty() || !nf.paste.empty() ||
            !nf.unknown.empty())
            note_.files[fc.path] = std::move(nf);
    }

    void add_skipped(const FileDiff& fc) {
        NoteFile nf;
        nf.blob = to_hex(fc.blob);
        nf.skipped = fc.skipped;
        note_.files[fc.path] = std::move(nf);
    }

private:
    /// Per line (1-based; index 0 unused): 1 when it has a fresh non-whitespace character, 0
    /// when it has non-whitespace characters and none is fresh, 2 when it has none.
    static std::vector<uint8_t> lines_with_fresh_text(const Snapshot& s) {
        std::vector<uint8_t> out(2, 2);
        (void)walk_lines(
            s, /*lone_cr_breaks=*/false,
            [&](const Run& r, uint64_t visible) {
                uint8_t& f = out.back();
                if (visible == 0) return;
                if (r.attr.fresh)
                    f = 1;
                else if (f == 2)
                    f = 0;
            },
            [&] { out.push_back(2); });
        return out;
    }

    /// Non-whitespace characters with `fresh` set, on added lines, per origin class.
    static void count_fresh_chars(const Snapshot& s, const std::vector<uint8_t>& added,
                                  CharCounts& out) {
        uint32_t line = 1;
        (void)walk_lines(
            s, /*lone_cr_breaks=*/false,
            [&](const Run& r, uint64_t visible) {
                if (r.attr.fresh && line < added.size() && added[line])
                    out[s.origins.class_of(r.attr.origin)] += visible;
            },
            [&] { ++line; });
    }

    Note& note_;
    OriginIds ids_;
};

/// The attribution of the committed text: the journal snapshot carried onto it; text the
/// journal does not have is unknown (and new in this commit). Without an entry, the parent's
/// text (`before`, when the file had one) is the base: what the commit did not change is
/// unknown but not new.
Snapshot attribute(const std::optional<JournalEntry>& entry, std::string_view committed,
                   const std::optional<std::string>& before) {
    const Attr unknown{kUnknownOrigin, Evidence::None, /*fresh=*/true};
    if (!entry && !before)
        return Snapshot::uniform(std::string(committed), OriginRecord{}, Evidence::None, true);
    if (!entry)
        return carry(Snapshot::uniform(*before, OriginRecord{}, Evidence::None, false), committed,
                     unknown, OriginRecord{});
    return carry(entry->snapshot, committed, unknown, OriginRecord{});
}

/// The journal snapshot with the characters that reached `committed` no longer fresh: they are
/// the base of the next commit. Characters that were not committed keep their attribution.
Snapshot retire(const Snapshot& w, std::string_view committed) {
    std::vector<ByteEdit> edits = diff_edits(committed, w.text);
    Snapshot out;
    out.text = w.text;
    out.origins = w.origins;
    size_t idx = 0, start = 0;
    for (const Run& run : w.runs) {
        const size_t stop = start + run.length;
        size_t p = start;
        while (p < stop) {
            while (idx < edits.size() && edits[idx].inserted_offset + edits[idx].inserted <= p)
                ++idx;
            size_t q;
            if (idx < edits.size() && edits[idx].inserted_offset <= p) { // not committed
                q = std::min(stop, edits[idx].inserted_offset + edits[idx].inserted);
                out.push_run(static_cast<uint32_t>(q - p), run.attr);
            } else {
                q = idx < edits.size() ? std::min(stop, edits[idx].inserted_offset) : stop;
                Attr a = run.attr;
                a.fresh = false;
                out.push_run(static_cast<uint32_t>(q - p), a);
            }
            p = q;
        }
        start = stop;
    }
    return out;
}

/// Per session, the lines of `s` that hold fresh (uncommitted) AI text of that session.
void count_pending(const Snapshot& s, std::map<SessionKey, uint64_t>& out) {
    std::set<SessionKey> on_line;
    auto flush = [&] {
        for (const auto& k : on_line)
            ++out[k];
        on_line.clear();
    };
    (void)walk_lines(
        s, /*lone_cr_breaks=*/false,
        [&](const Run& r, uint64_t visible) {
            const OriginRecord& rec = s.origins.at(r.attr.origin);
            if (visible > 0 && r.attr.fresh && rec.cls == OriginClass::Ai)
                on_line.insert(SessionKey{rec.tool, rec.session});
        },
        flush);
    flush();
}

struct Prepared {
    Note note;
    std::vector<FileDiff> changes;
};

/// Everything except the journal: the commit, its parent and its changes.
Result<Prepared> prepare(const Repo& repo, const git_oid& commit) {
    Prepared p;
    p.note.commit = to_hex(commit);
    auto parent = repo.first_parent(commit);
    if (!parent) return parent.error();
    if (*parent) p.note.parent = to_hex(**parent);
    auto changes = repo.added_lines(commit);
    if (!changes) return changes.error();
    p.changes = std::move(*changes);
    return p;
}

/// The entry for `fc`: under its path, else (renamed) under its old path, else under the path
/// it was moved from (`moves`, find_moved_entries); its key.
template <typename Load>
Result<std::pair<std::string, std::optional<JournalEntry>>>
entry_for(const FileDiff& fc, Load&& load, const std::map<std::string, std::string>& moves) {
    auto moved = moves.find(fc.path);
    const std::string* from = moved == moves.end() ? nullptr : &moved->second;
    for (const std::string* path : {&fc.path, &fc.old_path, from}) {
        if (!path || path->empty() || (path == &fc.old_path && fc.old_path == fc.path)) continue;
        auto e = load(*path);
        if (!e) return e.error().context("reading the journal entry of " + *path);
        if (*e) return std::make_pair(*path, std::move(*e));
    }
    return std::make_pair(std::string(), std::optional<JournalEntry>{});
}

/// A journal entry attach used: its key, the committed path and text.
struct UsedEntry {
    std::string key;
    std::string path;
    std::string text;
};

/// Classifies every change into `note`; `load` reads journal entries. Returns, per change
/// index, the journal key used and the committed text (for retiring).
template <typename Load>
Status fill(const Repo& repo, Prepared& p, Load&& load,
            const std::map<std::string, std::string>& moves, std::vector<UsedEntry>* used) {
    NoteBuilder builder(p.note);
    std::optional<git_oid> parent;
    if (!p.note.parent.empty())
        if (auto id = oid_from_hex(p.note.parent)) parent = *id;
    for (const FileDiff& fc : p.changes) {
        if (!fc.skipped.empty()) {
            builder.add_skipped(fc);
            continue;
        }
        auto entry = entry_for(fc, load, moves);
        if (!entry) return entry.error();
        auto text = repo.blob_text(fc.blob);
        if (!text) return text.error();
        if (!fc.added.empty()) {
            const std::string& old_path = fc.old_path;
            const std::string& committed = *text;
            NoteBuilder::KeptFn kept;
            if (parent && !old_path.empty())
                kept = [&](const std::vector<uint32_t>& lines) {
                    return kept_classes(repo, *parent, old_path, committed, lines);
                };
            std::optional<std::string> before;
            if (!entry->second && !git_oid_is_zero(&fc.old_blob))
                if (auto b = repo.blob_text(fc.old_blob)) before = std::move(*b);
            builder.add_file(fc, attribute(entry->second, *text, before), kept);
        }
        if (used && entry->second) used->push_back({entry->first, fc.path, std::move(*text)});
    }
    return {};
}

/// Adds session spend and the funnel to the note and returns the settlements to make once
/// the note is written. `retired` holds the journal entries as they will be after this commit
/// (by path); other entries are read in the caller's transaction.
Result<std::vector<SessionSettlement>>
add_sessions(const Repo& repo, Note& note, const JournalTransaction& journal,
             const std::map<std::string, Snapshot>& retired) {
    SessionStore store(repo.gitdir());
    auto deltas = store.unsettled();
    if (!deltas) return deltas.error();
    std::vector<SessionSettlement> settlements;
    if (deltas->empty()) return settlements;

    // Committed lines per session, from the note itself.
    std::map<SessionKey, uint64_t> committed;
    for (const auto& [path, f] : note.files)
        for (const auto& [id, lines] : f.by_origin) {
            const OriginRecord& r = note.origins.at(id).record;
            committed[SessionKey{r.tool, r.session}] += lines.size();
        }
    // Lines still pending per session, from the journal after retiring.
    std::map<SessionKey, uint64_t> pending;
    auto paths = journal.list();
    if (!paths) return paths.error();
    for (const std::string& path : *paths) {
        if (auto it = retired.find(path); it != retired.end()) {
            count_pending(it->second, pending);
            continue;
        }
        auto e = journal.load(path);
        if (e && *e) count_pending((*e)->snapshot, pending);
    }

    NoteBuilder builder(note); // the ids already in the note keep their meaning
    for (const SessionDelta& d : *deltas) {
        auto origin_for = [&](const std::string& model) {
            // Reuse the origin of committed lines when one matches (whatever its kind).
            for (const auto& [id, o] : note.origins)
                if (o.record.tool == d.key.tool && o.record.session == d.key.session &&
                    o.record.model == model)
                    return id;
            OriginRecord r;
            r.cls = OriginClass::Ai;
            r.tool = d.key.tool;
            r.session = d.key.session;
            r.model = model;
            r.kind = is_valid_ai_kind(d.kind) ? d.kind : "agent";
            return builder.intern(r);
        };
        std::string first_id;
        for (const auto& [model, usage] : d.tokens) {
            std::string id = origin_for(model);
            note.origins[id].tokens += usage;
            if (first_id.empty()) first_id = id;
        }
        if (first_id.empty())
            for (const auto& [id, o] : note.origins)
                if (o.record.tool == d.key.tool && o.record.session == d.key.session) {
                    first_id = id;
                    break;
                }
        if (first_id.empty()) first_id = origin_for(d.models.empty() ? "" : d.models.front());
        const uint64_t pend = pending[d.key];
        // One funnel per session, on one of its origins (docs/note-format.md).
        note.origins[first_id].funnel = funnel(d, committed[d.key], pend);
        settlements.push_back(SessionSettlement{d, pend});
    }
    return settlements;
}

} // namespace

Result<Note> build_note(const Repo& repo, const git_oid& commit) {
    auto p = prepare(repo, commit);
    if (!p) return p.error();
    Journal journal(repo.gitdir());
    auto load = [&](const std::string& path) { return journal.load(path); };
    auto paths = journal.list();
    if (!paths) return paths.error();
    auto moves = find_moved_entries(repo, commit, p->changes, *paths, load);
    if (!moves) return moves.error();
    auto st = fill(repo, *p, load, *moves, nullptr);
    if (!st) return st.error();
    return std::move(p->note);
}

Result<AttachResult> attach(const Repo& repo, const AttachOptions& opts) {
    AttachResult out;
    auto id = repo.resolve(opts.rev);
    if (!id) return id.error();
    out.commit = to_hex(*id);
    NoteStore notes(repo);
    if (!opts.force) {
        auto existing = notes.read_raw(*id);
        if (!existing) return existing.error();
        if (*existing) {
            out.skipped = "already has a note (use --force to replace it)";
            return out;
        }
    }
    auto p = prepare(repo, *id);
    if (!p) return p.error();
    Journal journal(repo.gitdir());
    std::vector<SessionSettlement> settlements;
    {
        auto txn = journal.lock();
        if (!txn) return txn.error().context("locking the journal");
        std::vector<UsedEntry> used;
        auto load = [&](const std::string& path) { return txn->load(path); };
        auto paths = txn->list();
        if (!paths) return paths.error();
        auto moves = find_moved_entries(repo, *id, p->changes, *paths, load);
        if (!moves) return moves.error();
        auto st = fill(repo, *p, load, *moves, &used);
        if (!st) return st.error();
        // Committed evidence becomes base; what was not committed stays pending. An entry
        // found under the path a file was moved from follows the file (`git mv`), unless that
        // path is still in the working tree (a copy).
        std::map<std::string, JournalEntry> retired; // by the key it was read under
        for (const UsedEntry& u : used) {
            auto e = txn->load(u.key);
            if (!e) return e.error();
            if (!*e) continue;
            JournalEntry entry = std::move(**e);
            entry.snapshot = retire(entry.snapshot, u.text);
            entry.writer = "attach";
            std::error_code ec;
            if (u.key != u.path && !fs::exists(repo.workdir() / u.key, ec) && !ec)
                entry.path = u.path;
            retired[u.key] = std::move(entry);
        }
        std::map<std::string, Snapshot> retired_snapshots;
        for (const auto& [path, e] : retired)
            retired_snapshots[path] = e.snapshot;
        auto s = add_sessions(repo, p->note, *txn, retired_snapshots);
        if (s)
            settlements = std::move(*s);
        else
            spdlog::warn("attach: session data left for the next commit: {}", s.error().message);

        // Rewrites (cherry-pick, squash, reset + recommit, merges) carry attribution from
        // their source commits into lines the journal left unknown. Never fails.
        p->note = refine_attached_note(repo, *id, std::move(p->note),
                                       opts.context ? &*opts.context : nullptr);
        st = notes.write(*id, p->note);
        if (!st) return st.error();
        out.written = true;
        if (auto g = write_gitai_note_if_enabled(repo, *id, p->note); !g)
            spdlog::warn("attach: git-ai's note: {}", g.error().message);
        // A failure here leaves evidence fresh: a later commit counts it again only where
        // its text is new there. Nothing is lost.
        for (const auto& [key, entry] : retired) {
            if (auto w = txn->store(entry); !w) {
                spdlog::warn("attach: retiring evidence of {}: {}", key, w.error().message);
                continue;
            }
            if (entry.path != key)
                if (auto w = txn->remove(key); !w)
                    spdlog::warn("attach: moving the entry of {} to {}: {}", key, entry.path,
                                 w.error().message);
        }
    }
    if (!settlements.empty())
        if (auto st = SessionStore(repo.gitdir()).settle(settlements); !st)
            spdlog::warn("attach: settling sessions: {}", st.error().message);
    out.note = std::move(p->note);
    return out;
}

} // namespace provenant::git
