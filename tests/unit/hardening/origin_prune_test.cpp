// Issue 12 §10: the origin table is pruned when a journal entry is written. 30,000
// completions, each with its own request id, once pushed one file's entry past its 16 MiB cap
// (after which every edit of the file was lost), although few survived in the text.
#include "core/provenance.h"
#include "journal/journal.h"
#include "support/process.h"

#include <doctest/doctest.h>
#include <filesystem>
#include <nlohmann/json.hpp>

using namespace provenant;
namespace fs = std::filesystem;

namespace {

OriginRecord completion(int i) {
    OriginRecord r;
    r.cls = OriginClass::Ai;
    r.tool = "copilot";
    r.kind = "completion";
    r.model = "gpt-4o";
    r.session = "one-session";
    r.request = "request-" + std::to_string(i) + std::string(400, 'r'); // long ids, as some send
    return r;
}

/// Every byte's record, for comparing snapshots with different tables.
std::vector<OriginRecord> records_of(const Snapshot& s) {
    std::vector<OriginRecord> out;
    for (const Run& r : s.runs)
        out.insert(out.end(), r.length, s.origins.at(r.attr.origin));
    return out;
}

} // namespace

TEST_CASE("prune_origins keeps the fixed three and what the runs name, in order") {
    Snapshot s;
    s.text = "abcdef";
    const uint32_t a = s.origins.intern(completion(1));
    s.origins.intern(completion(2)); // no character left
    const uint32_t c = s.origins.intern(completion(3));
    s.push_run(2, Attr{c, Evidence::Recorded, true});
    s.push_run(2, Attr{kHumanOrigin, Evidence::Inferred, true});
    s.push_run(2, Attr{a, Evidence::Recorded, false});
    const Snapshot p = prune_origins(s);
    REQUIRE(p.validate().ok());
    CHECK(p.origins.size() == 5);
    CHECK(p.origins.at(3) == completion(1)); // table order kept
    CHECK(p.origins.at(4) == completion(3));
    CHECK(p.text == s.text);
    CHECK(records_of(p) == records_of(s));
    CHECK(p.runs[0].attr.origin == 4);
    CHECK(p.runs[2].attr.fresh == false);
    // Nothing to prune: unchanged.
    const Snapshot q = prune_origins(p);
    CHECK(q.runs == p.runs);
    CHECK(q.origins.size() == p.origins.size());
}

TEST_CASE("30,000 completions in one session: the journal entry holds only surviving origins") {
    test::TempDir tmp;
    Journal journal(fs::path(tmp.path()) / ".git");
    // What a long session's document hands the journal: each completion interned, most of
    // them typed over since; three survive in the text.
    Snapshot s;
    s.text = "kept one\nkept two\nkept three\n";
    uint32_t ids[3] = {};
    for (int i = 0; i < 30000; ++i) {
        uint32_t id = s.origins.intern(completion(i));
        if (i == 7) ids[0] = id;
        if (i == 15000) ids[1] = id;
        if (i == 29999) ids[2] = id;
    }
    s.push_run(9, Attr{ids[0], Evidence::Recorded, true});
    s.push_run(9, Attr{ids[1], Evidence::Recorded, true});
    s.push_run(11, Attr{ids[2], Evidence::Recorded, true});
    REQUIRE(s.validate().ok());
    const auto before = records_of(s);

    auto stored = journal.update("src/a.ts", [&](auto) {
        JournalEntry e;
        e.path = "src/a.ts";
        e.snapshot = s;
        e.writer = "lsp";
        return std::optional<JournalEntry>(std::move(e));
    });
    // Unpruned, this entry is ~13 MB of origin records, and a few more such sessions pass the
    // 16 MiB cap; pruned it is a few hundred bytes.
    REQUIRE_MESSAGE(stored.ok(), (stored.ok() ? "" : stored.error().message));
    CHECK(fs::file_size(journal.entry_file("src/a.ts")) < 4096);
    auto loaded = journal.load("src/a.ts");
    REQUIRE(loaded);
    REQUIRE(loaded->has_value());
    const Snapshot& got = (*loaded)->snapshot;
    CHECK(got.origins.size() == 3 + 3);
    CHECK(got.text == s.text);
    CHECK(records_of(got) == before);
    CHECK(records_of((*stored)->snapshot) == before); // what update returns is what is stored
}
