// The line-fates walk going on from a stored walk: a branch started from an old commit is
// walked on (its base state rebuilt from the nearest checkpoint), and the result is the one a
// cold walk gives, compared by commit ids (the two walks may number commits differently).
#include "analysis/new_commits.h"
#include "analysis/store.h"
#include "analysis/walk.h"
#include "support/temp_repo.h"

#include <algorithm>
#include <doctest/doctest.h>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace provenant;
using provenant::test::TempRepo;

namespace {

std::string lines(const std::string& prefix, int from, int to) {
    std::string s;
    for (int i = from; i <= to; ++i)
        s += prefix + " " + std::to_string(i) + "\n";
    return s;
}

/// A line by where it was born: (birth commit id, its index among that commit's lines).
using LineKey = std::pair<std::string, uint32_t>;

LineKey key_of(const analysis::Fates& f, uint32_t line) {
    const auto& birth = f.commits[f.lines[line].birth];
    return {birth.id, line - birth.first_line};
}

/// A walk in terms that do not depend on commit numbering: each line with its path, class
/// and every end (commit id, replacing class); each tip's files as line keys.
struct Canonical {
    std::map<LineKey, std::pair<std::string, std::vector<std::pair<std::string, int>>>> lines;
    std::map<std::string, std::map<std::string, std::vector<LineKey>>> tips;
    bool operator==(const Canonical&) const = default;
};

Canonical canonical(const analysis::Fates& f) {
    Canonical c;
    for (uint32_t l = 0; l < f.lines.size(); ++l)
        c.lines[key_of(f, l)].first =
            f.paths[f.lines[l].path] + ":" + std::to_string(int(f.lines[l].cls));
    for (const auto& e : f.ends)
        c.lines[key_of(f, e.line)].second.emplace_back(f.commits[e.commit].id, int(e.by));
    for (auto& [k, v] : c.lines)
        std::sort(v.second.begin(), v.second.end());
    for (const auto& fs : f.frontier)
        for (const auto& file : fs.files) {
            auto& ids = c.tips[f.commits[fs.commit].id][file.path];
            for (uint32_t id : file.ids)
                ids.push_back(key_of(f, id));
        }
    return c;
}

std::vector<git_oid> tips_of(const git::Repo& repo, const std::vector<std::string>& refs) {
    std::vector<git_oid> out;
    for (const auto& r : refs) {
        auto id = repo.resolve(r);
        REQUIRE(id);
        out.push_back(*id);
    }
    return out;
}

/// main: c0..c5, each changing files (lines replaced, appended, deleted, a rename at c4).
void build_main(TempRepo& r) {
    r.write("a.txt", lines("a", 1, 10));
    r.write("b.txt", lines("b", 1, 5));
    r.commit_all("c0");
    r.write("a.txt", lines("a", 1, 4) + "A FIVE\n" + lines("a", 6, 10));
    r.commit_all("c1");
    r.write("b.txt", lines("b", 1, 5) + lines("b", 6, 8));
    r.commit_all("c2");
    r.write("a.txt", lines("a", 1, 4) + "A FIVE\n" + lines("a", 8, 10));
    r.commit_all("c3");
    r.git({"mv", "b.txt", "c.txt"});
    r.write("c.txt", lines("b", 1, 8) + "c 9\n");
    r.commit_all("c4");
    r.write("a.txt", "a 0\n" + lines("a", 1, 4) + "A FIVE\n" + lines("a", 8, 10));
    r.commit_all("c5");
}

/// A branch from c2 (not a tip, and not a checkpoint at every=2: walk index 2), merged back.
void build_side(TempRepo& r) {
    r.git({"checkout", "-q", "-b", "side", "HEAD~3"});
    r.write("a.txt", lines("a", 1, 4) + "A FIVE\n" + lines("a", 6, 9) + "A TEN\n");
    r.commit_all("s1");
    r.write("d.txt", "d 1\n");
    r.commit_all("s2");
    r.git({"checkout", "-q", "main"});
    r.git({"merge", "-q", "--no-ff", "-m", "merge side", "side"});
}

/// Walks main, adds the side branch, goes on from the first walk and compares with a cold
/// walk of everything.
void check_extend(uint32_t every, size_t checkpoints, size_t replayed) {
    TempRepo r;
    build_main(r);
    auto opened = git::Repo::open(r.path());
    REQUIRE(opened);
    const git::Repo& repo = *opened;
    auto first = analysis::walk_history(repo, tips_of(repo, {"main"}), {}, every);
    REQUIRE(first);
    CHECK(first->stats.walked == 6);
    CHECK(first->checkpoints.size() == checkpoints);
    build_side(r);
    const auto tips = tips_of(repo, {"main", "side"});
    auto cold = analysis::walk_history(repo, tips, {}, every);
    REQUIRE(cold);
    auto extended = analysis::extend_history(repo, std::move(*first), tips, {}, every);
    REQUIRE_MESSAGE(extended, (extended ? "" : extended.error().message));
    // Only the three new commits (s1, s2, the merge) were walked, and c2's state rebuilt.
    CHECK(extended->stats.walked == 3);
    CHECK(extended->stats.replayed == replayed);
    CHECK(extended->commits.size() == cold->commits.size());
    CHECK(extended->lines.size() == cold->lines.size());
    CHECK(extended->ends.size() == cold->ends.size());
    const Canonical c = canonical(*extended);
    CHECK(c == canonical(*cold));
    // The new branch ended a line of the rebuilt state: "a 10" (c0's tenth line) at s1.
    const auto s1 = r.git({"rev-parse", "side~1"}).out.substr(0, 40);
    const auto c0 = r.git({"rev-parse", "main~1~5"}).out.substr(0, 40);
    auto a10 = c.lines.find({c0, 9});
    REQUIRE(a10 != c.lines.end());
    CHECK(a10->second.first == "a.txt:" + std::to_string(int(LineClass::Unknown)));
    bool ended_at_s1 = false;
    for (const auto& [commit, by] : a10->second.second)
        ended_at_s1 = ended_at_s1 || commit == s1;
    CHECK(ended_at_s1);
}

} // namespace

TEST_CASE("extend_history: a branch from an old commit is walked on from the nearest checkpoint") {
    // Checkpoints after walk indices 1, 3 and 5; c2 is diffed again from the one after c1.
    check_extend(2, 3, 1);
}

TEST_CASE("extend_history: without a checkpoint, the old commit's ancestors are diffed again") {
    // None by default on a history this short: c0, c1 and c2 again, and still no new rows.
    check_extend(0, 0, 3);
}

TEST_CASE("extend_history: a rewritten history cannot be walked on") {
    TempRepo r;
    build_main(r);
    auto opened = git::Repo::open(r.path());
    REQUIRE(opened);
    auto first = analysis::walk_history(*opened, tips_of(*opened, {"main"}), {}, 2);
    REQUIRE(first);
    r.git({"reset", "-q", "--hard", "HEAD~1"});
    r.write("e.txt", "e\n");
    r.commit_all("c5 again");
    auto extended =
        analysis::extend_history(*opened, std::move(*first), tips_of(*opened, {"main"}));
    REQUIRE_FALSE(extended);
    CHECK(extended.error().message.find("rewritten") != std::string::npos);
}

TEST_CASE("store: a walk on from the frontier reads no checkpoint; the store keeps them all") {
    TempRepo r;
    build_main(r);
    auto opened = git::Repo::open(r.path());
    REQUIRE(opened);
    const git::Repo& repo = *opened;
    const std::string file = r.path() + "/.git/store.sqlite"; // not in the work tree
    // Checkpoints after walk indices 1, 3 and 5.
    auto first = analysis::walk_history(repo, tips_of(repo, {"main"}), {}, 2);
    REQUIRE(first);
    REQUIRE(first->checkpoints.size() == 3);
    REQUIRE(analysis::write_store(file, {"t1", "-", "-"}, *first));

    // Read back as a report reads it, then on from the frontier as load_fates goes on.
    size_t loads = 0;
    auto go_on = [&](const std::vector<git_oid>& tips, const std::string& key) {
        auto stored = analysis::read_store(file);
        REQUIRE_MESSAGE(stored, (stored ? "" : stored.error().message));
        CHECK(stored->fates.frontier.empty()); // not read by a report that walks nothing
        CHECK(stored->fates.checkpoints.empty());
        auto frontier = analysis::read_frontier(file, stored->fates);
        REQUIRE(frontier);
        stored->fates.frontier = std::move(*frontier);
        analysis::StoredCounts old = analysis::counts_of(stored->fates);
        size_t loaded = 0;
        const size_t nc = old.commits, nl = old.lines;
        auto load = [&]() -> Result<std::vector<analysis::FrontierState>> {
            ++loads;
            analysis::Fates shape; // read_checkpoints checks ids against the stored counts
            shape.commits.resize(nc);
            shape.lines.resize(nl);
            auto cps = analysis::read_checkpoints(file, shape);
            if (cps) loaded = cps->size();
            return cps;
        };
        auto f = analysis::extend_history(repo, std::move(stored->fates), tips, {}, 2, load);
        REQUIRE_MESSAGE(f, (f ? "" : f.error().message));
        old.checkpoints = loaded;
        REQUIRE(analysis::append_store(file, {key, "-", "-"}, *f, old));
        return std::move(*f);
    };

    // Two commits on main: walk indices 6 and 7, a new checkpoint after 7.
    r.write("e.txt", "e 1\n");
    r.commit_all("c6");
    r.write("e.txt", "e 1\ne 2\n");
    r.commit_all("c7");
    const analysis::Fates on = go_on(tips_of(repo, {"main"}), "t2");
    CHECK(loads == 0);
    CHECK_FALSE(on.stats.checkpoints_loaded);
    CHECK(on.stats.walked == 2);
    CHECK(on.stats.replayed == 0);
    CHECK(on.checkpoints.size() == 1); // only the new one is in memory
    auto cold = analysis::walk_history(repo, tips_of(repo, {"main"}), {}, 2);
    REQUIRE(cold);
    CHECK(canonical(on) == canonical(*cold));
    // The store holds the three old checkpoints and the new one, and says so.
    auto all = analysis::read_checkpoints(file, on);
    REQUIRE_MESSAGE(all, (all ? "" : all.error().message));
    CHECK(all->size() == 4);

    // A branch from c4 (HEAD~3 now) needs c4's state: now the checkpoints are read, once,
    // and c4 is rebuilt from the one after c3.
    build_side(r);
    const auto tips = tips_of(repo, {"main", "side"});
    const analysis::Fates side = go_on(tips, "t3");
    CHECK(loads == 1);
    CHECK(side.stats.checkpoints_loaded);
    CHECK(side.stats.replayed == 1);
    auto cold_side = analysis::walk_history(repo, tips, {}, 2);
    REQUIRE(cold_side);
    CHECK(canonical(side) == canonical(*cold_side));
    auto after = analysis::read_checkpoints(file, side);
    REQUIRE(after);
    CHECK(after->size() == side.checkpoints.size()); // loaded ones first, then the new ones
}

namespace {

/// Writes a notes commit (on `parent`, or a root) whose tree holds `note` for `commit` at
/// `fanout` levels of two hex digits, and points refs/notes/provenant at it.
git_oid notes_commit(git_repository* repo, const std::string& commit, const git_oid& note,
                     int fanout, const git_oid* parent) {
    auto tree_of = [&](const std::string& name, const git_oid& id, git_filemode_t mode) {
        git_treebuilder* raw = nullptr;
        REQUIRE(git_treebuilder_new(&raw, repo, nullptr) == 0);
        std::unique_ptr<git_treebuilder, void (*)(git_treebuilder*)> tb(raw, git_treebuilder_free);
        REQUIRE(git_treebuilder_insert(nullptr, tb.get(), name.c_str(), &id, mode) == 0);
        git_oid out;
        REQUIRE(git_treebuilder_write(&out, tb.get()) == 0);
        return out;
    };
    git_oid id = tree_of(commit.substr(size_t(2 * fanout)), note, GIT_FILEMODE_BLOB);
    for (int level = fanout - 1; level >= 0; --level)
        id = tree_of(commit.substr(size_t(2 * level), 2), id, GIT_FILEMODE_TREE);
    git::Tree tree;
    REQUIRE(git_tree_lookup(git::Setter(tree), repo, &id) == 0);
    git_signature* sig = nullptr;
    REQUIRE(git_signature_new(&sig, "t", "t@example.com", 1700000000, 0) == 0);
    git::Signature owned(sig);
    git::Commit p;
    if (parent != nullptr) REQUIRE(git_commit_lookup(git::Setter(p), repo, parent) == 0);
    const git_commit* parents[] = {p.get()};
    git_oid out;
    REQUIRE(git_commit_create(&out, repo, "refs/notes/provenant", sig, sig, nullptr, "notes",
                              tree.get(), parent != nullptr ? 1 : 0, parents) == 0);
    return out;
}

} // namespace

TEST_CASE("changed_notes: a note moved to another fan-out is not a changed note") {
    TempRepo r;
    r.write("a.txt", "a\n");
    const std::string c = r.commit_all("c0");
    auto opened = git::Repo::open(r.path());
    REQUIRE(opened);
    git_repository* repo = opened->get();
    git_oid note, other;
    REQUIRE(git_blob_create_from_buffer(&note, repo, "{}", 2) == 0);
    REQUIRE(git_blob_create_from_buffer(&other, repo, "{ }", 3) == 0);
    const git_oid flat = notes_commit(repo, c, note, 0, nullptr);
    // git re-fans a subtree it writes into: the same note, one level down.
    const git_oid moved = notes_commit(repo, c, note, 1, &flat);
    auto same = analysis::changed_notes(*opened, "refs/notes/provenant", git::to_hex(flat));
    REQUIRE(same);
    CHECK(same->empty());
    // Another note text at the new place is a change.
    notes_commit(repo, c, other, 2, &moved);
    auto changed = analysis::changed_notes(*opened, "refs/notes/provenant", git::to_hex(flat));
    REQUIRE(changed);
    CHECK(*changed == std::vector<std::string>{c});
    // And one the old tip did not have.
    auto added = analysis::changed_notes(*opened, "refs/notes/provenant", "-");
    REQUIRE(added);
    CHECK(*added == std::vector<std::string>{c});
}

TEST_CASE("walk: the diff attribute and the content decide which files' lines are followed") {
    TempRepo r;
    // `-diff` makes a text file binary, `diff` makes a file with a NUL byte text; without the
    // attribute the content decides (a NUL byte: binary).
    r.write(".gitattributes", "*.dat -diff\n*.txt diff\n");
    r.write("a.dat", lines("dat", 1, 3));
    r.write("b.bin", std::string("bin\0ary\n", 8) + lines("bin", 1, 2));
    r.write("c.txt", std::string("nul\0here\n", 9) + lines("txt", 1, 2));
    r.write("d.c", lines("c", 1, 4));
    r.commit_all("c0");
    r.write("a.dat", lines("dat", 1, 5));
    r.write("b.bin", std::string("bin\0ary\n", 8) + lines("bin", 1, 4));
    r.write("c.txt", std::string("nul\0here\n", 9) + lines("txt", 1, 4));
    r.write("d.c", lines("c", 1, 6));
    r.git({"mv", "d.c", "e.c"}); // renamed and changed: both paths plain
    r.commit_all("c1");
    // Changed again without a rename: diffed from the blobs' contents, the attribute looked up
    // by the walk itself (libgit2's tree diff does it for a commit with a rename).
    r.write("a.dat", lines("dat", 1, 6));
    r.write("b.bin", std::string("bin\0ary\n", 8) + lines("bin", 1, 5));
    r.write("c.txt", std::string("nul\0here\n", 9) + lines("txt", 1, 5));
    r.write("e.c", lines("c", 1, 7));
    r.commit_all("c2");
    auto opened = git::Repo::open(r.path());
    REQUIRE(opened);
    auto walked = analysis::walk_history(*opened, tips_of(*opened, {"main"}), {});
    REQUIRE(walked);
    std::map<std::string, int> born;
    for (const auto& l : walked->lines)
        ++born[walked->paths[l.path]];
    CHECK(born.count("a.dat") == 0);
    CHECK(born.count("b.bin") == 0);
    CHECK(born["c.txt"] == 6); // 3 lines, then 2 appended, then 1
    CHECK(born["d.c"] == 4);
    CHECK(born["e.c"] == 3); // the rename kept the 4 lines and added 2; then 1 more
    CHECK(born[".gitattributes"] == 2);
}

namespace {

/// The ids of `fates`' commits, as a stored walk knows them.
std::set<std::string> stored_ids(const analysis::Fates& f) {
    std::set<std::string> out;
    for (const auto& c : f.commits)
        out.insert(c.id);
    return out;
}

/// The ids (hex) of `commits`, in order.
std::vector<std::string> hex_of(const std::vector<git_oid>& commits) {
    std::vector<std::string> out;
    for (const auto& c : commits)
        out.push_back(git::to_hex(c));
    return out;
}

} // namespace

TEST_CASE("new_commits: a merge of two new branches: every new commit after its parents, "
          "no stored commit, and the walk on from the store equals a cold walk") {
    TempRepo r;
    build_main(r);
    auto opened = git::Repo::open(r.path());
    REQUIRE(opened);
    const git::Repo& repo = *opened;
    auto first = analysis::walk_history(repo, tips_of(repo, {"main"}), {});
    REQUIRE(first);
    const std::set<std::string> stored = stored_ids(*first);
    // x: x1, x2 and y: y1, both from main's tip; x merges y (both parents new).
    r.git({"checkout", "-q", "-b", "x"});
    r.write("x.txt", "x 1\n");
    const std::string x1 = r.commit_all("x1");
    r.write("x.txt", "x 1\nx 2\n");
    const std::string x2 = r.commit_all("x2");
    r.git({"checkout", "-q", "-b", "y", "main"});
    r.write("a.txt", "y 0\n" + r.read("a.txt"));
    const std::string y1 = r.commit_all("y1");
    r.git({"checkout", "-q", "x"});
    r.git({"merge", "-q", "--no-ff", "-m", "merge y", "y"});
    const std::string m = r.head();
    size_t asked = 0;
    auto is_stored = [&](const git_oid& id) {
        ++asked;
        return stored.count(git::to_hex(id)) != 0;
    };
    const auto tips = tips_of(repo, {"main", "x", "y"});
    auto fresh = analysis::new_commits(repo, tips, is_stored);
    REQUIRE_MESSAGE(fresh, (fresh ? "" : fresh.error().message));
    const std::vector<std::string> got = hex_of(*fresh);
    REQUIRE(got.size() == 4);
    CHECK(std::set<std::string>(got.begin(), got.end()) == std::set<std::string>{x1, x2, y1, m});
    auto at = [&](const std::string& id) { return std::find(got.begin(), got.end(), id); };
    CHECK(at(x1) < at(x2));
    CHECK(at(x2) < at(m));
    CHECK(at(y1) < at(m));
    // Asked only about the three tips and the five parents of the new commits (main's tip
    // among them), never about the stored history behind them.
    CHECK(asked == 3 + 5);

    auto extended = analysis::extend_history(repo, std::move(*first), tips);
    REQUIRE_MESSAGE(extended, (extended ? "" : extended.error().message));
    CHECK(extended->stats.walked == 4);
    CHECK(extended->stats.replayed == 0);
    auto cold = analysis::walk_history(repo, tips, {});
    REQUIRE(cold);
    CHECK(canonical(*extended) == canonical(*cold));
}

TEST_CASE("new_commits: a new commit whose parent is stored is the only one read") {
    TempRepo r;
    build_main(r);
    auto opened = git::Repo::open(r.path());
    REQUIRE(opened);
    const git::Repo& repo = *opened;
    auto first = analysis::walk_history(repo, tips_of(repo, {"main"}), {});
    REQUIRE(first);
    const std::set<std::string> stored = stored_ids(*first);
    r.write("a.txt", r.read("a.txt") + "a 11\n");
    const std::string c6 = r.commit_all("c6");
    std::vector<std::string> asked;
    auto fresh = analysis::new_commits(repo, tips_of(repo, {"main"}), [&](const git_oid& id) {
        asked.push_back(git::to_hex(id));
        return stored.count(asked.back()) != 0;
    });
    REQUIRE(fresh);
    CHECK(hex_of(*fresh) == std::vector<std::string>{c6});
    // The tip, then its stored parent: the search stops there.
    REQUIRE(asked.size() == 2);
    CHECK(asked[0] == c6);
    CHECK(stored.count(asked[1]) == 1);
    // Nothing new: nothing read.
    auto none = analysis::new_commits(repo, tips_of(repo, {"main~1"}), [&](const git_oid& id) {
        return stored.count(git::to_hex(id)) != 0;
    });
    REQUIRE(none);
    CHECK(none->empty());
    auto extended = analysis::extend_history(repo, std::move(*first), tips_of(repo, {"main"}));
    REQUIRE(extended);
    CHECK(extended->stats.walked == 1);
}

TEST_CASE("load_fates: a rewritten history is detected and the store rebuilt from a full walk") {
    TempRepo r;
    build_main(r);
    auto opened = git::Repo::open(r.path());
    REQUIRE(opened);
    const git::Repo& repo = *opened;
    auto first = analysis::load_fates(repo, tips_of(repo, {"main"}), {}, true);
    REQUIRE(first);
    // c5 replaced by another commit: c5 (stored, on the frontier) is no longer reachable.
    r.git({"reset", "-q", "--hard", "HEAD~1"});
    r.write("e.txt", "e\n");
    const std::string again = r.commit_all("c5 again");
    const auto tips = tips_of(repo, {"main"});
    auto second = analysis::load_fates(repo, tips, {}, true);
    REQUIRE_MESSAGE(second, (second ? "" : second.error().message));
    auto cold = analysis::walk_history(repo, tips, {});
    REQUIRE(cold);
    CHECK(second->stats.walked == 6); // all of it again, not on from the store
    CHECK(canonical(*second) == canonical(*cold));
    CHECK(stored_ids(*second).count(again) == 1);
    // The store now holds the new history: the next report walks nothing.
    auto third = analysis::load_fates(repo, tips, {}, true);
    REQUIRE(third);
    CHECK(third->stats.walked == 0);
    CHECK(stored_ids(*third) == stored_ids(*cold));
    CHECK(third->lines.size() == cold->lines.size());
    CHECK(third->ends.size() == cold->ends.size());
}

TEST_CASE("walk: a blob missing from the object store is an error naming the commit, not a "
          "hang of the diff thread") {
    TempRepo r;
    build_main(r);
    // c3's a.txt: its loose object removed (the diff thread meets it, four commits in).
    const std::string c3 = r.git({"rev-parse", "main~2"}).out.substr(0, 40);
    const std::string blob = r.git({"rev-parse", "main~2:a.txt"}).out.substr(0, 40);
    REQUIRE(std::filesystem::remove(r.path() + "/.git/objects/" + blob.substr(0, 2) + "/" +
                                    blob.substr(2)));
    auto opened = git::Repo::open(r.path());
    REQUIRE(opened);
    for (int run = 0; run < 20; ++run) { // the producer ahead or behind: an error either way
        auto walked = analysis::walk_history(*opened, tips_of(*opened, {"main"}), {});
        REQUIRE_FALSE(walked);
        CHECK(walked.error().message.find(c3) != std::string::npos);
        // The kind comes from libgit2's return code (git_error(rc, ...)): a missing object.
        CHECK(walked.error().kind == ErrorKind::not_found);
    }
}

TEST_CASE("new_commits: a tip that is not in the repository is a not_found error") {
    TempRepo r;
    build_main(r);
    auto opened = git::Repo::open(r.path());
    REQUIRE(opened);
    auto missing = git::oid_from_hex(std::string(40, 'e'));
    REQUIRE(missing);
    auto fresh = analysis::new_commits(*opened, {*missing}, [](const git_oid&) { return false; });
    REQUIRE_FALSE(fresh);
    CHECK(fresh.error().message.find(std::string(40, 'e')) != std::string::npos);
    CHECK(fresh.error().kind == ErrorKind::not_found);
}

TEST_CASE("walk: a cold walk of more commits than the diff thread runs ahead gives the walk "
          "made one commit at a time") {
    // 150 commits: the ring of 64 diffs is reused twice over, the producer waiting for the
    // walk and the walk for the producer. Going on one commit at a time diffs on the walk's
    // own thread (one new commit: no pipeline), so the two must agree line for line.
    TempRepo r;
    constexpr int kCommits = 150;
    for (int i = 0; i < kCommits; ++i) {
        const int round = i / 4;
        r.write("f" + std::to_string(i % 4) + ".txt",
                "head " + std::to_string(i) + "\n" + lines("l", 0, round));
        r.commit_all("c" + std::to_string(i));
    }
    auto opened = git::Repo::open(r.path());
    REQUIRE(opened);
    const git::Repo& repo = *opened;
    auto cold = analysis::walk_history(repo, tips_of(repo, {"main"}), {});
    REQUIRE(cold);
    CHECK(cold->stats.walked == kCommits);
    auto step =
        analysis::walk_history(repo, tips_of(repo, {"main~" + std::to_string(kCommits - 1)}));
    REQUIRE(step);
    for (int back = kCommits - 2; back >= 0; --back) {
        auto next = analysis::extend_history(repo, std::move(*step),
                                             tips_of(repo, {"main~" + std::to_string(back)}));
        REQUIRE_MESSAGE(next, (next ? "" : next.error().message));
        CHECK(next->stats.walked == 1);
        step = std::move(next);
    }
    CHECK(step->lines.size() == cold->lines.size());
    CHECK(step->ends.size() == cold->ends.size());
    CHECK(canonical(*step) == canonical(*cold));
}

TEST_CASE("load_fates: a walk that is not stored keeps no checkpoints, and the same fates") {
    // 300 commits (one fast-import): by default a walk this long keeps a checkpoint after
    // walk index 255, which only a later walk on from the store reads.
    TempRepo r;
    std::string stream;
    for (int c = 0; c < 300; ++c) {
        const std::string text = lines("a", 1, 3) + "a change " + std::to_string(c) + "\n";
        stream += "commit refs/heads/main\ncommitter T <t@example.com> " +
                  std::to_string(1700000000 + c) + " +0000\ndata 2\nc\n" +
                  "M 100644 inline a.txt\ndata " + std::to_string(text.size()) + "\n" + text + "\n";
    }
    r.git({"fast-import", "--quiet"}, false, stream);
    auto opened = git::Repo::open(r.path());
    REQUIRE(opened);
    const auto tips = tips_of(*opened, {"main"});
    auto stored_walk = analysis::walk_history(*opened, tips);
    REQUIRE(stored_walk);
    REQUIRE(stored_walk->commits.size() == 300);
    CHECK(stored_walk->checkpoints.size() == 1);
    auto unstored = analysis::load_fates(*opened, tips, {}, false);
    REQUIRE_MESSAGE(unstored, (unstored ? "" : unstored.error().message));
    CHECK(unstored->checkpoints.empty());
    CHECK(canonical(*unstored) == canonical(*stored_walk));
    CHECK(unstored->lines.size() == stored_walk->lines.size());
    CHECK(unstored->ends.size() == stored_walk->ends.size());
    // Nothing was written: the store is neither read nor written.
    CHECK_FALSE(std::filesystem::exists(analysis::store_path(*opened)));
}
