// Team map for `provenant report --by team`: author emails and email globs -> team names,
// read from a TOML file (format in docs/report.md, "Inputs").
#pragma once

#include "support/result.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace provenant::analysis {

/// Which team an author email belongs to. Built by load_team_map (or by hand in tests);
/// immutable afterwards, so any thread may call team_of concurrently.
///
/// The file (a team is a table with `members`, or just the array):
///
///     [teams.infra]
///     members = ["ana@example.com", "*@infra.example.com"]
///     [teams]
///     web = ["bo@example.com", "web-*@example.com"]
///
/// Other keys (of the file, or of a team's table) are ignored, so a file can carry more.
/// Precedence for one email (compared case-insensitively, ASCII):
///  1. an exact entry (no `*` or `?`) wins over every glob;
///  2. among globs, the longest pattern (most literal characters) wins: `*@infra.example.com`
///     beats `*@*.example.com`;
///  3. on a tie, the team whose name sorts first wins, so the answer never depends on the
///     file's order.
/// An email listed exactly under two teams is an error (the file is ambiguous); the same
/// glob under two teams is an error too.
class TeamMap {
public:
    /// A glob: `*` matches any run of characters (also empty), `?` exactly one; nothing else is
    /// special. Patterns are stored lower-cased.
    struct Glob {
        std::string pattern;
        std::string team;
    };

    /// Adds an entry; an error when it contradicts an earlier one (see above).
    Result<void> add(std::string_view email_or_glob, std::string_view team);

    /// The team of `email`, or nullopt when no entry matches.
    std::optional<std::string> team_of(std::string_view email) const;

    /// Every team name, sorted.
    std::vector<std::string> teams() const;
    bool empty() const { return exact_.empty() && globs_.empty(); }
    /// Every entry in the order team_of tries them, as text: two maps with the same text
    /// give every email the same team (the report cache keys on it).
    std::string canonical() const;

private:
    std::map<std::string, std::string> exact_; ///< lower-cased email -> team
    std::vector<Glob> globs_;                  ///< kept sorted by precedence
};

/// Reads the TOML team file. Errors name the file and, where toml++ gives one, the line and
/// column ("teams.toml:4:12: ..."): unreadable file, bad TOML, a `teams` table missing, a team
/// that is not a table or lacks `members`, a member that is not a non-empty string, an empty
/// team name, contradicting entries. Never throws.
Result<TeamMap> load_team_map(const std::filesystem::path& file);

/// The same from text (`source` names it in messages).
Result<TeamMap> parse_team_map(std::string_view toml_text, std::string_view source);

/// Whether `text` matches the glob (both already lower-cased). O(pattern × text) at worst,
/// never exponential on hostile patterns.
bool glob_match(std::string_view pattern, std::string_view text);

} // namespace provenant::analysis
