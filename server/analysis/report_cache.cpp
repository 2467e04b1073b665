// The report cache: one file per key, <store dir>/reports/<SHA-1 of the key>, holding a magic
// line, the whole key, the SHA-1 of the body and the body (the report in CBOR: it keeps every
// number's type and every string's bytes, UTF-8 or not, exactly as computed).
#include "analysis/report_cache.h"

#include "git/raii.h"
#include "support/fs.h"

#include <algorithm>
#include <spdlog/spdlog.h>
#include <string_view>
#include <system_error>
#include <vector>

namespace provenant::analysis {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMagic = "provenant-report-cache/";

/// SHA-1 (git's blob hash: libgit2 is here anyway) of `data`, 40 hex.
std::string digest(std::string_view data) {
    git_oid id;
    if (git_odb_hash(&id, data.data(), data.size(), GIT_OBJECT_BLOB) != 0) return {};
    return git::to_hex(id);
}

std::string magic_line() {
    return std::string(kMagic) + std::to_string(kReportCacheVersion) + "\n";
}

/// Removes the oldest entries (by modification time) beyond kReportCacheEntries.
void trim(const fs::path& dir) {
    std::error_code ec;
    std::vector<std::pair<fs::file_time_type, fs::path>> entries;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() != 40 || !it->is_regular_file(ec)) continue; // temporary files too
        entries.emplace_back(it->last_write_time(ec), it->path());
    }
    if (entries.size() <= kReportCacheEntries) return;
    std::sort(entries.begin(), entries.end());
    for (size_t k = 0; k + kReportCacheEntries < entries.size(); ++k)
        fs::remove(entries[k].second, ec);
}

} // namespace

fs::path report_cache_dir(const fs::path& store_file) {
    return store_file.parent_path() / "reports";
}

std::string report_cache_key(const StoreKey& store, const std::string& inputs) {
    return "tool " PROVENANT_VERSION " report " + std::to_string(kReportCacheVersion) + " store " +
           std::to_string(kStoreVersion) + " tips " + store.tips + " notes " + store.notes +
           " ai " + store.ai + " " + inputs;
}

std::optional<nlohmann::json> read_cached_report(const fs::path& dir, const std::string& key) {
    const fs::path file = dir / digest(key);
    std::error_code ec;
    if (!fs::exists(file, ec)) return std::nullopt;
    auto text = read_file(file);
    if (!text) {
        spdlog::info("report cache: {}", text.error().message);
        return std::nullopt;
    }
    const std::string head = magic_line() + key + "\n";
    std::string_view rest(*text);
    // The header, then 40 hex and a newline, then the body.
    if (rest.size() < head.size() + 41 || rest.substr(0, head.size()) != head ||
        rest[head.size() + 40] != '\n') {
        spdlog::info("report cache: {} is not an entry for this key", file.string());
        return std::nullopt;
    }
    const std::string_view sum = rest.substr(head.size(), 40);
    const std::string_view body = rest.substr(head.size() + 41);
    if (digest(body) != sum) {
        spdlog::info("report cache: {} does not match its checksum", file.string());
        return std::nullopt;
    }
    nlohmann::json report = nlohmann::json::from_cbor(body.begin(), body.end(), true, false);
    if (report.is_discarded() || !report.is_object()) {
        spdlog::info("report cache: {} does not hold a report", file.string());
        return std::nullopt;
    }
    return report;
}

Status write_cached_report(const fs::path& dir, const std::string& key,
                           const nlohmann::json& report) {
    std::vector<uint8_t> body;
    nlohmann::json::to_cbor(report, body);
    const std::string_view bytes(reinterpret_cast<const char*>(body.data()), body.size());
    std::string text = magic_line() + key + "\n" + digest(bytes) + "\n";
    text.append(bytes);
    // Not fsynced: the entry is a memo of what the store holds; a torn one fails its check.
    if (auto st = atomic_write_file(dir / digest(key), text, WriteOptions{false}); !st) return st;
    trim(dir);
    return {};
}

} // namespace provenant::analysis
