// Raw tree entries, parsed as libgit2 1.5's git_tree__parse_raw parses them.
#include "git/raw_tree.h"

#include "git/repository.h"

#include <algorithm>

namespace provenant::git {

uint32_t RawTreeEntry::filemode() const {
    // libgit2's normalize_filemode, in its order.
    if (is_tree()) return GIT_FILEMODE_TREE;
    if ((mode & 0100) != 0) return GIT_FILEMODE_BLOB_EXECUTABLE;
    if (is_gitlink()) return GIT_FILEMODE_COMMIT;
    if ((mode & 0170000) == 0120000) return GIT_FILEMODE_LINK;
    return GIT_FILEMODE_BLOB;
}

namespace {

constexpr uint32_t kDirMode = 040000;

/// The mode of an entry that starts `rest` when it is spelled as git writes its five modes
/// ("100644 ", "40000 ", ...), else 0. The walk reads millions of entries: matched whole,
/// they cost a tenth of reading them digit by digit (which gives the same mode for these).
uint32_t common_mode(std::string_view rest) {
    if (rest.size() >= 6 && rest.substr(0, 6) == "40000 ") return kDirMode;
    if (rest.size() < 7 || rest[0] != '1' || rest[6] != ' ') return 0;
    const std::string_view digits = rest.substr(1, 5);
    if (digits == "00644") return 0100644;
    if (digits == "00755") return 0100755;
    if (digits == "20000") return 0120000;
    if (digits == "60000") return 0160000;
    return 0;
}

} // namespace

Result<bool> RawTreeReader::next(RawTreeEntry& out) {
    if (at_ >= data_.size()) return false;
    auto malformed = [&] {
        return Error(ErrorKind::invalid_input, "malformed tree " + to_hex(tree_));
    };
    uint32_t mode = 0;
    if (const uint32_t common = common_mode(data_.substr(at_)); common != 0) {
        mode = common;
        at_ += common == kDirMode ? 5 : 6;
    } else {
        size_t digits = 0;
        for (; at_ < data_.size() && data_[at_] >= '0' && data_[at_] <= '7'; ++at_, ++digits) {
            mode = mode * 8 + uint32_t(data_[at_] - '0');
            if (mode > 0xFFFF) return malformed(); // libgit2 keeps modes in 16 bits
        }
        if (digits == 0 || at_ >= data_.size() || data_[at_] != ' ') return malformed();
    }
    const size_t name_start = ++at_;
    const void* nul = std::memchr(data_.data() + at_, '\0', data_.size() - at_);
    if (nul == nullptr) return malformed();
    const auto name_end = size_t(static_cast<const char*>(nul) - data_.data());
    if (name_end == name_start || data_.size() - name_end - 1 < GIT_OID_RAWSZ) return malformed();
    out.mode = static_cast<uint16_t>(mode);
    out.name = data_.substr(name_start, name_end - name_start);
    out.id = reinterpret_cast<const unsigned char*>(data_.data() + name_end + 1);
    at_ = name_end + 1 + GIT_OID_RAWSZ;
    return true;
}

int compare_entries(const RawTreeEntry& a, const RawTreeEntry& b) {
    // git_fs_path_cmp with git__strncmp: names hold no NUL, so a byte compare.
    const size_t len = std::min(a.name.size(), b.name.size());
    if (len > 0)
        if (const int c = std::memcmp(a.name.data(), b.name.data(), len); c != 0) return c;
    auto after = [len](const RawTreeEntry& e) -> unsigned char {
        if (e.name.size() > len) return static_cast<unsigned char>(e.name[len]);
        return e.is_tree() ? '/' : '\0';
    };
    const unsigned char ca = after(a), cb = after(b);
    return ca < cb ? -1 : ca > cb ? 1 : 0;
}

} // namespace provenant::git
