// libFuzzer target: git::PackReader on a pack's index and pack bytes (untrusted: a repository
// is anyone's). The input is the index's length (4 bytes, little-endian), the index, then the
// pack. Every object the index lists is read without crashing, within the bytes and a bounded
// memory; a reader that keeps no bases reads exactly what one that keeps them reads (a kept
// base is what resolving it again would give).
#include "git/pack_reader.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace provenant;

namespace {

/// The same answer: both errors, both missing, or the same type and bytes.
bool same(const Result<std::optional<git::RawObject>>& a,
          const Result<std::optional<git::RawObject>>& b) {
    if (!a || !b) return !a && !b;
    if (!*a || !*b) return !*a && !*b;
    return (*a)->type == (*b)->type && git::data_of(**a) == git::data_of(**b);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 4) return 0;
    const size_t idx_size =
        size_t(data[0]) | size_t(data[1]) << 8 | size_t(data[2]) << 16 | size_t(data[3]) << 24;
    if (idx_size > size - 4) return 0;
    const auto* bytes = reinterpret_cast<const char*>(data) + 4;
    const std::string_view idx(bytes, idx_size), pack(bytes + idx_size, size - 4 - idx_size);
    auto kept = git::PackReader::in_memory(idx, pack, size_t{1} << 20);
    auto none = git::PackReader::in_memory(idx, pack, 0);
    std::vector<git_oid> ids = kept->ids();
    if (ids.size() > 2048) ids.resize(2048); // a damaged count is bounded by the index's size
    for (const git_oid& id : ids) {
        auto a = kept->read(id);
        if (!same(a, none->read(id))) std::abort();
        if (a && *a && (*a)->type != GIT_OBJECT_COMMIT && (*a)->type != GIT_OBJECT_TREE &&
            (*a)->type != GIT_OBJECT_BLOB && (*a)->type != GIT_OBJECT_TAG)
            std::abort(); // a delta's type is never an answer
    }
    git_oid absent{};
    if (auto a = kept->read(absent); a && *a && ids.empty()) std::abort();
    return 0;
}
