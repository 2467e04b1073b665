// Benchmark: `provenant blame` against `git blame` on a 5,000-line file with 1,000 commits of
// history, every commit carrying a provenant note.
#include "git/note_store.h"
#include "git/repository.h"
#include "git_bench_util.h"

#include <random>

namespace fs = std::filesystem;
using namespace provenant;

namespace {

/// Commits `text` as f.txt on top of `parent` with libgit2 (fast: no process per commit).
git_oid commit_text(git_repository* repo, const std::string& text, const git_oid* parent, int n) {
    git_oid blob, tree_id, commit_id;
    git_blob_create_from_buffer(&blob, repo, text.data(), text.size());
    git_treebuilder* tb = nullptr;
    git_treebuilder_new(&tb, repo, nullptr);
    git_treebuilder_insert(nullptr, tb, "f.txt", &blob, GIT_FILEMODE_BLOB);
    git_treebuilder_write(&tree_id, tb);
    git_treebuilder_free(tb);
    git_tree* tree = nullptr;
    git_tree_lookup(&tree, repo, &tree_id);
    git_signature* sig = nullptr;
    git_signature_new(&sig, "Bench", "bench@example.com", 1'700'000'000 + n, 0);
    git_commit* p = nullptr;
    if (parent) git_commit_lookup(&p, repo, parent);
    const git_commit* parents[] = {p};
    git_commit_create(&commit_id, repo, "HEAD", sig, sig, nullptr,
                      ("c" + std::to_string(n)).c_str(), tree, parent ? 1 : 0, parents);
    git_commit_free(p);
    git_signature_free(sig);
    git_tree_free(tree);
    return commit_id;
}

} // namespace

int main(int argc, char** argv) {
    bench::isolate_git();
    const int commits = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int lines = 5000;
    const int runs = 5;
    git_libgit2_init();
    bench::TempDir dir;
    // A second argument keeps the repository there (for profiling).
    const fs::path path = argc > 2 ? fs::path(argv[2]) : dir.path / "repo";
    bench::must({"git", "init", "-q", "-b", "main", path.string()}, dir.path.string());
    {
        auto repo = git::Repo::open(path);
        if (!repo) {
            std::fprintf(stderr, "%s\n", repo.error().message.c_str());
            return 1;
        }
        git::NoteStore notes(*repo);
        std::mt19937 rng(42);
        std::vector<std::string> file(lines);
        for (int i = 0; i < lines; ++i)
            file[i] = "initial line " + std::to_string(i);
        std::optional<git_oid> parent;
        for (int c = 0; c < commits; ++c) {
            // Each commit rewrites 5 random lines and inserts one.
            if (c > 0) {
                for (int k = 0; k < 5; ++k)
                    file[rng() % file.size()] =
                        "commit " + std::to_string(c) + " edit " + std::to_string(k);
                file.insert(file.begin() + static_cast<long>(rng() % file.size()),
                            "inserted by " + std::to_string(c));
            }
            std::string text;
            for (const auto& l : file)
                text += l + "\n";
            git_oid id = commit_text(repo->get(), text, parent ? &*parent : nullptr, c);
            // A note saying the commit's added lines are AI (every other commit) or human.
            auto changes = repo->added_lines(id);
            Note note;
            note.commit = git::to_hex(id);
            if (parent) note.parent = git::to_hex(*parent);
            for (const auto& fc : *changes) {
                NoteFile nf;
                nf.blob = git::to_hex(fc.blob);
                if (c % 2) {
                    nf.ai = fc.added;
                    nf.by_origin["o1"] = fc.added;
                } else {
                    nf.human = fc.added;
                }
                note.files[fc.path] = nf;
            }
            NoteOrigin o;
            o.record.cls = OriginClass::Ai;
            o.record.tool = "claude-code";
            o.record.model = "claude-sonnet-4";
            o.record.session = "s" + std::to_string(c / 50);
            note.origins["o1"] = o;
            if (auto st = notes.write(id, note); !st) {
                std::fprintf(stderr, "%s\n", st.error().message.c_str());
                return 1;
            }
            parent = id;
        }
        bench::must({"git", "reset", "-q", "--hard"}, path.string());
        // Pack the objects, as in any real repository (both tools read the same packs).
        bench::must({"git", "gc", "-q"}, path.string());
    }
    std::vector<double> ours, git, ours_json;
    for (int i = 0; i < runs + 1; ++i) {
        double a = bench::time_ms({PROVENANT_BINARY, "blame", "f.txt"}, path.string());
        double j = bench::time_ms({PROVENANT_BINARY, "blame", "--json", "f.txt"}, path.string());
        double b = bench::time_ms({"git", "blame", "f.txt"}, path.string());
        if (i == 0) continue; // warm-up
        ours.push_back(a);
        ours_json.push_back(j);
        git.push_back(b);
    }
    std::printf("blame of a %d-line file with %d commits of history (median of %d runs)\n",
                lines + commits - 1, commits, runs);
    std::printf("  provenant blame          %8.1f ms\n", bench::median(ours));
    std::printf("  provenant blame --json   %8.1f ms\n", bench::median(ours_json));
    std::printf("  git blame                %8.1f ms\n", bench::median(git));
    std::printf("  ratio provenant/git      %8.2f\n", bench::median(ours) / bench::median(git));
    git_libgit2_shutdown();
    return 0;
}
