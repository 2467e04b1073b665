// Finding journal entries left under a path a commit moved away from (see attach_moves.h).
#include "git/attach_moves.h"

#include <algorithm>
#include <filesystem>
#include <set>

namespace provenant::git {
namespace fs = std::filesystem;
namespace {

/// Candidates compared per commit: a journal rarely holds more than a few gone paths, and a
/// bound keeps attach cheap when it does.
constexpr size_t kMaxCandidates = 64;

bool blank(std::string_view line) {
    return line.find_first_not_of(" \t\r\f\v") == std::string_view::npos;
}

/// Non-blank line numbers (1-based) of `text`.
std::set<uint32_t> non_blank_lines(std::string_view text) {
    std::set<uint32_t> out;
    uint32_t n = 1;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        if (!blank(text.substr(start, end - start))) out.insert(n);
        ++n;
        start = end + 1;
    }
    return out;
}

} // namespace

Result<std::map<std::string, std::string>>
find_moved_entries(const Repo& repo, const git_oid& commit, const std::vector<FileDiff>& changes,
                   const std::vector<std::string>& journal_paths, const EntryLoader& load) {
    std::map<std::string, std::string> out;
    std::set<std::string> in_journal(journal_paths.begin(), journal_paths.end());
    std::vector<const FileDiff*> orphans; // added files with no entry of their own
    for (const FileDiff& fc : changes)
        if (fc.status == FileDiff::Status::Added && fc.skipped.empty() && !fc.added.empty() &&
            !in_journal.count(fc.path))
            orphans.push_back(&fc);
    if (orphans.empty()) return out;

    std::set<std::string> committed_paths;
    for (const FileDiff& fc : changes)
        committed_paths.insert(fc.path);
    struct Candidate {
        std::string path;
        std::string text;
        std::set<uint32_t> lines;
    };
    std::vector<Candidate> gone;
    for (const std::string& p : journal_paths) {
        if (gone.size() >= kMaxCandidates) break;
        if (committed_paths.count(p)) continue;
        std::error_code ec;
        if (fs::exists(repo.workdir() / p, ec) || ec) continue; // still there: not moved
        auto in_tree = repo.text_at(commit, p);
        if (!in_tree) return in_tree.error();
        if (*in_tree) continue; // the commit still has it
        auto e = load(p);
        if (!e) return e.error().context("reading the journal entry of " + p);
        if (!*e) continue;
        Candidate c{p, (*e)->snapshot.text, non_blank_lines((*e)->snapshot.text)};
        if (!c.lines.empty()) gone.push_back(std::move(c));
    }
    if (gone.empty()) return out;

    struct Match {
        size_t shared;
        const FileDiff* file;
        const Candidate* from;
    };
    std::vector<Match> matches;
    for (const FileDiff* fc : orphans) {
        auto text = repo.blob_text(fc->blob);
        if (!text) return text.error();
        const std::set<uint32_t> mine = non_blank_lines(*text);
        if (mine.empty()) continue;
        for (const Candidate& c : gone) {
            auto map = map_unchanged_lines(c.text, *text);
            if (!map) return map.error();
            size_t shared = 0;
            for (uint32_t l : c.lines)
                if (l < map->size() && (*map)[l] != 0) ++shared;
            if (shared * 2 >= c.lines.size() && shared * 2 >= mine.size() && shared > 0)
                matches.push_back({shared, fc, &c});
        }
    }
    // Best pairs first; each file and each entry once.
    std::stable_sort(matches.begin(), matches.end(),
                     [](const Match& a, const Match& b) { return a.shared > b.shared; });
    std::set<std::string> taken;
    for (const Match& m : matches)
        if (!out.count(m.file->path) && !taken.count(m.from->path)) {
            out[m.file->path] = m.from->path;
            taken.insert(m.from->path);
        }
    return out;
}

} // namespace provenant::git
