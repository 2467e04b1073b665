// The selection options report and export share, resolved once (docs/report.md).
#include "cli/selection.h"

#include "analysis/deployments.h"
#include "analysis/store.h"
#include "analysis/walk.h"
#include "cli/commands.h"
#include "git/pending_attach.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fnmatch.h>
#include <set>
#include <unistd.h>
#include <unordered_map>

namespace provenant::cli {

namespace fs = std::filesystem;
using analysis::kNone;

namespace {

/// The command whose options are being resolved, for its error messages (one thread).
thread_local const std::string* g_command = nullptr;

[[noreturn]] void die(const Error& e) {
    fail(g_command != nullptr ? *g_command : std::string("report"), e);
}
[[noreturn]] void die(ErrorKind kind, const std::string& m) {
    die(make_error(kind, m));
}

/// YYYY-MM-DD (UTC midnight), an ISO 8601 time with an offset, or unix seconds.
int64_t parse_date(const std::string& s, const char* option) {
    int y = 0, m = 0, d = 0;
    char tail = 0;
    if (s.size() == 10 && std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 &&
        m >= 1 && m <= 12 && d >= 1 && d <= 31) {
        std::tm tm{};
        tm.tm_year = y - 1900;
        tm.tm_mon = m - 1;
        tm.tm_mday = d;
        return static_cast<int64_t>(timegm(&tm));
    }
    auto t = analysis::parse_timestamp(s);
    if (!t)
        die(ErrorKind::invalid_input,
            std::string(option) + ": not a date: '" + s +
                "' (YYYY-MM-DD, ISO 8601 with an offset, or unix seconds)");
    return *t;
}

std::optional<git_oid> try_resolve(const git::Repo& repo, const std::string& rev) {
    auto r = repo.resolve(rev);
    if (!r) return std::nullopt;
    return *r;
}

/// --main's default: the remote's HEAD, else main, else master.
std::optional<git_oid> default_main(const git::Repo& repo) {
    for (const char* r : {"refs/remotes/origin/HEAD", "refs/heads/main", "refs/heads/master"})
        if (auto id = try_resolve(repo, r)) return id;
    return std::nullopt;
}

/// A tag's date: the tagger's for an annotated tag, else its commit's committer date.
int64_t ref_date(const git::Repo& repo, const std::string& ref, const git_oid& commit) {
    git::Object obj;
    if (git_revparse_single(git::Setter(obj), repo.get(), ref.c_str()) == 0 &&
        git_object_type(obj.get()) == GIT_OBJECT_TAG) {
        const git_signature* s = git_tag_tagger(reinterpret_cast<git_tag*>(obj.get()));
        if (s != nullptr) return s->when.time;
    }
    auto c = repo.lookup_commit(commit);
    return c ? git_commit_time(c->get()) : 0;
}

struct Release {
    git_oid commit;
    int64_t date;
};

/// --release: a ref, else a glob over tag names (`v*`).
std::vector<Release> releases_of(const git::Repo& repo, const std::string& spec) {
    std::vector<Release> out;
    if (spec.empty()) return out;
    const bool glob = spec.find_first_of("*?[") != std::string::npos;
    if (!glob) {
        auto id = try_resolve(repo, spec);
        if (!id) die(ErrorKind::not_found, "--release: unknown ref '" + spec + "'");
        out.push_back({*id, ref_date(repo, spec, *id)});
        return out;
    }
    git_strarray tags{};
    if (int rc = git_tag_list(&tags, repo.get()); rc != 0) die(git::git_error(rc, "listing tags"));
    for (size_t i = 0; i < tags.count; ++i) {
        const std::string name = tags.strings[i];
        if (::fnmatch(spec.c_str(), name.c_str(), 0) != 0) continue;
        const std::string ref = "refs/tags/" + name;
        if (auto id = try_resolve(repo, ref)) out.push_back({*id, ref_date(repo, ref, *id)});
    }
    git_strarray_dispose(&tags);
    return out;
}

/// The commits of a revision range ("A..B", or one revision: everything reachable from it).
/// `resolved` is set to the range's resolved ends ("<B>..<A>" or "<B>"): the set depends on
/// nothing else (commits are immutable).
std::set<std::string> range_commits(const git::Repo& repo, const std::string& range,
                                    std::vector<git_oid>& tips, std::string& resolved) {
    git::Revwalk walk;
    if (int rc = git_revwalk_new(git::Setter(walk), repo.get()); rc != 0)
        die(git::git_error(rc, "starting a history walk"));
    const auto dots = range.find("..");
    if (dots != std::string::npos) {
        if (range.find("...") != std::string::npos)
            die(ErrorKind::invalid_input, "symmetric ranges (A...B) are not supported: use A..B");
        std::string a = range.substr(0, dots), b = range.substr(dots + 2);
        if (b.empty()) b = "HEAD";
        if (a.empty()) a = "HEAD";
        auto ia = try_resolve(repo, a), ib = try_resolve(repo, b);
        if (!ia) die(ErrorKind::not_found, "unknown revision '" + a + "'");
        if (!ib) die(ErrorKind::not_found, "unknown revision '" + b + "'");
        tips.push_back(*ib);
        resolved = git::to_hex(*ib) + ".." + git::to_hex(*ia);
        if (int rc = git_revwalk_push(walk.get(), &*ib); rc != 0)
            die(git::git_error(rc, "walking history from " + b));
        if (int rc = git_revwalk_hide(walk.get(), &*ia); rc != 0)
            die(git::git_error(rc, "walking history from " + b + " without " + a));
    } else {
        auto id = try_resolve(repo, range);
        if (!id) die(ErrorKind::not_found, "unknown revision '" + range + "'");
        tips.push_back(*id);
        resolved = git::to_hex(*id);
        if (int rc = git_revwalk_push(walk.get(), &*id); rc != 0)
            die(git::git_error(rc, "walking history from " + range));
    }
    std::set<std::string> out;
    git_oid id;
    int rc = 0;
    while ((rc = git_revwalk_next(&id, walk.get())) == 0)
        out.insert(git::to_hex(id));
    if (rc != GIT_ITEROVER) die(git::git_error(rc, "walking the range '" + range + "'"));
    if (out.empty()) die(ErrorKind::not_found, "the range '" + range + "' has no commits");
    return out;
}

/// Prints the walk's progress on stderr once a cold walk has taken more than a second, and
/// only when stderr is a terminal.
class ProgressLine {
public:
    ProgressLine() : tty_(::isatty(2) == 1), start_(std::chrono::steady_clock::now()) {}
    ~ProgressLine() {
        if (shown_) std::fprintf(stderr, "\r\033[K");
    }
    void operator()(size_t done, size_t total) {
        if (!tty_) return;
        if (std::chrono::steady_clock::now() - start_ < std::chrono::seconds(1)) return;
        shown_ = true;
        std::fprintf(stderr, "\rprovenant %s: walking history %zu/%zu commits",
                     g_command != nullptr ? g_command->c_str() : "report", done, total);
        std::fflush(stderr);
    }

private:
    bool tty_;
    bool shown_ = false;
    std::chrono::steady_clock::time_point start_;
};

} // namespace

void add_selection_options(CLI::App& cmd, SelectionOptions& o, bool with_by) {
    cmd.add_option("range", o.range,
                   "Revision range whose lines are counted (A..B or a revision; default all)");
    cmd.add_option("-C", o.dir, "Run as if started in this directory");
    cmd.add_option("--since", o.since, "Only commits dated on or after (YYYY-MM-DD or ISO 8601)");
    cmd.add_option("--until", o.until, "Only commits dated on or before");
    if (with_by)
        cmd.add_option(
            "--by", o.by,
            "Group by KEY[,KEY...]: tool, model, session, author, team, path, ext, month, week");
    cmd.add_option("--main", o.main_ref,
                   "The main branch (default: the remote's HEAD, else main, else master)");
    cmd.add_option("--release", o.release, "A release ref or tag glob such as 'v*'");
    cmd.add_option("--deployments", o.deployments,
                   "Deployments file (CSV or NDJSON: commit, environment, deployed_at)");
    cmd.add_option("--at", o.at, "Where 'alive' is measured (default --main)");
    cmd.add_option("--survival-days", o.survival_days, "Survival horizon in days (default 30)");
    cmd.add_option("--rework-days", o.rework_days, "Rework window in days (default 21)");
    cmd.add_option("--teams", o.teams, "Team map (TOML)");
    cmd.add_option("--prices", o.prices, "Price table overriding the shipped one");
    cmd.add_flag("--no-cache", o.no_cache, "Neither read nor write the analysis store");
}

namespace {

/// Every price the table holds, as text (each string after its length): the costs depend
/// on nothing else.
std::string prices_text(const PriceTable& t) {
    std::string out;
    auto put = [&](const std::string& s) { out += std::to_string(s.size()) + ':' + s; };
    put(t.label());
    char buf[32];
    for (const auto& [model, p] : t.models()) {
        put(model);
        put(p.vendor);
        for (double v : {p.input, p.output, p.cache_read, p.cache_write_5m, p.cache_write_1h}) {
            std::snprintf(buf, sizeof buf, "%.17g;", v);
            out += buf;
        }
    }
    return out;
}

/// SHA-1 of `text`, 40 hex (a fixed-size stand-in for text of any size or bytes in a key).
std::string digest_of(const std::string& text) {
    git_oid id;
    git_odb_hash(&id, text.data(), text.size(), GIT_OBJECT_BLOB);
    return git::to_hex(id);
}

std::string hex_or_dash(const std::optional<git_oid>& id) {
    return id ? git::to_hex(*id) : "-";
}

} // namespace

std::unique_ptr<Selection> resolve_options(const SelectionOptions& o, const std::string& command) {
    g_command = &command;
    if (o.survival_days < 0) die(ErrorKind::invalid_input, "--survival-days must be 0 or more");
    if (o.rework_days < 0) die(ErrorKind::invalid_input, "--rework-days must be 0 or more");
    auto sel = std::make_unique<Selection>();
    if (!o.teams.empty()) {
        auto t = analysis::load_team_map(o.teams);
        if (!t) die(t.error());
        sel->teams = std::move(*t);
    }
    auto prices = PriceTable::load(o.prices.empty() ? fs::path() : fs::path(o.prices));
    if (!prices) die(prices.error());
    sel->prices = std::move(*prices);

    auto opened = git::Repo::open(o.dir.empty() ? fs::current_path() : fs::path(o.dir), true);
    if (!opened) die(opened.error());
    sel->repo = std::move(*opened);
    git::Repo& repo = *sel->repo;
    if (!repo.bare()) git::finish_pending_attaches(repo);

    auto tips_r = analysis::default_tips(repo);
    if (!tips_r) die(tips_r.error());
    std::vector<git_oid>& tips = sel->tips;
    tips = std::move(*tips_r);

    std::optional<git_oid>& main_id = sel->main_id;
    if (!o.main_ref.empty()) {
        main_id = try_resolve(repo, o.main_ref);
        if (!main_id) die(ErrorKind::not_found, "--main: unknown ref '" + o.main_ref + "'");
    } else {
        main_id = default_main(repo);
    }
    std::optional<git_oid>& at_id = sel->at_id;
    at_id = main_id;
    if (!o.at.empty()) {
        at_id = try_resolve(repo, o.at);
        if (!at_id) die(ErrorKind::not_found, "--at: unknown ref '" + o.at + "'");
    }
    std::vector<Release> releases = releases_of(repo, o.release);
    sel->tagged = releases.size(); // the deployments follow
    if (!o.deployments.empty()) {
        auto deps = analysis::load_deployments(o.deployments);
        if (!deps) die(deps.error());
        for (const auto& d : *deps) {
            std::string env = d.environment;
            std::transform(env.begin(), env.end(), env.begin(), ::tolower);
            if (env != "production") continue;
            auto id = try_resolve(repo, d.commit);
            if (!id) {
                std::fprintf(stderr,
                             "provenant %s: %s: deployed commit %s is not in this repository "
                             "(skipped)\n",
                             command.c_str(), o.deployments.c_str(), d.commit.c_str());
                continue;
            }
            releases.push_back({*id, d.deployed_at});
        }
    }
    std::string range = "-";
    if (!o.range.empty()) sel->in_range = range_commits(repo, o.range, tips, range);
    if (main_id) tips.push_back(*main_id);
    if (at_id) tips.push_back(*at_id);
    for (const auto& r : releases) {
        tips.push_back(r.commit);
        sel->releases.emplace_back(r.commit, r.date);
    }
    sel->dated = !o.since.empty() || !o.until.empty();
    sel->since = o.since.empty() ? INT64_MIN : parse_date(o.since, "--since");
    sel->until = o.until.empty() ? INT64_MAX : parse_date(o.until, "--until");

    // Everything compute_report reads besides the fates, resolved (the report cache's key).
    std::string& in = sel->inputs;
    in = "main " + hex_or_dash(main_id) + " at " + hex_or_dash(at_id) + " range " + range +
         " since " + std::to_string(sel->since) + " until " + std::to_string(sel->until) +
         " survival " + std::to_string(o.survival_days) + " rework " +
         std::to_string(o.rework_days) + " teams " +
         (sel->teams ? digest_of(sel->teams->canonical()) : std::string("-")) + " prices " +
         digest_of(prices_text(*sel->prices)) + " releases";
    for (const auto& [commit, date] : sel->releases)
        in += " " + git::to_hex(commit) + "@" + std::to_string(date);
    g_command = nullptr;
    return sel;
}

void load_selection(Selection& sel, const SelectionOptions& o, const std::string& command) {
    g_command = &command;
    git::Repo& repo = *sel.repo;
    analysis::Fates& fates = sel.fates;
    {
        ProgressLine progress;
        auto f =
            analysis::load_fates(repo, sel.tips, std::ref(progress), !o.no_cache, &sel.store_key);
        if (!f) die(f.error());
        fates = std::move(*f);
    }
    std::unordered_map<std::string, uint32_t> index;
    for (uint32_t i = 0; i < fates.commits.size(); ++i)
        index.emplace(fates.commits[i].id, i);
    auto idx = [&](const git_oid& id) {
        auto it = index.find(git::to_hex(id));
        return it == index.end() ? kNone : it->second;
    };

    analysis::MetricsOptions& mo = sel.metrics;
    mo.main_tip = sel.main_id ? idx(*sel.main_id) : kNone;
    mo.at = sel.at_id ? idx(*sel.at_id) : kNone;
    for (const auto& [commit, date] : sel.releases)
        mo.releases.push_back({idx(commit), date});
    if (!o.deployments.empty())
        sel.deployments.emplace(mo.releases.begin() + static_cast<ptrdiff_t>(sel.tagged),
                                mo.releases.end());
    mo.survival_days = o.survival_days;
    mo.rework_days = o.rework_days;
    mo.prices = &*sel.prices;
    if (sel.teams) {
        const analysis::TeamMap* teams = &*sel.teams;
        mo.team_of = [teams](std::string_view e) { return teams->team_of(e); };
    }
    if (!o.range.empty() || sel.dated) {
        mo.selected.assign(fates.commits.size(), 0);
        size_t any = 0;
        for (uint32_t i = 0; i < fates.commits.size(); ++i) {
            const auto& c = fates.commits[i];
            bool in = (o.range.empty() || sel.in_range.count(c.id) != 0) &&
                      c.commit_time >= sel.since && c.commit_time <= sel.until;
            mo.selected[i] = in ? 1 : 0;
            any += in ? 1 : 0;
        }
        if (any == 0) die(ErrorKind::not_found, "no commits in the selection");
    }
    g_command = nullptr;
}

std::unique_ptr<Selection> resolve_selection(const SelectionOptions& o,
                                             const std::string& command) {
    auto sel = resolve_options(o, command);
    load_selection(*sel, o, command);
    return sel;
}

} // namespace provenant::cli
