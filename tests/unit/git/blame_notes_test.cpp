// git/blame_notes: the attributions the worker thread reads are the ones read in order on the
// caller's thread: a note with the file's entry (and its origins), a note for another blob of
// the file, a note that is not valid, a commit with none; asking twice reads once.
#include "git/blame_notes.h"
#include "git/pack_reader.h"
#include "support/git_ids.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace provenant;
using provenant::test::oid_of;
using provenant::test::TempRepo;

namespace {

std::string describe(const git::FileAttribution& a) {
    if (!a.file) return "(nothing)";
    std::string out;
    for (uint32_t line = 1; line <= 3; ++line) {
        auto hit = a.file->lookup(line);
        out += hit ? std::string(to_string(hit->first)) + ":" + hit->second : "-";
        if (hit)
            if (auto o = a.origins.find(hit->second); o != a.origins.end())
                out += "/" + o->second.record.tool;
        out += " ";
    }
    return out;
}

} // namespace

TEST_CASE("BlameNotes: the worker reads what the caller reads: an entry, another blob's "
          "entry, an invalid note, none; an ask twice is read once") {
    TempRepo r;
    std::vector<std::string> commits, blobs;
    for (int c = 0; c < 5; ++c) {
        r.write("f.txt", "one " + std::to_string(c) + "\ntwo\nthree\n");
        commits.push_back(r.commit_all("c" + std::to_string(c)));
        blobs.push_back(r.git({"rev-parse", commits.back() + ":f.txt"}).out.substr(0, 40));
    }
    auto note = [&](int c, const std::string& blob) {
        return R"({"schema":"provenant/1","commit":")" + commits[c] +
               R"(","files":{"f.txt":{"blob":")" + blob +
               R"(","lines":{"ai":"1","human":"2-3"},"by_origin":{"o1":"1"}}},)" +
               R"("origins":{"o1":{"class":"ai","tool":"codex","kind":"agent"}}})";
    };
    auto add = [&](int c, const std::string& body) {
        r.git({"notes", "--ref=refs/notes/provenant", "add", "-f", "-m", body, commits[c]});
    };
    add(0, note(0, blobs[0]));
    add(1, note(1, blobs[0])); // the entry names another blob than the commit's
    add(2, "{not json");
    add(4, note(4, blobs[4]));
    r.git({"gc", "-q"}); // packed: read through the PackReader too
    auto repo = git::Repo::open(r.path());
    REQUIRE(repo);
    auto packs = git::PackReader::open(r.path() + "/.git");
    const std::string path = "f.txt";
    std::vector<std::string> seen[2];
    for (const bool worker : {false, true}) {
        CAPTURE(worker);
        git::BlameNotes notes(*repo, packs.get(), worker);
        for (int c = 0; c < 5; ++c)
            notes.want(oid_of(commits[c]), &path, oid_of(blobs[c]));
        notes.want(oid_of(commits[4]), &path, oid_of(blobs[4])); // again: one read
        notes.finish();
        if (!worker) CHECK(notes.read_by_worker() == 0);
        for (int c = 0; c < 5; ++c)
            seen[worker].push_back(describe(notes.get(oid_of(commits[c]), &path)));
        const std::string other = "g.txt";
        CHECK(describe(notes.get(oid_of(commits[0]), &other)) == "(nothing)"); // never asked
    }
    CHECK(seen[1] == seen[0]);
    CHECK(seen[0][0] == "ai:o1/codex human: human: ");
    CHECK(seen[0][1] == "(nothing)");
    CHECK(seen[0][2] == "(nothing)");
    CHECK(seen[0][3] == "(nothing)");
    CHECK(seen[0][4] == seen[0][0]);
}

TEST_CASE("BlameNotes: more asks than a wake batch: the worker reads beside the caller, and "
          "every result is the in-order one") {
    // 40 owners: the worker is woken after 32 asks and reads while the caller asks on and then
    // shares the rest in finish() (the path tmux's blames take; run under ThreadSanitizer).
    TempRepo r;
    constexpr int kCommits = 40;
    std::vector<std::string> commits, blobs;
    for (int c = 0; c < kCommits; ++c) {
        r.write("f.txt", "one " + std::to_string(c) + "\ntwo\nthree\n");
        commits.push_back(r.commit_all("c" + std::to_string(c)));
        blobs.push_back(r.git({"rev-parse", commits.back() + ":f.txt"}).out.substr(0, 40));
        if (c % 3 == 0) continue; // some owners have no note
        const std::string cls = c % 2 ? "ai" : "human";
        r.git({"notes", "--ref=refs/notes/provenant", "add", "-f", "-m",
               R"({"schema":"provenant/1","commit":")" + commits[c] +
                   R"(","files":{"f.txt":{"blob":")" + blobs[c] + R"(","lines":{")" + cls +
                   R"(":"1-3"}}},"origins":{}})",
               commits[c]});
    }
    r.git({"gc", "-q"});
    auto repo = git::Repo::open(r.path());
    REQUIRE(repo);
    auto packs = git::PackReader::open(r.path() + "/.git");
    const std::string path = "f.txt";
    std::vector<std::string> seen[2];
    for (const bool worker : {false, true}) {
        CAPTURE(worker);
        git::BlameNotes notes(*repo, packs.get(), worker);
        for (int c = 0; c < kCommits; ++c)
            notes.want(oid_of(commits[c]), &path, oid_of(blobs[c]));
        notes.finish();
        for (int c = 0; c < kCommits; ++c)
            seen[worker].push_back(describe(notes.get(oid_of(commits[c]), &path)));
    }
    CHECK(seen[1] == seen[0]);
    for (int c = 0; c < kCommits; ++c) {
        CAPTURE(c);
        CHECK(seen[0][c] == (c % 3 == 0 ? "(nothing)"
                             : c % 2    ? "ai: ai: ai: "
                                        : "human: human: human: "));
    }
}
