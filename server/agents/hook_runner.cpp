// `provenant hook <agent>`: payload → files and texts → session usage → journal evidence.
#include "agents/hook_runner.h"

#include "agents/snapshots.h"
#include "agents/text_edits.h"
#include "agents/transcripts.h"
#include "core/carry.h"
#include "git/repository.h"
#include "journal/sessions.h"
#include "support/json_budget.h"

#include <chrono>
#include <fstream>
#include <map>
#include <spdlog/spdlog.h>

namespace provenant::agents {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr Attr kUnknownFresh{kUnknownOrigin, Evidence::None, true};
const OriginRecord kUnknownRecord{};

/// One file edit ready to be recorded.
struct Planned {
    RepoLocation repo;
    std::string rel;
    std::string moved_from; ///< repository-relative, "" unless moved
    std::optional<std::string> before;
    std::string after;
    std::optional<std::string> disk;
    std::vector<std::pair<size_t, size_t>> marks;
    uint64_t generated = 0;
};

/// HEAD text of files, with one libgit2 handle per repository (opened on first use).
class HeadReader {
public:
    std::optional<std::string> text(const RepoLocation& repo, const std::string& rel) {
        auto& slot = repos_[repo.gitdir.string()];
        if (!slot.tried) {
            slot.tried = true;
            auto r = git::Repo::open(repo.workdir);
            if (r) {
                auto h = r->resolve("HEAD");
                if (h) {
                    slot.head = *h;
                    slot.repo.emplace(std::move(*r));
                }
            }
        }
        if (!slot.repo || !slot.head) return std::nullopt;
        auto t = slot.repo->text_at(*slot.head, rel);
        if (!t) return std::nullopt;
        return *t;
    }

private:
    struct Slot {
        bool tried = false;
        std::optional<git::Repo> repo;
        std::optional<git_oid> head;
    };
    std::map<std::string, Slot> repos_;
};

/// Appends messages to `<gitdir>/provenant/agents/hook.log`, rotated at 1 MiB.
void append_log(const RepoLocation& repo, std::string_view agent,
                const std::vector<std::string>& messages) {
    if (messages.empty()) return;
    fs::path dir = repo.gitdir / "provenant" / "agents";
    fs::path file = dir / "hook.log";
    std::error_code ec;
    if (fs::exists(file, ec) && fs::file_size(file, ec) > (1u << 20))
        fs::rename(file, dir / "hook.log.1", ec);
    std::string text;
    for (const auto& m : messages)
        text += std::to_string(now_ms()) + " hook " + std::string(agent) + ": " + m + '\n';
    // 0600 in 0700 directories: the log names files and tools (issue 12 §14).
    (void)append_private_file(file, text);
}

std::string snapshot_id(const HookEvent& ev) {
    if (!ev.request.empty()) return ev.tool + "-" + ev.request;
    return ev.tool + "-" + ev.session + "-last";
}

fs::path absolute_in(const fs::path& cwd, const std::string& p) {
    fs::path path(p);
    return path.is_absolute() ? path : cwd / path;
}

/// Lines of `text` touched by non-whitespace bytes inside `marks`.
uint64_t count_marked_lines(std::string_view text,
                            const std::vector<std::pair<size_t, size_t>>& marks) {
    std::vector<size_t> starts;
    for (auto [b, e] : marks)
        for (size_t k = b; k < e && k < text.size(); ++k) {
            char c = text[k];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
            size_t s = text.rfind('\n', k);
            starts.push_back(s == std::string_view::npos ? 0 : s + 1);
        }
    std::sort(starts.begin(), starts.end());
    return static_cast<uint64_t>(std::unique(starts.begin(), starts.end()) - starts.begin());
}

/// Marks bytes of `marks` that are new and unattributed (fresh, no evidence) as `agent`.
Snapshot mark_agent(const Snapshot& s, const std::vector<std::pair<size_t, size_t>>& marks,
                    const OriginRecord& agent, uint32_t seen) {
    std::vector<Attr> attrs = s.expand();
    Snapshot t;
    t.text = s.text;
    t.origins = s.origins;
    uint32_t id = t.origins.intern(agent);
    for (auto [b, e] : marks)
        for (size_t k = b; k < e && k < attrs.size(); ++k)
            if (attrs[k].fresh && attrs[k].evidence == Evidence::None &&
                s.origins.class_of(attrs[k].origin) == OriginClass::Unknown)
                attrs[k] = Attr{id, Evidence::Recorded, true, seen};
    for (const Attr& a : attrs)
        t.push_run(1, a);
    return t;
}

constexpr std::string_view kShellWriterSuffix = " shell";

/// The entry's evidence carried onto `ours.text`, less what a shell tool's window of another
/// agent claimed in it shortly before and `ours` (a file-edit hook's own record, observed at
/// `seen`) says its agent wrote. The window only saw those characters change between two
/// snapshots; the edit tool's record says who wrote them. Everything else is kept.
Snapshot yield_shell_window(const Snapshot& ours, const JournalEntry& cur,
                            const OriginRecord& agent, uint32_t seen) {
    const std::string prefix = "hook:";
    const std::string& w = cur.writer;
    Snapshot carried = carry(cur.snapshot, ours.text, Attr{}, kUnknownRecord);
    if (w.size() <= prefix.size() + kShellWriterSuffix.size() || w.rfind(prefix, 0) != 0 ||
        w.compare(w.size() - kShellWriterSuffix.size(), kShellWriterSuffix.size(),
                  kShellWriterSuffix) != 0)
        return carried;
    const std::string shell_tool =
        w.substr(prefix.size(), w.size() - prefix.size() - kShellWriterSuffix.size());
    const int64_t gap_ms = cur.updated_ms - int64_t{seen} * 1000;
    if (shell_tool == agent.tool || gap_ms > int64_t{kRaceWindowSeconds} * 1000 + 999 ||
        -gap_ms > int64_t{kRaceWindowSeconds} * 1000)
        return carried;
    const std::vector<Attr> mine = ours.expand();
    std::vector<Attr> theirs = carried.expand();
    for (size_t k = 0; k < theirs.size() && k < mine.size(); ++k) {
        const Attr& m = mine[k];
        const Attr& t = theirs[k];
        const OriginRecord& mr = ours.origins.at(m.origin);
        const OriginRecord& tr = carried.origins.at(t.origin);
        const uint32_t gap = t.seen > seen ? t.seen - seen : seen - t.seen;
        if (m.evidence == Evidence::Recorded && m.seen == seen && mr == agent &&
            t.evidence == Evidence::Recorded && t.seen != 0 && gap <= kRaceWindowSeconds &&
            tr.cls == OriginClass::Ai && tr.tool == shell_tool)
            theirs[k] = Attr{};
    }
    Snapshot out;
    out.text = carried.text;
    out.origins = carried.origins;
    for (const Attr& a : theirs)
        out.push_run(1, a);
    return out;
}

} // namespace

Snapshot fill_model(const Snapshot& s, const std::string& tool, const std::string& session,
                    const std::string& request, const std::string& model) {
    Snapshot t;
    t.text = s.text;
    for (const Run& r : s.runs) {
        OriginRecord rec = s.origins.at(r.attr.origin);
        if (rec.cls == OriginClass::Ai && rec.tool == tool && rec.session == session &&
            rec.request == request && rec.model.empty())
            rec.model = model;
        Attr a = r.attr;
        a.origin = t.origins.intern(rec);
        t.push_run(r.length, a);
    }
    return t;
}

Result<std::optional<JournalEntry>> record_edit(Journal& journal, const EditEvidence& edit) {
    const uint32_t seen =
        edit.seen ? edit.seen
                  : static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count());
    // The agent's own characters are observed (by its hook); the carries are by content
    // (whole lines, long spans), so a line the agent rewrote is wholly the agent's.
    const Attr ai{0, Evidence::Recorded, true, seen};
    return journal.update(
        edit.path, [&](std::optional<JournalEntry> cur) -> std::optional<JournalEntry> {
            Snapshot s;
            if (cur) {
                s = cur->snapshot;
            } else if (auto head = edit.head_text ? edit.head_text() : std::nullopt) {
                s = Snapshot::uniform(*head, kUnknownRecord, Evidence::None, false);
            }
            if (edit.before) {
                s = carry(s, *edit.before, kUnknownFresh, kUnknownRecord);
                s = carry(s, edit.after, ai, edit.agent);
            } else {
                s = carry(s, edit.after, kUnknownFresh, kUnknownRecord);
                s = mark_agent(s, edit.marks, edit.agent, seen);
            }
            if (edit.disk && *edit.disk != edit.after)
                s = carry(s, *edit.disk, kUnknownFresh, kUnknownRecord);
            if (cur)
                s = merge_evidence(s, edit.shell_window
                                          ? cur->snapshot
                                          : yield_shell_window(s, *cur, edit.agent, seen));
            JournalEntry e;
            e.path = edit.path;
            e.snapshot = std::move(s);
            e.writer = "hook:" + edit.agent.tool +
                       (edit.shell_window ? std::string(kShellWriterSuffix) : std::string());
            return e;
        });
}

namespace {

/// The hook proper; run_hook wraps it so that nothing escapes.
class Runner {
public:
    Runner(std::string_view agent, const fs::path& cwd) : agent_(agent), cwd_(cwd) {}

    HookReport run(std::string_view payload) {
        if (payload.size() > kMaxPayloadBytes) {
            note("payload larger than " + std::to_string(kMaxPayloadBytes) + " bytes: ignored");
            return finish();
        }
        const JsonShape shape = measure_json(payload, kMaxPayloadDepth);
        if (shape.too_deep) {
            note("payload nested deeper than " + std::to_string(kMaxPayloadDepth) +
                 " levels: ignored");
            return finish();
        }
        if (shape.values > kMaxPayloadValues) {
            note("payload holds more than " + std::to_string(kMaxPayloadValues) +
                 " JSON values: ignored");
            return finish();
        }
        json j = json::parse(payload, nullptr, false);
        if (j.is_discarded()) {
            note("payload is not valid JSON: ignored");
            return finish();
        }
        auto ev = parse_payload(agent_, j);
        if (!ev) {
            note(ev.error().message + ": ignored");
            return finish();
        }
        ev_ = std::move(*ev);
        for (auto& n : ev_.notes)
            note(n);
        if (!ev_.cwd.empty()) cwd_ = ev_.cwd;
        if (auto loc = find_repository(cwd_)) primary_ = *loc;
        if (ev_.phase == HookPhase::Pre)
            pre();
        else
            post();
        return finish();
    }

private:
    void note(std::string m) { report_.messages.push_back(std::move(m)); }

    HookReport finish() {
        for (const auto& m : report_.messages)
            spdlog::info("hook {}: {}", agent_, m);
        if (primary_) append_log(*primary_, agent_, report_.messages);
        return std::move(report_);
    }

    std::optional<std::pair<RepoLocation, std::string>> locate(const std::string& p) {
        fs::path abs = absolute_in(cwd_, p);
        auto loc = locate_repository(abs);
        if (!loc) {
            note(p + ": " + loc.error().message + ": not recorded");
            return std::nullopt;
        }
        auto rel = repo_relative_path(*loc, abs);
        if (!rel) {
            note(p + ": " + rel.error().message + ": not recorded");
            return std::nullopt;
        }
        if (auto st = validate_repo_path(*rel); !st) {
            note(p + ": " + st.error().message + ": not recorded");
            return std::nullopt;
        }
        if (rel->rfind(".git/", 0) == 0) // the agent wrote inside the git directory
            return std::nullopt;
        return std::make_pair(*loc, *rel);
    }

    void pre() {
        std::string id = snapshot_id(ev_);
        if (ev_.snapshot_repo) {
            if (!primary_) {
                note("working directory " + cwd_.string() +
                     " is in no git repository: no snapshot");
                return;
            }
            auto snap = snapshot_changed(*primary_);
            if (!snap) {
                note("snapshot: " + snap.error().message);
                return;
            }
            save(*primary_, std::move(*snap), id);
            return;
        }
        std::map<std::string, std::pair<RepoLocation, std::vector<std::string>>> by_repo;
        for (const auto& f : ev_.files) {
            auto loc = locate(f.path);
            if (!loc) continue;
            auto& slot = by_repo[loc->first.gitdir.string()];
            slot.first = loc->first;
            slot.second.push_back(loc->second);
        }
        for (auto& [gitdir, v] : by_repo)
            save(v.first, snapshot_files(v.first, v.second), id);
    }

    void save(const RepoLocation& repo, PreSnapshot snap, const std::string& id) {
        snap.id = id;
        if (auto st = SnapshotStore(repo.gitdir).save(snap); !st)
            note("saving snapshot: " + st.error().message);
        else
            ++report_.snapshots_saved;
    }

    /// The pre-tool snapshot of `repo` for this event (taken once per repository).
    const std::optional<PreSnapshot>& pre_snapshot(const RepoLocation& repo) {
        auto it = pre_.find(repo.gitdir.string());
        if (it != pre_.end()) return it->second;
        std::optional<PreSnapshot> snap;
        auto taken = SnapshotStore(repo.gitdir).take(snapshot_id(ev_));
        if (taken)
            snap = std::move(*taken);
        else
            note("pre-tool snapshot: " + taken.error().message);
        return pre_.emplace(repo.gitdir.string(), std::move(snap)).first->second;
    }

    void plan_file(const FileChange& f) {
        auto loc = locate(f.path);
        if (!loc) return;
        Planned p;
        p.repo = loc->first;
        p.rel = loc->second;
        if (f.deleted) return; // nothing to attribute; attach sees the deletion
        if (!f.moved_from.empty())
            if (auto from = locate(f.moved_from)) p.moved_from = from->second;
        fs::path abs = p.repo.workdir / p.rel;
        std::error_code ec;
        if (fs::is_regular_file(abs, ec)) {
            auto t = read_file(abs);
            if (t) p.disk = std::move(*t);
        }
        if (!f.after && !p.disk) {
            note(p.rel + ": does not exist after the edit: not recorded");
            return;
        }
        p.after = f.after ? *f.after : *p.disk;
        if (p.after.size() > Journal::kMaxEntryBytes / 2 || looks_binary(p.after)) {
            note(p.rel + ": binary or too large: not recorded");
            return;
        }
        const auto& snap = pre_snapshot(p.repo);
        const SnapFile* sf = nullptr;
        if (snap)
            if (auto it = snap->files.find(p.rel); it != snap->files.end()) sf = &it->second;
        const auto window = window_marks_.find(f.path);
        if (window != window_marks_.end()) {
            p.marks = window->second; // a shell window that other recorded edits explain in part
        } else if (sf && (sf->text || !sf->exists)) {
            p.before = sf->exists ? *sf->text : std::string();
        } else if (f.before) {
            p.before = f.before;
        } else if (f.created) {
            p.before = std::string();
        } else if (!f.replacements.empty()) {
            p.before = undo_replacements(p.after, f.replacements);
            if (!p.before) {
                p.marks = locate_new_text(p.after, f.replacements);
                note(p.rel + ": the edit's text before could not be rebuilt: only its new text"
                             " is attributed");
            }
        }
        if (!p.before && p.marks.empty() && window == window_marks_.end()) {
            // A whole-file write with no text before: the last known text stands for it.
            Journal journal(p.repo.gitdir);
            auto entry = journal.load(p.moved_from.empty() ? p.rel : p.moved_from);
            if (entry && *entry)
                p.before = (*entry)->snapshot.text;
            else
                p.before = head_.text(p.repo, p.moved_from.empty() ? p.rel : p.moved_from)
                               .value_or(std::string());
        }
        p.generated = p.before ? count_generated_lines(*p.before, p.after)
                               : count_marked_lines(p.after, p.marks);
        planned_.push_back(std::move(p));
    }

    void post() {
        if (ev_.snapshot_repo) {
            if (!primary_) {
                note("working directory " + cwd_.string() + " is in no git repository");
            } else if (const auto& snap = pre_snapshot(*primary_); !snap) {
                if (ev_.phase == HookPhase::Post)
                    note("no pre-tool snapshot for " + snapshot_id(ev_) +
                         ": cannot tell which files the tool changed");
            } else {
                auto changed = changed_since(*primary_, *snap);
                if (!changed) {
                    note("comparing with the pre-tool snapshot: " + changed.error().message);
                } else {
                    for (auto& c : *changed) {
                        FileChange f;
                        f.path = (primary_->workdir / c.path).string();
                        f.deleted = c.deleted;
                        f.after = c.after;
                        f.before = c.before;
                        if (auto marks = unexplained_in_window(*primary_, *snap, c)) {
                            window_marks_[f.path] = std::move(*marks);
                            f.before.reset();
                        }
                        ev_.files.push_back(std::move(f));
                    }
                    pre_.erase(primary_->gitdir.string()); // consumed: the per-file lookups skip it
                    pre_.emplace(primary_->gitdir.string(), std::nullopt);
                }
            }
        }
        for (const auto& f : ev_.files)
            plan_file(f);
        std::string model = update_sessions();
        OriginRecord agent{OriginClass::Ai, ev_.tool, ev_.kind, model, ev_.session, ev_.request};
        for (const auto& p : planned_) {
            Journal journal(p.repo.gitdir);
            EditEvidence e;
            e.path = p.rel;
            const RepoLocation repo = p.repo;
            const std::string from = p.moved_from.empty() ? p.rel : p.moved_from;
            e.head_text = [this, repo, from]() -> std::optional<std::string> {
                return head_.text(repo, from);
            };
            e.before = p.before;
            e.after = p.after;
            e.disk = p.disk;
            e.marks = p.marks;
            e.agent = agent;
            e.shell_window = ev_.snapshot_repo; // the files changed between its snapshots
            if (!p.moved_from.empty()) {
                if (auto old = journal.load(p.moved_from); old && *old) {
                    // The entry follows the file: start from it, then drop the old path.
                    auto snapshot = (*old)->snapshot;
                    e.head_text = [snapshot]() -> std::optional<std::string> {
                        return snapshot.text;
                    };
                    (void)journal.remove(p.moved_from);
                }
            }
            auto r = record_edit(journal, e);
            if (!r)
                note(p.rel + ": " + r.error().message);
            else
                ++report_.files_recorded;
        }
        fill_resolved_models();
    }

    /// For a file the shell tool's window changed while another writer (another agent's hook,
    /// an editor's save) recorded an edit to it: the byte ranges of `c.after` that are new since
    /// the pre-tool snapshot and that the journal's evidence does not explain. Only these are
    /// the shell tool's; what the other writer recorded keeps its evidence. nullopt when no
    /// journal entry was written inside the window (then every change in it is the tool's).
    std::optional<std::vector<std::pair<size_t, size_t>>>
    unexplained_in_window(const RepoLocation& repo, const PreSnapshot& snap, const ChangedFile& c) {
        if (!c.before || c.deleted) return std::nullopt;
        auto entry = Journal(repo.gitdir).load(c.path);
        if (!entry || !*entry || (*entry)->updated_ms < snap.created_ms) return std::nullopt;
        // The other writer's text carried onto the file as it is now: a character its diff
        // keeps holds that writer's evidence; characters it lacks are no one's yet.
        Snapshot now = carry((*entry)->snapshot, c.after, kUnknownFresh, kUnknownRecord);
        std::vector<Attr> attrs = now.expand();
        std::vector<std::pair<size_t, size_t>> marks;
        for (const ByteEdit& e : diff_edits(*c.before, c.after))
            for (size_t k = e.inserted_offset; k < e.inserted_offset + e.inserted; ++k) {
                if (k >= attrs.size() || attrs[k].evidence != Evidence::None) continue;
                if (!marks.empty() && marks.back().second == k)
                    marks.back().second = k + 1;
                else
                    marks.emplace_back(k, k + 1);
            }
        return marks;
    }

    /// Reads the transcript and records usage and generated lines; returns this edit's model.
    std::string update_sessions() {
        std::string model = ev_.model;
        std::map<std::string, std::pair<RepoLocation, std::vector<const Planned*>>> by_repo;
        for (const auto& p : planned_) {
            auto& slot = by_repo[p.repo.gitdir.string()];
            slot.first = p.repo;
            slot.second.push_back(&p);
        }
        if (primary_ && !by_repo.count(primary_->gitdir.string()))
            by_repo[primary_->gitdir.string()].first = *primary_;
        std::string primary_key = primary_          ? primary_->gitdir.string()
                                  : by_repo.empty() ? ""
                                                    : by_repo.begin()->first;
        SessionKey key{ev_.tool, ev_.session};
        // Not a structured binding: the lambda below uses `v`, and clang 14 (clang-tidy)
        // refuses to capture a binding (C++20 allows it; GCC does).
        for (auto& entry : by_repo) {
            const auto& gitdir = entry.first;
            auto& v = entry.second;
            bool primary = gitdir == primary_key;
            SessionStore store(v.first.gitdir);
            auto r = store.update(key, [&](SessionRecord& rec) {
                if (rec.kind.empty()) rec.kind = ev_.kind;
                if (primary) {
                    auto t = read_transcript(ev_.tool, ev_.transcript, rec);
                    if (!t)
                        note(t.error().message);
                    else if (!t->empty())
                        note(*t);
                    if (model.empty() && !ev_.request.empty())
                        model = rec.model_of_tool(ev_.request);
                    if (model.empty() && ev_.tool == "gemini" &&
                        rec.transcript.state.value("model", json()).is_string())
                        model = rec.transcript.state["model"].get<std::string>();
                    for (const auto& [m, u] : ev_.tokens) {
                        rec.note_model(m);
                        rec.tokens[m] += u;
                    }
                    // Edits recorded before the transcript named their model.
                    for (auto it = rec.unresolved.begin(); it != rec.unresolved.end();) {
                        std::string m = rec.model_of_tool(it->first);
                        if (m.empty()) {
                            ++it;
                            continue;
                        }
                        resolved_.push_back({it->first, it->second, m});
                        it = rec.unresolved.erase(it);
                    }
                }
                rec.note_model(model);
                for (const Planned* p : v.second) {
                    // Keyed by the text written too: one request may edit a file twice.
                    rec.add_generated(p->rel, p->generated,
                                      ev_.request.empty() ? std::string()
                                                          : ev_.request + "#" + blob_id(p->after));
                    if (model.empty() && !ev_.request.empty() && ev_.tool == "claude-code") {
                        rec.unresolved.emplace_back(ev_.request, p->rel);
                        if (rec.unresolved.size() > SessionRecord::kMaxUnresolved)
                            rec.unresolved.erase(rec.unresolved.begin());
                    }
                }
            });
            if (!r) note("session store: " + r.error().message);
            if (primary) resolved_repo_ = v.first;
        }
        if (model.empty() && !planned_.empty() && ev_.tool == "claude-code")
            note("the transcript does not name the model of " + ev_.request +
                 " yet: recorded without a model, filled in by a later hook");
        return model;
    }

    void fill_resolved_models() {
        if (resolved_.empty() || !resolved_repo_) return;
        Journal journal(resolved_repo_->gitdir);
        for (const auto& r : resolved_) {
            auto st = journal.update(
                r.path, [&](std::optional<JournalEntry> cur) -> std::optional<JournalEntry> {
                    if (!cur) return cur;
                    cur->snapshot =
                        fill_model(cur->snapshot, ev_.tool, ev_.session, r.request, r.model);
                    return cur;
                });
            if (!st) note(r.path + ": filling in the model: " + st.error().message);
        }
    }

    struct Resolved {
        std::string request, path, model;
    };

    std::string agent_;
    fs::path cwd_;
    HookEvent ev_;
    HookReport report_;
    std::optional<RepoLocation> primary_;
    std::map<std::string, std::optional<PreSnapshot>> pre_;
    std::vector<Planned> planned_;
    /// Shell-window files explained in part by other recorded edits: the tool's byte ranges,
    /// by the absolute path given to plan_file.
    std::map<std::string, std::vector<std::pair<size_t, size_t>>> window_marks_;
    std::vector<Resolved> resolved_;
    std::optional<RepoLocation> resolved_repo_;
    HeadReader head_;
};

} // namespace

HookReport run_hook(std::string_view agent, std::string_view payload, const fs::path& cwd) {
    try {
        return Runner(agent, cwd).run(payload);
    } catch (const std::exception& e) {
        HookReport r;
        r.messages.push_back(std::string("internal error: ") + e.what());
        return r;
    }
}

} // namespace provenant::agents
