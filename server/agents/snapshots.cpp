// Pre-tool snapshots: the named files, or every file git reports changed, kept as JSON in the
// git directory until the matching post-tool hook takes them.
#include "agents/snapshots.h"

#include "git/raii.h"
#include "git/repository.h"
#include "journal/sessions.h"
#include "support/json_fields.h"
#include "support/json_text.h"
#include "support/quoted_path.h"

#include <set>
#include <spdlog/spdlog.h>

namespace provenant::agents {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using StatusList = std::unique_ptr<git_status_list, git::Deleter<git_status_list_free>>;

std::string safe_name(const std::string& id) {
    std::string out;
    for (char c : id.substr(0, 120))
        out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
    return out.empty() ? "_" : out;
}

SnapFile read_snap_file(const fs::path& file, size_t& budget) {
    SnapFile f;
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return f;
    auto text = read_file(file);
    if (!text) return f;
    f.exists = true;
    f.blob = blob_id(*text);
    // JSON holds UTF-8 only (the strict check json_text makes): other content keeps its blob
    // id (the text before is then unknown).
    if (text->size() <= SnapshotStore::kMaxFileText && text->size() <= budget &&
        valid_utf8(*text)) {
        budget -= text->size();
        f.text = std::move(*text);
    }
    return f;
}

/// Repository-relative paths git reports as changed (index or worktree) or untracked.
Result<std::vector<std::string>> status_paths(const RepoLocation& repo) {
    auto r = git::Repo::open(repo.workdir);
    if (!r) return r.error();
    git_status_options opts;
    git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
    opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
    opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
                 GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
    StatusList list;
    if (git_status_list_new(git::Setter(list), r->get(), &opts) != 0) {
        const git_error* e = git_error_last();
        return make_error(ErrorKind::io, std::string("git status: ") + (e ? e->message : "failed"));
    }
    std::vector<std::string> out;
    size_t n = git_status_list_entrycount(list.get());
    for (size_t i = 0; i < n; ++i) {
        const git_status_entry* e = git_status_byindex(list.get(), i);
        const git_diff_delta* d = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
        if (!d) continue;
        const char* p = d->new_file.path ? d->new_file.path : d->old_file.path;
        if (p) out.emplace_back(p);
    }
    return out;
}

} // namespace

std::string blob_id(std::string_view content) {
    git_oid oid;
    if (git_odb_hash(&oid, content.data(), content.size(), GIT_OBJECT_BLOB) != 0) return {};
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, &oid);
    return hex;
}

SnapshotStore::SnapshotStore(const fs::path& gitdir)
    : dir_(gitdir / "provenant" / "agents" / "pre") {}

fs::path SnapshotStore::file_of(const std::string& id) const {
    return dir_ / (safe_name(id) + ".json");
}

Status SnapshotStore::save(const PreSnapshot& snap) {
    json files = json::object();
    for (const auto& [path, f] : snap.files)
        files[path] = {{"exists", f.exists},
                       {"blob", f.blob},
                       {"text", f.text ? json(*f.text) : json(nullptr)}};
    json j = {{"schema", "provenant-pre-snapshot/1"},
              {"id", snap.id},
              {"created_ms", snap.created_ms},
              {"repo_wide", snap.repo_wide},
              {"files", files}};
    prune();
    // A text that is not UTF-8 cannot be kept as JSON: no snapshot (the post-tool hook then
    // treats the file as it does one it has no snapshot of), never a throw out of the hook.
    auto data = json_text(j);
    if (!data) return data.error().context("saving the pre-edit snapshot " + snap.id);
    // Transient (read once by the post-tool hook): no fsync on the agent's critical path.
    // Source text: created 0600 in 0700 directories (issue 12 §14).
    return atomic_write_file(file_of(snap.id), *data, WriteOptions{.sync = false});
}

Result<std::optional<PreSnapshot>> SnapshotStore::take(const std::string& id) {
    fs::path file = file_of(id);
    std::error_code ec;
    if (!fs::exists(file, ec)) return std::optional<PreSnapshot>();
    auto text = read_file(file);
    fs::remove(file, ec);
    if (!text) return text.error();
    json j = json::parse(*text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("files") || !j["files"].is_object()) {
        spdlog::warn("pre-tool snapshot {} is unreadable: ignored", file.string());
        return std::optional<PreSnapshot>();
    }
    // The file is ours but lives in the repository: a field of the wrong type (a float time,
    // a number for an id) makes it unreadable, never a throw out of the hook or a conversion.
    auto flag = [](const json& obj, const char* key) {
        auto it = obj.find(key);
        return it != obj.end() && it->is_boolean() && it->get<bool>();
    };
    PreSnapshot s;
    try {
        s.id = json_fields::opt_string(j, "id", "").value_or(std::string());
        s.created_ms = json_fields::opt_integer(j, "created_ms", "");
        s.repo_wide = flag(j, "repo_wide");
        for (const auto& [path, f] : j["files"].items()) {
            if (!f.is_object() || validate_repo_path(path).ok() == false) continue;
            SnapFile sf;
            sf.exists = flag(f, "exists");
            sf.blob = json_fields::opt_string(f, "blob", "").value_or(std::string());
            if (f.contains("text") && f["text"].is_string()) sf.text = f["text"].get<std::string>();
            s.files[path] = std::move(sf);
        }
    } catch (const json_fields::PathError& e) {
        spdlog::warn("pre-tool snapshot {} is unreadable ({}): ignored", file.string(), e.what());
        return std::optional<PreSnapshot>();
    }
    return std::optional<PreSnapshot>(std::move(s));
}

void SnapshotStore::prune() {
    std::error_code ec;
    if (!fs::exists(dir_, ec)) return;
    auto now = fs::file_time_type::clock::now();
    size_t seen = 0;
    for (const auto& e : fs::directory_iterator(dir_, ec)) {
        if (++seen > 4096) break;
        auto t = e.last_write_time(ec);
        if (!ec && now - t > std::chrono::milliseconds(kMaxAgeMs)) fs::remove(e.path(), ec);
    }
}

PreSnapshot snapshot_files(const RepoLocation& repo, const std::vector<std::string>& paths) {
    PreSnapshot s;
    s.created_ms = now_ms();
    size_t budget = SnapshotStore::kMaxTotalText;
    for (const auto& p : paths)
        s.files[p] = read_snap_file(repo.workdir / p, budget);
    return s;
}

Result<PreSnapshot> snapshot_changed(const RepoLocation& repo) {
    auto paths = status_paths(repo);
    if (!paths) return paths.error();
    PreSnapshot s = snapshot_files(repo, *paths);
    s.repo_wide = true;
    return s;
}

Result<std::vector<ChangedFile>> changed_since(const RepoLocation& repo, const PreSnapshot& snap) {
    std::set<std::string> candidates;
    for (const auto& [p, f] : snap.files)
        candidates.insert(p);
    if (snap.repo_wide) {
        auto now = status_paths(repo);
        if (!now) return now.error();
        candidates.insert(now->begin(), now->end());
    }
    std::optional<git::Repo> gr; // opened only when a file's HEAD text is needed
    std::optional<git_oid> head;
    std::vector<ChangedFile> out;
    for (const auto& p : candidates) {
        SnapFile cur;
        std::error_code ec;
        if (fs::is_regular_file(repo.workdir / p, ec)) {
            auto t = read_file(repo.workdir / p);
            if (t) {
                cur.exists = true;
                cur.blob = blob_id(*t);
                cur.text = std::move(*t);
            }
        }
        auto it = snap.files.find(p);
        ChangedFile c;
        c.path = p;
        c.after = cur.text.value_or("");
        c.deleted = !cur.exists;
        if (it != snap.files.end()) {
            if (it->second.exists == cur.exists && it->second.blob == cur.blob)
                continue; // unchanged by the tool
            if (it->second.exists)
                c.before = it->second.text;
            else
                c.before = std::string();
        } else {
            // Clean when the tool started: its content was HEAD's (absent: a new file).
            if (!gr) {
                auto o = git::Repo::open(repo.workdir);
                if (!o) return o.error();
                gr.emplace(std::move(*o));
                auto h = gr->resolve("HEAD");
                if (h) head = *h;
            }
            std::optional<std::string> head_text;
            if (head) {
                auto t = gr->text_at(*head, p);
                if (t) head_text = *t;
            }
            if (head_text && blob_id(*head_text) == cur.blob && cur.exists) continue;
            c.before = head_text.value_or(std::string());
        }
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace provenant::agents
