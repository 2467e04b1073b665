// find_repository / locate_repository / repo_relative_path on real repositories: plain,
// nested dirs, worktrees, gitfiles, symlinks, bare, none.
#include "support/repository.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <filesystem>

using namespace provenant;
namespace fs = std::filesystem;
using provenant::test::TempDir;
using provenant::test::TempRepo;
using provenant::test::write_text;

namespace {
fs::path canon(const std::string& p) {
    return fs::canonical(p);
}
} // namespace

TEST_CASE("find_repository: a plain repository from its root, a nested file and a missing file") {
    TempRepo repo;
    repo.write("src/deep/a.txt", "x\n");
    const fs::path root = canon(repo.path());
    for (const std::string& start :
         {repo.path(), repo.file("src"), repo.file("src/deep/a.txt"),
          repo.file("src/deep/not-yet.txt"), repo.file("new/dir/that/does/not/exist.cpp")}) {
        CAPTURE(start);
        auto loc = find_repository(start);
        REQUIRE(loc);
        CHECK(loc->workdir == root);
        CHECK(loc->gitdir == root / ".git");
    }
    auto rel = repo_relative_path(*find_repository(repo.path()), repo.file("src/deep/a.txt"));
    REQUIRE(rel);
    CHECK(*rel == "src/deep/a.txt");
    auto missing = repo_relative_path(*find_repository(repo.path()), repo.file("n/x.cpp"));
    REQUIRE(missing);
    CHECK(*missing == "n/x.cpp");
}

TEST_CASE("find_repository: relative paths and paths outside the working tree") {
    TempRepo repo;
    repo.write("a.txt", "x\n");
    auto loc = find_repository(repo.path());
    REQUIRE(loc);
    auto outside = repo_relative_path(*loc, fs::path(repo.path()).parent_path());
    CHECK_FALSE(outside);
    CHECK_FALSE(repo_relative_path(*loc, repo.path())); // the working tree itself
    CHECK_FALSE(repo_relative_path(*loc, repo.file(".git/config")));
    fs::path saved = fs::current_path();
    fs::current_path(repo.path());
    auto rel = repo_relative_path(*loc, "a.txt");
    auto here = find_repository(".");
    fs::current_path(saved);
    REQUIRE(rel);
    CHECK(*rel == "a.txt");
    REQUIRE(here);
    CHECK(here->workdir == loc->workdir);
}

TEST_CASE("find_repository: inside .git and in a bare repository there is no working tree") {
    TempRepo repo;
    CHECK_FALSE(find_repository(repo.file(".git")));
    CHECK_FALSE(find_repository(repo.file(".git/refs")));
    TempRepo bare(true);
    CHECK_FALSE(find_repository(bare.path()));
    auto why = locate_repository(bare.file("refs/heads"));
    REQUIRE_FALSE(why);
    CHECK(why.error().message.find("bare") != std::string::npos);
}

TEST_CASE("find_repository: no repository") {
    TempDir dir;
    write_text(dir.path() + "/f.txt", "x");
    // The temp dir is not inside a repository on any sane machine; make sure of it.
    if (find_repository(fs::temp_directory_path())) {
        MESSAGE("the temp directory is inside a git repository; skipping");
        return;
    }
    CHECK_FALSE(find_repository(dir.path() + "/f.txt"));
    auto why = locate_repository(dir.path());
    REQUIRE_FALSE(why);
    CHECK(why.error().message.find("not in a git repository") != std::string::npos);
}

TEST_CASE("find_repository: a linked worktree has its own git directory") {
    TempRepo repo;
    repo.write("a.txt", "x\n");
    repo.commit_all("init");
    TempDir outer;
    const std::string wt = outer.path() + "/wt";
    repo.git({"worktree", "add", "-q", "-b", "feature", wt});
    write_text(wt + "/sub/b.txt", "y\n");
    auto loc = find_repository(wt + "/sub/b.txt");
    REQUIRE(loc);
    CHECK(loc->workdir == canon(wt));
    CHECK(loc->gitdir == canon(repo.path()) / ".git" / "worktrees" / "wt");
    // The main worktree is unaffected.
    auto main_loc = find_repository(repo.file("a.txt"));
    REQUIRE(main_loc);
    CHECK(main_loc->gitdir == canon(repo.path()) / ".git");
}

TEST_CASE("find_repository: a submodule-style .git file with a relative gitdir") {
    TempDir dir;
    const std::string work = dir.path() + "/work";
    const std::string store = dir.path() + "/store/modules/sub";
    fs::create_directories(fs::path(store).parent_path());
    auto r = provenant::test::run({"git", "init", "-q", "--separate-git-dir=" + store, work});
    REQUIRE(r.exit_code == 0);
    write_text(work + "/.git", "gitdir: ../store/modules/sub\n");
    write_text(work + "/lib/x.c", "int x;\n");
    auto loc = find_repository(work + "/lib/x.c");
    REQUIRE(loc);
    CHECK(loc->workdir == canon(work));
    CHECK(loc->gitdir == canon(store));
}

TEST_CASE("find_repository: a broken .git file is an error, an empty .git dir is skipped") {
    TempRepo repo;
    write_text(repo.file("broken/.git"), "this is not a gitfile\n");
    write_text(repo.file("broken/f.txt"), "x");
    auto why = locate_repository(repo.file("broken/f.txt"));
    REQUIRE_FALSE(why);
    CHECK(why.error().message.find("gitfile") != std::string::npos);
    write_text(repo.file("dangling/.git"), "gitdir: ../nowhere\n");
    CHECK_FALSE(find_repository(repo.file("dangling")));

    fs::create_directories(repo.file("plain/.git"));
    auto loc = find_repository(repo.file("plain"));
    REQUIRE(loc);
    CHECK(loc->workdir == canon(repo.path()));
}

TEST_CASE("find_repository: symlinks resolve to the canonical repository") {
    TempRepo repo;
    repo.write("src/a.txt", "x\n");
    TempDir links;
    const std::string link = links.path() + "/link-to-src";
    fs::create_directory_symlink(repo.file("src"), link);
    auto loc = find_repository(link + "/a.txt");
    REQUIRE(loc);
    CHECK(loc->workdir == canon(repo.path()));
    auto rel = repo_relative_path(*loc, link + "/a.txt");
    REQUIRE(rel);
    CHECK(*rel == "src/a.txt");
}

TEST_CASE("validate_repo_path") {
    for (const char* good : {"a", "a/b.txt", "dir/sub/file.c", ".hidden", "a/.b", "x..y"})
        CHECK_MESSAGE(validate_repo_path(good), good);
    for (std::string bad :
         {std::string(), std::string("/abs"), std::string("../x"), std::string("a/../b"),
          std::string("a//b"), std::string("a/./b"), std::string("a/"), std::string("."),
          std::string("a\0b", 3), std::string(kMaxRepoPathBytes + 1, 'x')})
        CHECK_FALSE_MESSAGE(validate_repo_path(bad), bad);
}
