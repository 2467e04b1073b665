// git/pack_reader: every object of a packed history with deep delta chains reads back as git
// reads it (`git cat-file`), whatever the order; an object in no pack is nullopt (the caller's
// to read through libgit2); a damaged pack is an Error, never a read past its end.
#include "git/pack_reader.h"
#include "git/repository.h"
#include "support/git_ids.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>
#include <zlib.h>

using namespace provenant;
using provenant::test::oid_of;
using provenant::test::TempRepo;

namespace {

/// A history of 40 versions of three files, packed with deltas (git gc), and one loose blob.
void make_history(const TempRepo& r) {
    std::string a, b;
    for (int c = 0; c < 40; ++c) {
        a += "line " + std::to_string(c) + " of a\n";
        b = "head " + std::to_string(c) + "\n" + b;
        r.write("d/a.txt", a);
        r.write("d/b.txt", b);
        r.write("c.txt", std::string(size_t(100 + c), char('a' + c % 26)));
        r.commit_all("c" + std::to_string(c));
    }
    r.git({"gc", "-q", "--aggressive"});
}

} // namespace

TEST_CASE("PackReader: every packed object reads as git cat-file reads it, oldest first and "
          "newest first; a loose object is nullopt") {
    TempRepo r;
    make_history(r);
    const std::string loose =
        r.git({"hash-object", "-w", "--stdin"}, false, "loose, not packed\n").out.substr(0, 40);
    std::vector<std::string> ids;
    std::istringstream listed(
        r.git({"cat-file", "--batch-all-objects", "--batch-check=%(objectname) %(objecttype)"})
            .out);
    std::string id, type;
    while (listed >> id >> type)
        if (id != loose) ids.push_back(id + " " + type);
    REQUIRE(ids.size() > 100);
    for (const bool reversed : {false, true}) {
        auto reader = git::PackReader::open(r.path() + "/.git", 4096); // a small cache
        REQUIRE(reader->packs() == 1);
        std::vector<std::string> order = ids;
        if (reversed) std::reverse(order.begin(), order.end());
        for (const std::string& entry : order) {
            const std::string hex = entry.substr(0, 40), t = entry.substr(41);
            auto got = reader->read(oid_of(hex));
            REQUIRE(got);
            REQUIRE(*got);
            CHECK(git_object_type2string((*got)->type) == t);
            CHECK(git::data_of(**got) == r.git({"cat-file", t, hex}).out);
        }
        CHECK(reader->deltas_applied() > 0);
        auto none = reader->read(oid_of(loose));
        REQUIRE(none);
        CHECK_FALSE(*none);
    }
}

TEST_CASE("PackReader: a pack cut short or overwritten reads as an Error or as missing, never "
          "past its end") {
    TempRepo r;
    make_history(r);
    namespace fs = std::filesystem;
    fs::path pack;
    for (const auto& e : fs::directory_iterator(r.path() + "/.git/objects/pack"))
        if (e.path().extension() == ".pack") pack = e.path();
    REQUIRE(!pack.empty());
    std::vector<std::string> ids;
    std::istringstream listed(
        r.git({"cat-file", "--batch-all-objects", "--batch-check=%(objectname)"}).out);
    std::string id;
    while (listed >> id)
        ids.push_back(id);
    std::string bytes;
    {
        std::ifstream in(pack, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    fs::permissions(pack, fs::perms::owner_write, fs::perm_options::add);
    for (int damage = 0; damage < 2; ++damage) {
        std::string bad = bytes;
        if (damage == 0)
            bad.resize(bad.size() / 2); // cut short
        else
            for (size_t k = 12; k < bad.size(); k += 7)
                bad[k] = char(bad[k] ^ 0x5a); // overwritten throughout
        {
            std::ofstream out(pack, std::ios::binary | std::ios::trunc);
            out << bad;
        }
        auto reader = git::PackReader::open(r.path() + "/.git");
        size_t errors = 0;
        for (const std::string& hex : ids) {
            auto got = reader->read(oid_of(hex));
            if (!got) ++errors;
        }
        CHECK(errors > 0);
    }
}

namespace {

/// The ids and types of every object of `r` but `except`, as `git cat-file` lists them.
std::vector<std::pair<std::string, std::string>> packed_objects(const TempRepo& r) {
    std::vector<std::pair<std::string, std::string>> out;
    std::istringstream listed(
        r.git({"cat-file", "--batch-all-objects", "--batch-check=%(objectname) %(objecttype)"})
            .out);
    std::string id, type;
    while (listed >> id >> type)
        out.emplace_back(id, type);
    return out;
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The one pack's index and pack files of `r`.
std::pair<std::filesystem::path, std::filesystem::path> the_pack(const TempRepo& r) {
    std::filesystem::path idx;
    for (const auto& e : std::filesystem::directory_iterator(r.path() + "/.git/objects/pack"))
        if (e.path().extension() == ".idx") idx = e.path();
    auto pack = idx;
    return {idx, pack.replace_extension(".pack")};
}

} // namespace

TEST_CASE("PackReader: an index of version 1 is read (every object as git cat-file reads it), "
          "and lists the same ids as version 2's") {
    TempRepo r;
    make_history(r);
    const auto objects = packed_objects(r);
    auto v2 = git::PackReader::open(r.path() + "/.git");
    REQUIRE(v2->packs() == 1);
    // The same pack indexed as git before 1.5.2 did.
    r.git({"-c", "pack.indexVersion=1", "repack", "-adf", "-q"});
    const auto [idx, pack] = the_pack(r);
    REQUIRE(read_file(idx).compare(0, 4, "\377tOc") != 0); // no version-2 magic: version 1
    auto v1 = git::PackReader::open(r.path() + "/.git", 4096);
    REQUIRE(v1->packs() == 1);
    CHECK(v1->ids().size() == objects.size());
    for (const auto& [hex, type] : objects) {
        auto got = v1->read(oid_of(hex));
        REQUIRE(got);
        REQUIRE(*got);
        CHECK(git_object_type2string((*got)->type) == type);
        CHECK(git::data_of(**got) == r.git({"cat-file", type, hex}).out);
    }
    CHECK(v1->deltas_applied() > 0);
}

TEST_CASE("PackReader: an index of version 1 of the wrong size, or a fan-out that decreases, "
          "is not read (libgit2 reads those objects)") {
    TempRepo r;
    make_history(r);
    r.git({"-c", "pack.indexVersion=1", "repack", "-adf", "-q"});
    const auto [idx_path, pack_path] = the_pack(r);
    const std::string idx = read_file(idx_path), pack = read_file(pack_path);
    CHECK(git::PackReader::in_memory(idx, pack)->packs() == 1);
    CHECK(git::PackReader::in_memory(idx.substr(0, idx.size() - 1), pack)->packs() == 0);
    CHECK(git::PackReader::in_memory(idx + "x", pack)->packs() == 0);
    std::string bad = idx;
    bad[4 * 10 + 3] = char(0xff); // fan-out[10] above fan-out[11]
    CHECK(git::PackReader::in_memory(bad, pack)->packs() == 0);
    CHECK(git::PackReader::in_memory(idx, pack.substr(0, 20))->packs() == 0);
}

TEST_CASE("PackReader: a shared reader reads the same packs with a cache of its own, after the "
          "one it came from is gone; bytes in memory read as the mapped files") {
    TempRepo r;
    make_history(r);
    const auto objects = packed_objects(r);
    auto first = git::PackReader::open(r.path() + "/.git");
    auto shared = first->share(4096);
    const auto [idx_path, pack_path] = the_pack(r);
    const std::string idx = read_file(idx_path), pack = read_file(pack_path);
    auto memory = git::PackReader::in_memory(idx, pack);
    first.reset(); // the mappings stay while a reader holds them
    REQUIRE(shared->packs() == 1);
    REQUIRE(memory->packs() == 1);
    CHECK(shared->ids().size() == objects.size());
    for (const auto& [hex, type] : objects) {
        auto a = shared->read(oid_of(hex));
        auto b = memory->read(oid_of(hex));
        REQUIRE(a);
        REQUIRE(b);
        REQUIRE(*a);
        REQUIRE(*b);
        CHECK(git::data_of(**a) == r.git({"cat-file", type, hex}).out);
        CHECK(git::data_of(**b) == git::data_of(**a));
    }
}

namespace {

/// A pack of one blob entry (type 3) whose header says `size` bytes and whose zlib stream is
/// `stream`, with its version 2 index naming it `id` (the reader trusts the index's ids).
std::pair<std::string, std::string> one_entry_pack(const git_oid& id, size_t size,
                                                   const std::string& stream) {
    auto be32 = [](std::string& s, uint32_t v) {
        for (int k = 3; k >= 0; --k)
            s += char((v >> (8 * k)) & 0xff);
    };
    std::string pack = "PACK";
    be32(pack, 2);
    be32(pack, 1);
    const size_t entry_at = pack.size();
    unsigned char c = static_cast<unsigned char>((3 << 4) | (size & 15));
    size_t rest = size >> 4;
    if (rest != 0) c |= 0x80;
    pack += char(c);
    while (rest != 0) {
        c = static_cast<unsigned char>(rest & 0x7f);
        rest >>= 7;
        if (rest != 0) c |= 0x80;
        pack += char(c);
    }
    pack += stream;
    pack += std::string(20, '\0'); // the trailer (not checked by the reader)
    std::string idx = "\377tOc";
    be32(idx, 2);
    for (unsigned k = 0; k < 256; ++k)
        be32(idx, k >= id.id[0] ? 1 : 0);
    idx.append(reinterpret_cast<const char*>(id.id), 20);
    be32(idx, 0); // CRC
    be32(idx, uint32_t(entry_at));
    idx += std::string(40, '\0');
    return {idx, pack};
}

std::string zlib_stream(const std::string& data) {
    uLongf n = compressBound(uLong(data.size()));
    std::string out(n, '\0');
    REQUIRE(compress2(reinterpret_cast<Bytef*>(out.data()), &n,
                      reinterpret_cast<const Bytef*>(data.data()), uLong(data.size()), 9) == Z_OK);
    out.resize(n);
    return out;
}

} // namespace

TEST_CASE("PackReader: a zlib stream that decodes to other bytes than its header and checksum "
          "say is an Error, whichever decoder the build has") {
    const git_oid id = oid_of("11" + std::string(38, 'a'));
    std::string data;
    for (int k = 0; k < 200; ++k)
        data += "line " + std::to_string(k * 7919 % 1000) + " of the blob\n";
    const std::string stream = zlib_stream(data);
    auto read = [&](size_t size, const std::string& s) {
        const auto [idx, pack] = one_entry_pack(id, size, s);
        auto reader = git::PackReader::in_memory(idx, pack);
        REQUIRE(reader->packs() == 1);
        return reader->read(id);
    };
    auto good = read(data.size(), stream);
    REQUIRE(good);
    REQUIRE(*good);
    CHECK(git::data_of(**good) == data);
    CHECK_FALSE(read(data.size() - 1, stream)); // the stream is longer than the header says
    CHECK_FALSE(read(data.size() + 1, stream)); // or shorter
    std::string bad_sum = stream;
    bad_sum[bad_sum.size() - 1] = char(bad_sum.back() ^ 1); // the Adler-32 trailer
    CHECK_FALSE(read(data.size(), bad_sum));
    CHECK_FALSE(read(data.size(), stream.substr(0, stream.size() / 2))); // cut short
    CHECK(read(0, zlib_stream("")));                                     // an empty blob
}
