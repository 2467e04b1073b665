// `provenant status`: the pending provenance of uncommitted work, from the journal, carried
// onto what is on disk now (changes the journal cannot explain are `unknown`).
#include "cli/commands.h"
#include "cli/git_commands.h"
#include "core/carry.h"
#include "core/line_classifier.h"
#include "git/repository.h"
#include "journal/journal.h"
#include "protocol/line_attribution.h"
#include "support/json_text.h"
#include "support/text_lines.h"

#include <array>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

namespace provenant::cli {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

struct StatusOptions {
    bool json = false;
    bool lines = false;
    std::string dir;
    std::vector<std::string> paths;
};

enum class DiskState { Same, Modified, Deleted };

constexpr std::string_view to_string(DiskState s) {
    switch (s) {
    case DiskState::Same:
        return "same";
    case DiskState::Modified:
        return "modified";
    case DiskState::Deleted:
        return "deleted";
    }
    return "same";
}

/// One file's pending provenance as shown.
struct FileStatus {
    std::string path;
    JournalEntry entry; // snapshot carried onto the disk content when modified
    DiskState state = DiskState::Same;
    std::vector<LineVerdict> verdicts;
    /// Per line (index 0 = line 1): the line is in HEAD unchanged (git's line diff), so it is
    /// committed, not pending, whatever fresh bits an open editor still reports for it.
    std::vector<bool> committed;
    size_t committed_count = 0;
    CharCounts chars; ///< of the pending lines only
    // Origins named by ai lines, in first-seen order: snapshot origin id -> output index.
    std::vector<uint32_t> origin_ids;
    std::map<uint32_t, size_t> origin_index;
};

constexpr std::array<LineClass, 5> kShownClasses = {
    LineClass::Ai, LineClass::AiModified, LineClass::Human, LineClass::Paste, LineClass::Unknown};

/// HEAD's text of repository paths; no HEAD (unborn, or no repository libgit2 can open):
/// nothing is committed. One thread.
class HeadTexts {
public:
    explicit HeadTexts(const RepoLocation& repo) {
        auto r = git::Repo::open(repo.workdir);
        if (!r) return;
        auto h = r->resolve("HEAD");
        if (!h) return;
        head_ = *h;
        repo_.emplace(std::move(*r));
    }
    /// nullopt when HEAD has no such file (or it cannot be read: then nothing is hidden).
    std::optional<std::string> text(const std::string& path) const {
        if (!repo_ || !head_) return std::nullopt;
        auto t = repo_->text_at(*head_, path);
        if (!t || !*t) return std::nullopt;
        return **t;
    }

private:
    std::optional<git::Repo> repo_;
    std::optional<git_oid> head_;
};

/// The lines of `text` kept unchanged from `head` (index 0 = line 1), by git's line diff.
std::vector<bool> lines_in_head(const std::optional<std::string>& head, const std::string& text) {
    std::vector<bool> out(git::count_lines(text), false);
    if (!head) return out;
    auto map = git::map_unchanged_lines(*head, text);
    if (!map) return out;
    for (size_t l = 1; l < map->size(); ++l)
        if ((*map)[l] != 0 && (*map)[l] <= out.size()) out[(*map)[l] - 1] = true;
    return out;
}

/// The snapshot reduced to the lines not in `committed` (for their character counts).
Snapshot pending_part(const Snapshot& s, const std::vector<bool>& committed) {
    std::vector<Attr> attrs = s.expand();
    Snapshot out;
    out.origins = s.origins;
    size_t line = 0;
    for (size_t k = 0; k < s.text.size(); ++k) {
        if (line >= committed.size() || !committed[line]) {
            out.text += s.text[k];
            out.push_run(1, attrs[k]);
        }
        if (s.text[k] == '\n') ++line;
    }
    return out;
}

/// Builds the status of one entry against the working tree; nullopt when nothing in it is
/// pending (the file is as committed in HEAD).
Result<std::optional<FileStatus>> file_status(const RepoLocation& repo, const HeadTexts& heads,
                                              JournalEntry entry) {
    FileStatus st;
    st.path = entry.path;
    const fs::path file = repo.workdir / entry.path;
    std::error_code ec;
    auto kind = fs::status(file, ec).type();
    const std::optional<std::string> head = heads.text(entry.path);
    if (kind == fs::file_type::not_found) {
        st.state = DiskState::Deleted;
        st.entry = std::move(entry);
        return std::optional<FileStatus>(std::move(st));
    }
    if (kind != fs::file_type::regular)
        return make_error(ErrorKind::invalid_input, file.string() + " is not a regular file");
    auto disk = read_file(file);
    if (!disk) return disk.error();
    if (head && *disk == *head) return std::optional<FileStatus>(); // all committed
    if (*disk != entry.snapshot.text) {
        st.state = DiskState::Modified;
        // What the journal cannot explain was changed outside any watched editor or agent.
        entry.snapshot = carry(entry.snapshot, *disk, Attr{kUnknownOrigin, Evidence::None, true},
                               OriginRecord{});
    }
    st.entry = std::move(entry);
    st.verdicts = classify_lines(st.entry.snapshot);
    st.committed = lines_in_head(head, st.entry.snapshot.text);
    st.committed.resize(st.verdicts.size(), false);
    (void)classify_lines(pending_part(st.entry.snapshot, st.committed), &st.chars);
    for (size_t i = 0; i < st.verdicts.size(); ++i) {
        const LineVerdict& v = st.verdicts[i];
        if (st.committed[i]) {
            ++st.committed_count;
            continue;
        }
        if (v.origin && !st.origin_index.count(*v.origin)) {
            st.origin_index[*v.origin] = st.origin_ids.size();
            st.origin_ids.push_back(*v.origin);
        }
    }
    return std::optional<FileStatus>(std::move(st));
}

json file_json(const FileStatus& st) {
    LineAttribution attribution; // the shape of provenant/documentProvenance too
    for (size_t i = 0; i < st.verdicts.size(); ++i) {
        const LineVerdict& v = st.verdicts[i];
        if (st.committed[i])
            attribution.add_line("committed");
        else if (v.origin)
            attribution.add_line(to_string(v.cls), *v.origin,
                                 st.entry.snapshot.origins.at(*v.origin));
        else
            attribution.add_line(to_string(v.cls));
    }
    attribution.set_chars(st.chars);
    json out = {{"state", std::string(to_string(st.state))},
                {"writer", st.entry.writer},
                {"updatedMs", st.entry.updated_ms}};
    add_to_json(out, attribution);
    return out;
}

std::string origin_label(const OriginRecord& r) {
    std::string s = r.tool.empty() ? "ai" : r.tool;
    if (!r.kind.empty()) s += " " + r.kind;
    if (!r.model.empty()) s += " " + r.model;
    if (!r.session.empty()) s += " (session " + r.session + ")";
    return s;
}

/// The text of every line, split as classify_lines splits them (on \n).
void print_human(const FileStatus& st, bool with_lines) {
    if (st.state == DiskState::Deleted) {
        std::printf("%s  (deleted on disk; the journal still holds its pending provenance)\n\n",
                    st.path.c_str());
        return;
    }
    std::map<LineClass, size_t> by_class;
    std::map<size_t, size_t> by_origin; // output origin index -> lines
    for (size_t i = 0; i < st.verdicts.size(); ++i) {
        const LineVerdict& v = st.verdicts[i];
        if (st.committed[i]) continue;
        ++by_class[v.cls];
        if (v.origin) ++by_origin[st.origin_index.at(*v.origin)];
    }
    std::printf("%s%s\n", st.path.c_str(),
                st.state == DiskState::Modified
                    ? "  (changed on disk since the journal: unexplained changes are unknown)"
                    : "");
    std::string classes;
    for (LineClass c : kShownClasses)
        classes += (classes.empty() ? "" : ", ") + std::to_string(by_class[c]) + " " +
                   std::string(to_string(c));
    std::printf("  lines: %s (%zu blank", classes.c_str(), by_class[LineClass::Blank]);
    if (st.committed_count > 0) std::printf(", %zu committed, not shown", st.committed_count);
    std::printf(")\n");
    std::printf("  chars: ai %llu, human %llu, paste %llu, unknown %llu\n",
                static_cast<unsigned long long>(st.chars.ai),
                static_cast<unsigned long long>(st.chars.human),
                static_cast<unsigned long long>(st.chars.paste),
                static_cast<unsigned long long>(st.chars.unknown));
    for (size_t i = 0; i < st.origin_ids.size(); ++i)
        std::printf("  origin %zu: %s: %zu lines\n", i,
                    origin_label(st.entry.snapshot.origins.at(st.origin_ids[i])).c_str(),
                    by_origin[i]);
    if (with_lines) {
        auto texts = split_lines(st.entry.snapshot.text, /*strip_cr=*/true);
        for (size_t i = 0; i < st.verdicts.size(); ++i) {
            const LineVerdict& v = st.verdicts[i];
            if (st.committed[i]) continue;
            std::string origin =
                v.origin ? "#" + std::to_string(st.origin_index.at(*v.origin)) : "";
            std::string_view text = i < texts.size() ? texts[i] : std::string_view();
            std::printf("  %6zu  %-11s %-4s %.*s\n", i + 1, std::string(to_string(v.cls)).c_str(),
                        origin.c_str(), static_cast<int>(text.size()), text.data());
        }
    }
    std::printf("\n");
}

/// Repository-relative prefixes selected by the command-line paths; empty means all.
/// nullopt inside means "the whole working tree" was named.
std::vector<std::string> path_filters(const RepoLocation& repo, const fs::path& base,
                                      const std::vector<std::string>& args, bool& all) {
    std::vector<std::string> filters;
    all = args.empty();
    for (const std::string& arg : args) {
        fs::path p = fs::path(arg).is_absolute() ? fs::path(arg) : base / arg;
        std::error_code ec;
        if (fs::weakly_canonical(p, ec) == repo.workdir) {
            all = true;
            continue;
        }
        auto rel = repo_relative_path(repo, p);
        if (!rel) fail("status", rel.error());
        filters.push_back(*rel);
    }
    return filters;
}

bool selected(const std::string& path, const std::vector<std::string>& filters) {
    for (const std::string& f : filters)
        if (path == f ||
            (path.size() > f.size() && path.compare(0, f.size(), f) == 0 && path[f.size()] == '/'))
            return true;
    return false;
}

void run_status(const StatusOptions& opts) {
    std::error_code ec;
    fs::path base = opts.dir.empty() ? fs::current_path(ec) : fs::absolute(opts.dir, ec);
    if (ec) fail("status", ErrorKind::io, "resolving the working directory: " + ec.message());
    if (!opts.dir.empty() && !fs::is_directory(base, ec))
        fail("status", ErrorKind::invalid_input, "cannot run in " + opts.dir + ": not a directory");
    auto repo = locate_repository(base);
    if (!repo) fail("status", repo.error());
    finish_pending_attaches_in(repo->gitdir); // what was committed is no longer pending
    bool all = false;
    std::vector<std::string> filters = path_filters(*repo, base, opts.paths, all);

    Journal journal(repo->gitdir);
    const HeadTexts heads(*repo);
    auto paths = journal.list();
    if (!paths) fail("status", paths.error());

    std::vector<FileStatus> files;
    std::vector<std::pair<std::string, std::string>> errors; // path, message
    for (const std::string& path : *paths) {
        if (!all && !selected(path, filters)) continue;
        auto entry = journal.load(path);
        if (!entry) {
            errors.emplace_back(path, entry.error().message);
            continue;
        }
        if (!entry->has_value()) continue; // corrupt: moved aside with a warning
        auto st = file_status(*repo, heads, std::move(**entry));
        if (!st) {
            errors.emplace_back(path, st.error().message);
            continue;
        }
        if (*st) files.push_back(std::move(**st));
    }

    if (opts.json) {
        json out = {{"repository", repo->workdir.string()}, {"files", json::object()}};
        for (const FileStatus& st : files)
            out["files"][st.path] = file_json(st);
        if (!errors.empty()) {
            out["errors"] = json::array();
            for (auto& [path, message] : errors)
                out["errors"].push_back({{"path", path}, {"message", message}});
        }
        std::string text = json_text_quoted(out, 2);
        std::printf("%s\n", text.c_str());
    } else {
        if (files.empty())
            std::printf("No pending provenance%s.\n", all ? "" : " for the given paths");
        for (const FileStatus& st : files)
            print_human(st, opts.lines);
    }
    std::fflush(stdout);
    if (!errors.empty()) {
        for (auto& [path, message] : errors)
            std::fprintf(stderr, "provenant status: %s: %s\n", path.c_str(), message.c_str());
        fail_quietly();
    }
}

} // namespace

void register_status(CLI::App& app) {
    auto opts = std::make_shared<StatusOptions>();
    auto* cmd = app.add_subcommand(
        "status", "Show the pending provenance of uncommitted work, per file and line");
    cmd->add_flag("--json", opts->json,
                  "Print JSON: {\"files\": {path: {lines, lineOrigins, origins, chars, state}}}");
    cmd->add_flag("--lines", opts->lines, "List every line with its class and origin");
    cmd->add_option("-C", opts->dir, "Run as if provenant was started in this directory");
    cmd->add_option("paths", opts->paths, "Only these files or directories");
    cmd->callback([opts] { run_status(*opts); });
}

} // namespace provenant::cli
