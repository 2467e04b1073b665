// The differential property test of issue 9: random sessions of typing, deleting, retyping
// similar text (in the agents' own vocabulary, on purpose), moving lines, agent writes through
// the hook's record_edit racing the editor's reload in either order, saves through the
// journal merge, commits through real git with the real attach, `git checkout -f` with a
// reopen restored against HEAD's text, and `git stash` / `git stash pop` with the editor's
// reload a hunk at a time. The sidecar's journal side is the session's own (session::JournalSync
// on one thread, synced_sidecar.h): its restore at didOpen, held entries, lines that left on a
// reset, reloads found on disk. An independent per-character model says who wrote each
// character; the assertions: a character a person typed is never reported `ai`, a character an
// agent wrote is never reported `human` (nor another agent's). Seeded and deterministic;
// PROVENANT_ACCURACY_STEPS sets the steps per seed for a long run (default 800, four seeds),
// PROVENANT_ACCURACY_SEED the first of the four seeds, PROVENANT_ACCURACY_TRACE=1 prints each
// step's operation and the document line by line (text, the model's owners, the reported classes).
#include "accuracy_support.h"
#include "git/attach.h"
#include "support/class_letters.h"
#include "support/line_hunks.h"
#include "support/temp_repo.h"
#include "synced_sidecar.h"

#include <cstdlib>
#include <doctest/doctest.h>
#include <random>
#include <sstream>

using namespace provenant;
using namespace provenant::accuracy;

namespace {

const std::vector<std::string> kLines = {
    "return sum(item.price for item in items)",     "CONFLICT FEATURE VERSION",
    "total = compute_total(order.items, tax=rate)", "if not items: return 0",
    "for item in items: print(item.price)",         "value = load(path).strip().lower()",
};

std::vector<std::string> words() {
    std::vector<std::string> out;
    for (const auto& l : kLines) {
        std::istringstream in(l);
        for (std::string w; in >> w;)
            out.push_back(w);
    }
    out.insert(out.end(), {"MAIN", "i", "i.price", "x", "cart", "=", "sum("});
    return out;
}

bool blank(char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

std::string norm(const std::string& line) {
    std::string out;
    for (char c : line)
        if (!blank(c)) out += c;
    return out;
}

/// The longest common substring's length (the lines are short).
size_t common_span(const std::string& a, const std::string& b) {
    size_t best = 0;
    std::vector<size_t> prev(b.size() + 1, 0), cur(b.size() + 1, 0);
    for (size_t i = 1; i <= a.size(); ++i) {
        for (size_t j = 1; j <= b.size(); ++j) {
            cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : 0;
            best = std::max(best, cur[j]);
        }
        std::swap(prev, cur);
    }
    return best;
}

class Session {
public:
    explicit Session(uint64_t seed) : rng_(seed), words_(words()) {
        std::string initial = "def f(items):\n    pass\n";
        repo_.write("f.py", initial);
        repo_.commit_all("initial");
        disk_ = head_ = initial;
        truth_.assign(initial.size(), 'U');
        head_truth_ = truth_;
        auto loc = find_repository(repo_.path());
        REQUIRE(loc);
        journal_ = std::make_unique<Journal>(loc->gitdir);
        side_ = std::make_unique<SyncedSidecar>(
            session::JournalTarget{loc->gitdir, "f.py", loc->workdir});
        open();
    }

    void run(int steps) {
        for (step_ = 0; step_ < steps && failures_ == 0; ++step_) {
            now_ += 20; // steps are further apart than the race window
            const int op = static_cast<int>(rng_() % 100);
            if (op < 30)
                type_random();
            else if (op < 42)
                delete_random();
            else if (op < 54)
                retype_similar();
            else if (op < 58)
                move_line();
            else if (op < 72)
                save();
            else if (op < 86)
                agent_write(rng_() % 2 ? kAgentA : kAgentB);
            else if (op < 89)
                commit();
            else if (op < 91)
                checkout();
            else if (op < 94)
                stash_pop();
            else
                type_line();
            if (trace_) dump(doc_->snapshot());
            check(doc_->snapshot(), "document");
        }
        save();
        commit();
    }

    int failures() const { return failures_; }

private:
    // ---- the model's view and the checks ----
    /// PROVENANT_ACCURACY_TRACE=1: after each step, its operation and every line of the
    /// document with the model's owners and the reported classes under it, to find the step
    /// where a failing seed first goes wrong.
    void dump(const Snapshot& s) const {
        std::ostringstream out;
        out << "step " << step_ << " (" << last_op_ << ")\n";
        const std::string reported = test::class_letters(s);
        size_t from = 0;
        for (size_t line = 1; from < s.text.size(); ++line) {
            size_t to = s.text.find('\n', from);
            to = to == std::string::npos ? s.text.size() : to;
            auto slice = [&](const std::string& x) {
                return from < x.size() ? x.substr(from, to - from) : std::string();
            };
            out << "  " << line << " [" << slice(s.text) << "]\n     model    "
                << slice(std::string(truth_.begin(), truth_.end())) << "\n     reported "
                << slice(reported) << "\n";
            from = to + 1;
        }
        MESSAGE(out.str());
    }
    void check(const Snapshot& s, const char* where) {
        if (failures_) return;
        if (s.text.size() != truth_.size()) {
            fail(std::string(where) + ": text and model differ in length");
            return;
        }
        const auto attrs = s.expand();
        for (size_t i = 0; i < attrs.size(); ++i) {
            if (blank(s.text[i])) continue;
            const OriginRecord& rec = s.origins.at(attrs[i].origin);
            const char t = truth_[i];
            std::string bad;
            if (t == 'H' && rec.cls == OriginClass::Ai) bad = "typed by a person, reported ai";
            if ((t == 'A' || t == 'B') && rec.cls == OriginClass::Human)
                bad = "written by an agent, reported human";
            if (t == 'A' && rec.cls == OriginClass::Ai && rec.tool != kAgentA.tool)
                bad = "written by agent A, reported " + rec.tool;
            if (t == 'B' && rec.cls == OriginClass::Ai && rec.tool != kAgentB.tool)
                bad = "written by agent B, reported " + rec.tool;
            if (!bad.empty()) {
                const size_t ls = s.text.rfind('\n', i == 0 ? 0 : i - 1);
                const size_t from = ls == std::string::npos ? 0 : ls + 1;
                const size_t to = s.text.find('\n', i);
                fail(std::string(where) + ": byte " + std::to_string(i) + " '" + s.text[i] + "' " +
                     bad + " in line \"" + s.text.substr(from, to - from) + "\" (model " +
                     std::string(truth_.begin() + static_cast<std::ptrdiff_t>(from),
                                 truth_.begin() +
                                     static_cast<std::ptrdiff_t>(
                                         to == std::string::npos ? truth_.size() : to)) +
                     ", reported " +
                     test::class_letters(s).substr(
                         from, (to == std::string::npos ? s.text.size() : to) - from) +
                     ")");
                return;
            }
        }
    }
    void fail(const std::string& why) {
        ++failures_;
        FAIL_CHECK("step " << step_ << " (" << last_op_ << "): " << why);
    }

    // ---- the editor ----
    /// The editor (re)opens its document on `disk_` (a didClose of the one open before): the
    /// session restores it from the journal against HEAD's text (JournalSync::restore).
    void open() {
        doc_ = &side_->open(disk_, [this] { return now_; });
        version_ = 1;
    }
    TextRange range(size_t a, size_t b) const {
        return TextRange{doc_->position_of(a), doc_->position_of(b)};
    }
    void edit(size_t a, size_t b, const std::string& text, char owner) {
        REQUIRE(doc_->apply_change(++version_, range(a, b), text));
        side_->changed();
        truth_.erase(truth_.begin() + static_cast<std::ptrdiff_t>(a),
                     truth_.begin() + static_cast<std::ptrdiff_t>(b));
        truth_.insert(truth_.begin() + static_cast<std::ptrdiff_t>(a), text.size(), owner);
    }
    /// Keystrokes: one character per didChange.
    void type_at(size_t off, const std::string& text) {
        for (size_t k = 0; k < text.size(); ++k)
            edit(off + k, off + k, std::string(1, text[k]), 'H');
    }
    std::string text() const { return doc_->text(); }
    /// [start, end) of a random line (end after its '\n' when it has one).
    std::pair<size_t, size_t> random_line() {
        const std::string t = text();
        const size_t lines = doc_->line_count();
        const size_t l = rng_() % lines;
        size_t a = 0;
        for (size_t k = 0; k < l; ++k)
            a = t.find('\n', a) + 1;
        size_t b = t.find('\n', a);
        b = b == std::string::npos ? t.size() : b + 1;
        return {a, b};
    }
    std::string word() { return words_[rng_() % words_.size()]; }
    /// Whether `line` equals (but for whitespace) no line of the text or of HEAD: the model
    /// cannot tell two equal lines apart, and neither can any carrying by content.
    bool unique(const std::string& line) const {
        const std::string n = norm(line);
        if (n.empty()) return false;
        const std::string cur = text();
        for (const std::string* t : {&cur, &head_}) {
            std::istringstream in(*t);
            for (std::string l; std::getline(in, l);)
                if (norm(l) == n) return false;
        }
        return true;
    }
    std::string mutate(const std::string& line) {
        std::istringstream in(line);
        std::vector<std::string> w;
        for (std::string x; in >> x;)
            w.push_back(x);
        if (w.empty()) return word();
        std::string out;
        for (int tries = 0; tries < 8; ++tries) {
            std::vector<std::string> v = w;
            switch (rng_() % 3) {
            case 0:
                v[rng_() % v.size()] = word();
                break;
            case 1:
                v.insert(v.begin() + static_cast<std::ptrdiff_t>(rng_() % (v.size() + 1)), word());
                break;
            default:
                if (v.size() > 1)
                    v.erase(v.begin() + static_cast<std::ptrdiff_t>(rng_() % v.size()));
                else
                    v[0] = word();
                break;
            }
            out.clear();
            for (size_t k = 0; k < v.size(); ++k)
                out += (k ? " " : "") + v[k];
            if (out != line) break;
        }
        return out;
    }

    // ---- operations ----
    void type_random() {
        last_op_ = "type";
        const size_t off = rng_() % (text().size() + 1);
        type_at(off, (rng_() % 2 ? " " : "") + word());
    }
    void type_line() {
        last_op_ = "type a line";
        auto [a, b] = random_line();
        (void)a;
        const std::string t = text();
        const size_t at = b;
        const std::string line = mutate(kLines[rng_() % kLines.size()]);
        if (!unique(line)) return;
        if (at > 0 && t[at - 1] != '\n') {
            type_at(at, "\n    " + line);
        } else {
            type_at(at, "    " + line + "\n");
        }
    }
    void delete_random() {
        last_op_ = "delete";
        const size_t n = text().size();
        if (n < 2) return;
        const size_t a = rng_() % n;
        const size_t b = std::min(n, a + 1 + rng_() % 12);
        edit(a, b, "", 'U');
    }
    void retype_similar() {
        last_op_ = "retype a similar line";
        // Prefer a line an agent wrote: delete it, type a similar one key by key.
        std::pair<size_t, size_t> line = random_line();
        for (int tries = 0; tries < 6; ++tries) {
            bool agent = false;
            for (size_t i = line.first; i < line.second; ++i)
                agent = agent || truth_[i] == 'A' || truth_[i] == 'B';
            if (agent) break;
            line = random_line();
        }
        const std::string t = text();
        std::string content = t.substr(line.first, line.second - line.first);
        const bool nl = !content.empty() && content.back() == '\n';
        if (nl) content.pop_back();
        const size_t indent = content.find_first_not_of(' ');
        const std::string similar = mutate(content);
        if (!unique(similar)) return;
        const std::string typed =
            std::string(indent == std::string::npos ? 4 : indent, ' ') + similar + (nl ? "\n" : "");
        edit(line.first, line.second, "", 'U');
        type_at(line.first, typed);
    }
    void move_line() {
        last_op_ = "move a line (cut, paste)";
        auto [a, b] = random_line();
        const std::string t = text();
        if (b == a || t[b - 1] != '\n') return;
        const std::string moved = t.substr(a, b - a);
        const std::vector<char> owners(truth_.begin() + static_cast<std::ptrdiff_t>(a),
                                       truth_.begin() + static_cast<std::ptrdiff_t>(b));
        edit(a, b, "", 'U');
        // Paste at the start of another line.
        auto [c, d] = random_line();
        (void)d;
        REQUIRE(doc_->apply_change(++version_, range(c, c), moved));
        side_->changed();
        truth_.insert(truth_.begin() + static_cast<std::ptrdiff_t>(c), owners.begin(),
                      owners.end());
    }
    void save() {
        last_op_ = "save";
        side_->save();
        disk_ = text();
        repo_.write("f.py", disk_);
        auto e = journal_->load("f.py");
        REQUIRE(e.ok());
        REQUIRE(*e);
        check((**e).snapshot, "journal");
    }
    void agent_write(const OriginRecord& agent) {
        save();
        last_op_ = "agent write by " + agent.tool;
        const char owner = agent.tool == kAgentA.tool ? 'A' : 'B';
        const std::string before = disk_;
        auto [a, b] = random_line();
        std::string old = before.substr(a, b - a);
        const bool nl = !old.empty() && old.back() == '\n';
        std::string line = "    " + (rng_() % 3 ? mutate(nl ? old.substr(0, old.size() - 1) : old)
                                                : kLines[rng_() % kLines.size()]);
        if (!unique(line)) return;
        // A rewrite is a new line (the model says the agent wrote all of it): it keeps no
        // span of the old one as long as kMinCarrySpan, which would be the old author's text.
        const bool rewrite = rng_() % 3 != 0 && nl && common_span(old, line) < 24;
        std::string after;
        std::vector<char> truth;
        if (!rewrite) { // insert a new line before line [a, b)
            after = before.substr(0, a) + line + "\n" + before.substr(a);
            truth = truth_;
            truth.insert(truth.begin() + static_cast<std::ptrdiff_t>(a), line.size() + 1, owner);
        } else { // rewrite the line
            after = before.substr(0, a) + line + "\n" + before.substr(b);
            truth = truth_;
            truth.erase(truth.begin() + static_cast<std::ptrdiff_t>(a),
                        truth.begin() + static_cast<std::ptrdiff_t>(b));
            truth.insert(truth.begin() + static_cast<std::ptrdiff_t>(a), line.size() + 1, owner);
        }
        repo_.write("f.py", after);
        if (std::getenv("PROVENANT_ACCURACY_TRACE"))
            MESSAGE("step " << step_ << " " << agent.tool << " rewrite=" << rewrite << " at " << a
                            << ": [" << line << "] old [" << old << "]");
        if (rng_() % 2) { // the hook first, then the editor's reload
            record(*journal_, "f.py", before, after, agent, now_);
            if (std::getenv("PROVENANT_ACCURACY_TRACE")) MESSAGE("hook first");
            side_->poll();
            now_ += static_cast<uint32_t>(rng_() % 3);
            REQUIRE(doc_->apply_change(++version_, std::nullopt, after));
            side_->changed();
            truth_ = truth;
            side_->save();
        } else { // the reload first (saved by the editor), then the hook
            REQUIRE(doc_->apply_change(++version_, std::nullopt, after));
            side_->changed();
            truth_ = truth;
            side_->save();
            record(*journal_, "f.py", before, after, agent,
                   now_ + static_cast<uint32_t>(rng_() % 3));
            side_->poll();
        }
        disk_ = after;
        auto e = journal_->load("f.py");
        REQUIRE(e.ok());
        REQUIRE(*e);
        check((**e).snapshot, "journal after the agent's write");
    }
    void commit() {
        save();
        last_op_ = "commit";
        repo_.git({"add", "f.py"});
        auto st = repo_.git({"diff", "--cached", "--quiet"}, /*allow_fail=*/true);
        if (st.exit_code == 0) return; // nothing to commit
        repo_.git({"commit", "-q", "-m", "step " + std::to_string(step_)});
        auto r = git::Repo::open(repo_.path());
        REQUIRE(r.ok());
        auto res = git::attach(*r, git::AttachOptions{});
        REQUIRE(res.ok());
        ++commits_;
        if (res->written) check_note(res->note);
        head_ = disk_;
        head_truth_ = truth_;
        side_->poll(); // the session's poll sees the attach's entry: HEAD moved, it reads it
    }
    void check_note(const Note& note) {
        auto f = note.files.find("f.py");
        if (f == note.files.end()) return;
        // The model's owners of each committed line's non-whitespace characters.
        std::vector<std::string> owners(1);
        for (size_t i = 0; i < disk_.size(); ++i) {
            if (disk_[i] == '\n') {
                owners.emplace_back();
                continue;
            }
            if (!blank(disk_[i])) owners.back() += truth_[i];
        }
        auto all = [](const std::string& o, auto pred) {
            return !o.empty() && std::all_of(o.begin(), o.end(), pred);
        };
        for (LineClass c : {LineClass::Ai, LineClass::AiModified, LineClass::Human}) {
            for (uint32_t line : f->second.lines(c)) {
                if (line == 0 || line > owners.size()) continue;
                const std::string& o = owners[line - 1];
                const bool typed = all(o, [](char x) { return x == 'H'; });
                const bool agents = all(o, [](char x) { return x == 'A' || x == 'B'; });
                if (c != LineClass::Human && typed)
                    fail("note: line " + std::to_string(line) + " typed by a person is ai");
                if (c == LineClass::Human && agents)
                    fail("note: line " + std::to_string(line) + " an agent wrote is human");
            }
        }
    }
    void checkout() {
        last_op_ = "git checkout -f, reopen";
        repo_.git({"checkout", "-f", "--", "f.py"});
        disk_ = head_;
        truth_ = head_truth_;
        // The sidecar restores the reopened file against HEAD's text (text HEAD explains is
        // base text, never the entry's uncommitted evidence) and retires the stale entry.
        open();
        // The entry describes the file unless the close wrote unsaved typing into it that the
        // checkout threw away: the reopen takes that for typing lost in a crash (the file is
        // the entry's text less it), keeps the entry as it is and the next write replaces it.
        auto e = journal_->load("f.py");
        REQUIRE(e.ok());
        if (*e && (**e).snapshot.text == disk_) check((**e).snapshot, "journal after the reopen");
    }

    void stash_pop() {
        save();
        last_op_ = "git stash, git stash pop reloaded a hunk at a time";
        // Texts of whole lines (line_hunks), so that a hunk is a range of lines.
        if (disk_ == head_ || disk_.back() != '\n' || head_.empty() || head_.back() != '\n') return;
        const std::string stashed = disk_;
        const std::vector<char> stashed_truth = truth_;
        repo_.git({"stash", "-q"});
        disk_ = head_;
        if (rng_() % 2) { // the editor reloads HEAD's text (a change, no didSave)
            REQUIRE(doc_->apply_change(++version_, std::nullopt, head_));
            side_->changed();
            truth_ = head_truth_;
            side_->flush_edits();
        } else { // no sidecar ran: it reopens the file on HEAD's text
            last_op_ += " (reopened after the stash)";
            truth_ = head_truth_;
            open();
        }
        now_ += 20;
        repo_.git({"stash", "pop", "-q"});
        disk_ = stashed;
        // An incremental editor's reload: one change per hunk, last first, each the size of
        // typing when the hunk is a short line. The model: the stash's owners come back.
        const std::vector<test::LineHunk> hunks = test::line_hunks(head_, stashed);
        const int64_t written_at = version_; // the document's version when the pop wrote
        for (size_t k = hunks.size(); k-- > 0;) {
            const std::string t = text();
            auto line_start = [&t](size_t line) {
                size_t at = 0;
                for (size_t n = 0; n < line; ++n)
                    at = t.find('\n', at) + 1;
                return at;
            };
            edit(line_start(hunks[k].a0), line_start(hunks[k].a1), hunks[k].text, 'U');
        }
        REQUIRE(text() == stashed);
        truth_ = stashed_truth;
        // The session's look at the file (session/reloads.cpp): written in this second, before
        // the hunks came, and no didSave.
        const bool reload = doc_->reloaded_from_disk(written_at, version_, now_);
        side_->flush_edits(reload ? std::optional<uint32_t>(now_) : std::nullopt);
    }

    test::TempRepo repo_;
    std::mt19937_64 rng_;
    std::vector<std::string> words_;
    std::unique_ptr<Journal> journal_;
    std::unique_ptr<SyncedSidecar> side_;
    Document* doc_ = nullptr; // side_'s
    std::string disk_, head_;
    std::vector<char> truth_, head_truth_;
    uint32_t now_ = kT0;
    int64_t version_ = 1;
    int step_ = 0;
    int failures_ = 0;
    int commits_ = 0;
    std::string last_op_;
    const bool trace_ = std::getenv("PROVENANT_ACCURACY_TRACE") != nullptr;
};

} // namespace

TEST_CASE("property: typed text is never ai, an agent's text is never human (journal, git)") {
    int steps = 800;
    if (const char* s = std::getenv("PROVENANT_ACCURACY_STEPS")) steps = std::max(1, std::atoi(s));
    // PROVENANT_ACCURACY_SEED=S: seeds S to S+3 instead (a long run looks at new ones).
    uint64_t first = 1;
    if (const char* s = std::getenv("PROVENANT_ACCURACY_SEED"))
        first = std::strtoull(s, nullptr, 10);
    for (uint64_t seed = first; seed < first + 4; ++seed) {
        CAPTURE(seed);
        Session s(seed);
        s.run(steps);
        CHECK(s.failures() == 0);
    }
}
