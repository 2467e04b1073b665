// Team maps from TOML (toml++, header-only in this file; see cmake/Dependencies.cmake).
#include "analysis/teams.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

namespace provenant::analysis {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool is_glob(std::string_view s) {
    return s.find_first_of("*?") != std::string_view::npos;
}

size_t literal_chars(std::string_view s) {
    return static_cast<size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return c != '*' && c != '?'; }));
}

// The file names of a team map can be hostile too; keep members to a sane size.
constexpr size_t kMaxMemberBytes = 1024;
constexpr uintmax_t kMaxTeamFileBytes = 16u << 20;

} // namespace

bool glob_match(std::string_view pattern, std::string_view text) {
    // Greedy matching with one backtrack point (the last `*`): O(p × t), no recursion.
    size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

Result<void> TeamMap::add(std::string_view email_or_glob, std::string_view team) {
    if (team.empty()) return make_error(ErrorKind::invalid_input, "empty team name");
    if (email_or_glob.empty())
        return make_error(ErrorKind::invalid_input,
                          "empty member in team '" + std::string(team) + "'");
    std::string key = lower(email_or_glob);
    if (!is_glob(key)) {
        auto [it, inserted] = exact_.emplace(key, std::string(team));
        if (!inserted && it->second != team)
            return make_error(ErrorKind::invalid_input, "'" + key + "' is listed under both '" +
                                                            it->second + "' and '" +
                                                            std::string(team) + "'");
        return {};
    }
    for (const Glob& g : globs_) {
        if (g.pattern != key) continue;
        if (g.team == team) return {};
        return make_error(ErrorKind::invalid_input, "pattern '" + key + "' is listed under both '" +
                                                        g.team + "' and '" + std::string(team) +
                                                        "'");
    }
    globs_.push_back({key, std::string(team)});
    // Precedence: more literal characters first, then the team name, then the pattern.
    std::sort(globs_.begin(), globs_.end(), [](const Glob& a, const Glob& b) {
        size_t la = literal_chars(a.pattern), lb = literal_chars(b.pattern);
        if (la != lb) return la > lb;
        if (a.team != b.team) return a.team < b.team;
        return a.pattern < b.pattern;
    });
    return {};
}

std::string TeamMap::canonical() const {
    // Each string after its length: no email or team, whatever its bytes, reads as another.
    std::string out;
    auto put = [&](char kind, const std::string& a, const std::string& b) {
        out += kind + std::to_string(a.size()) + ':' + a + std::to_string(b.size()) + ':' + b;
    };
    for (const auto& [email, team] : exact_)
        put('=', email, team);
    for (const Glob& g : globs_)
        put('*', g.pattern, g.team);
    return out;
}

std::optional<std::string> TeamMap::team_of(std::string_view email) const {
    std::string key = lower(email);
    if (auto it = exact_.find(key); it != exact_.end()) return it->second;
    for (const Glob& g : globs_)
        if (glob_match(g.pattern, key)) return g.team;
    return std::nullopt;
}

std::vector<std::string> TeamMap::teams() const {
    std::vector<std::string> out;
    for (const auto& [email, team] : exact_)
        out.push_back(team);
    for (const Glob& g : globs_)
        out.push_back(g.team);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

Result<TeamMap> parse_team_map(std::string_view toml_text, std::string_view source) {
    std::string src(source);
    auto at = [&](const toml::source_region& r, const std::string& what) {
        if (r.begin.line == 0) return make_error(ErrorKind::invalid_input, src + ": " + what);
        return make_error(ErrorKind::invalid_input, src + ":" + std::to_string(r.begin.line) + ":" +
                                                        std::to_string(r.begin.column) + ": " +
                                                        what);
    };
    toml::parse_result parsed = toml::parse(toml_text, src);
    if (!parsed) return at(parsed.error().source(), std::string(parsed.error().description()));
    const toml::table& root = parsed.table();

    const toml::node* teams_node = root.get("teams");
    if (!teams_node) return make_error(ErrorKind::invalid_input, src + ": no [teams] table");
    const toml::table* teams = teams_node->as_table();
    if (!teams) return at(teams_node->source(), "'teams' must be a table of teams");

    TeamMap map;
    for (const auto& [name, node] : *teams) {
        std::string team(name.str());
        const toml::array* members = node.as_array();
        if (const toml::table* t = node.as_table()) {
            const toml::node* m = t->get("members");
            if (!m) return at(node.source(), "team '" + team + "' has no 'members'");
            members = m->as_array();
            if (!members)
                return at(m->source(),
                          "team '" + team + "': 'members' must be an array of strings");
        }
        if (!members)
            return at(node.source(),
                      "team '" + team + "' must be a table with 'members' or an array");
        for (const toml::node& m : *members) {
            const auto* s = m.as_string();
            if (!s) return at(m.source(), "team '" + team + "': members must be strings");
            const std::string& email = s->get();
            if (email.empty() || email.size() > kMaxMemberBytes)
                return at(m.source(), "team '" + team + "': a member must be 1 to " +
                                          std::to_string(kMaxMemberBytes) + " bytes");
            if (auto st = map.add(email, team); !st) return at(m.source(), st.error().message);
        }
    }
    return map;
}

Result<TeamMap> load_team_map(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        return make_error(ErrorKind::io, file.string() + ": not a readable file");
    if (std::filesystem::file_size(file, ec) > kMaxTeamFileBytes)
        return make_error(ErrorKind::invalid_input, file.string() + ": larger than " +
                                                        std::to_string(kMaxTeamFileBytes >> 20) +
                                                        " MiB");
    std::ifstream in(file, std::ios::binary);
    if (!in) return make_error(ErrorKind::io, file.string() + ": cannot open the teams file");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return make_error(ErrorKind::io, file.string() + ": cannot read the teams file");
    return parse_team_map(text.str(), file.string());
}

} // namespace provenant::analysis
