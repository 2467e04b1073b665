// Deployments from CSV (RFC 4180) or NDJSON; timestamps as unix seconds or ISO 8601.
#include "analysis/deployments.h"

#include "support/json_fields.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

namespace provenant::analysis {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

std::string shown(std::string_view s) {
    if (s.size() <= 60) return "'" + std::string(s) + "'";
    return "'" + std::string(s.substr(0, 60)) + "...'";
}

bool is_hex(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
}

Result<std::string> check_commit(std::string_view commit) {
    commit = trim(commit);
    if (commit.size() < 4 || commit.size() > 64 || !is_hex(commit))
        return make_error(ErrorKind::invalid_input,
                          "commit: expected a hex commit id (4 to 64 digits), got " +
                              shown(commit));
    return lower(commit);
}

template <typename T> bool parse_int(std::string_view s, T& out) {
    if (s.empty()) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

// Fixed-width digits at s[pos..pos+n).
bool digits(std::string_view s, size_t pos, size_t n, int& out) {
    if (pos + n > s.size()) return false;
    for (size_t i = pos; i < pos + n; ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    return parse_int(s.substr(pos, n), out);
}

// One CSV record from `text` at `pos` (RFC 4180: quoted fields may hold commas, quotes as
// "" and line breaks). Advances `pos` and `line` (counting every line break consumed).
Result<std::vector<std::string>> csv_record(std::string_view text, size_t& pos, size_t& line) {
    std::vector<std::string> fields(1);
    bool quoted = false, was_quoted = false;
    while (pos < text.size()) {
        char c = text[pos++];
        if (quoted) {
            if (c == '"') {
                if (pos < text.size() && text[pos] == '"') {
                    fields.back() += '"';
                    ++pos;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n') ++line;
                fields.back() += c;
            }
        } else if (c == '"') {
            if (was_quoted || !trim(fields.back()).empty())
                return make_error(ErrorKind::invalid_input, "a quote inside an unquoted field");
            fields.back().clear();
            quoted = was_quoted = true;
        } else if (c == ',') {
            fields.emplace_back();
            was_quoted = false;
        } else if (c == '\n') {
            ++line;
            break;
        } else if (c == '\r') {
            continue; // CRLF
        } else {
            if (was_quoted && c != ' ' && c != '\t')
                return make_error(ErrorKind::invalid_input, "text after a closing quote");
            fields.back() += c;
        }
        if (fields.back().size() > kMaxDeploymentFieldBytes)
            return make_error(ErrorKind::invalid_input,
                              "a field longer than " + std::to_string(kMaxDeploymentFieldBytes) +
                                  " bytes");
    }
    if (quoted) return make_error(ErrorKind::invalid_input, "a quoted field is not closed");
    return fields;
}

Result<std::vector<Deployment>> parse_csv(std::string_view text, const std::string& src) {
    std::vector<Deployment> out;
    size_t pos = 0, line = 1;
    std::optional<size_t> col_commit, col_env, col_at;
    size_t columns = 0;
    bool header = true;
    while (pos < text.size()) {
        size_t start_line = line;
        auto rec = csv_record(text, pos, line);
        auto where = [&](const std::string& what) {
            return make_error(ErrorKind::invalid_input,
                              src + ":" + std::to_string(start_line) + ": " + what);
        };
        if (!rec) return where(rec.error().message);
        std::vector<std::string>& f = *rec;
        if (f.size() == 1 && trim(f[0]).empty()) continue; // blank line
        if (header) {
            for (size_t i = 0; i < f.size(); ++i) {
                std::string name = lower(trim(f[i]));
                if (name == "commit")
                    col_commit = i;
                else if (name == "environment")
                    col_env = i;
                else if (name == "deployed_at")
                    col_at = i;
            }
            if (!col_commit || !col_env || !col_at)
                return where(
                    "the header row must name the columns commit, environment and deployed_at");
            columns = f.size();
            header = false;
            continue;
        }
        if (f.size() != columns)
            return where(std::to_string(f.size()) + " fields where the header has " +
                         std::to_string(columns));
        Deployment d;
        auto commit = check_commit(f[*col_commit]);
        if (!commit) return where(commit.error().message);
        d.commit = std::move(*commit);
        d.environment = std::string(trim(f[*col_env]));
        if (d.environment.empty()) return where("environment: empty");
        auto at = parse_timestamp(trim(f[*col_at]));
        if (!at) return where("deployed_at: " + at.error().message);
        d.deployed_at = *at;
        out.push_back(std::move(d));
    }
    if (header)
        return make_error(ErrorKind::invalid_input,
                          src + ": empty (expected a header row commit,environment,deployed_at)");
    return out;
}

Result<std::vector<Deployment>> parse_ndjson(std::string_view text, const std::string& src) {
    std::vector<Deployment> out;
    size_t pos = 0, line = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        std::string_view raw =
            text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        ++line;
        auto where = [&](const std::string& what) {
            return make_error(ErrorKind::invalid_input,
                              src + ":" + std::to_string(line) + ": " + what);
        };
        std::string_view l = trim(raw);
        if (l.empty()) continue;
        if (l.size() > 64 * kMaxDeploymentFieldBytes) return where("line too long");
        nlohmann::json j = nlohmann::json::parse(l, nullptr, /*allow_exceptions=*/false);
        if (j.is_discarded() || !j.is_object()) return where("expected one JSON object per line");
        // The fields are read with support/json_fields.h; its PathError names the field.
        Deployment d;
        try {
            auto commit = check_commit(json_fields::string(j, "commit", ""));
            if (!commit) return where(commit.error().message);
            d.commit = std::move(*commit);
            std::string env(trim(json_fields::string(j, "environment", "")));
            if (env.empty()) return where("environment: expected a non-empty string");
            d.environment = std::move(env);
            const nlohmann::json& t = json_fields::require(j, "deployed_at", "");
            if (t.is_number_integer()) {
                d.deployed_at = t.get<int64_t>();
            } else if (t.is_number_unsigned() || t.is_number_float()) {
                return where("deployed_at: expected whole unix seconds");
            } else if (t.is_string()) {
                auto at = parse_timestamp(trim(t.get_ref<const std::string&>()));
                if (!at) return where("deployed_at: " + at.error().message);
                d.deployed_at = *at;
            } else {
                return where("deployed_at: expected a string or an integer");
            }
        } catch (const json_fields::PathError& e) {
            return where(e.what());
        }
        out.push_back(std::move(d));
    }
    return out;
}

} // namespace

Result<int64_t> parse_timestamp(std::string_view s) {
    s = trim(s);
    if (s.empty()) return make_error(ErrorKind::invalid_input, "empty");
    int64_t seconds = 0;
    if (std::all_of(s.begin() + (s.front() == '-' ? 1 : 0), s.end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
        if (!parse_int(s, seconds))
            return make_error(ErrorKind::invalid_input, "unix seconds out of range: " + shown(s));
        return seconds;
    }
    // YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM|±HH)
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    auto bad = [&]() {
        return make_error(
            ErrorKind::invalid_input,
            "expected unix seconds or ISO 8601 'YYYY-MM-DDTHH:MM:SS' with Z or an offset, got " +
                shown(s));
    };
    if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, mo) ||
        s[7] != '-' || !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        !digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' ||
        !digits(s, 17, 2, sec))
        return bad();
    size_t pos = 19;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
        ++pos;
        size_t start = pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9')
            ++pos;
        if (pos == start) return bad(); // fractions are dropped: whole seconds
    }
    if (pos == s.size())
        return make_error(ErrorKind::invalid_input,
                          "no time zone (add Z or an offset such as +02:00): " + shown(s));
    int offset = 0;
    std::string_view zone = s.substr(pos);
    if (zone == "Z" || zone == "z") {
        offset = 0;
    } else if (zone[0] == '+' || zone[0] == '-') {
        int oh = 0, om = 0;
        bool ok = zone.size() == 3   ? digits(zone, 1, 2, oh)
                  : zone.size() == 5 ? digits(zone, 1, 2, oh) && digits(zone, 3, 2, om)
                  : zone.size() == 6
                      ? digits(zone, 1, 2, oh) && zone[3] == ':' && digits(zone, 4, 2, om)
                      : false;
        if (!ok || oh > 23 || om > 59) return bad();
        offset = (zone[0] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
        return bad();
    }
    using namespace std::chrono;
    year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || h > 23 || mi > 59 || sec > 60)
        return make_error(ErrorKind::invalid_input, "not a valid date and time: " + shown(s));
    int64_t days = sys_days{ymd}.time_since_epoch().count();
    // A leap second (":60") counts as the next second's start, as POSIX time does.
    return days * 86400 + h * 3600 + mi * 60 + sec - offset;
}

Result<std::vector<Deployment>> parse_deployments(std::string_view text, std::string_view source) {
    std::string src(source);
    if (text.size() > kMaxDeploymentsBytes)
        return make_error(ErrorKind::invalid_input, src + ": larger than the 256 MiB limit");
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3); // a UTF-8 BOM from spreadsheets
    size_t first = text.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && text[first] == '{') return parse_ndjson(text, src);
    return parse_csv(text, src);
}

Result<std::vector<Deployment>> load_deployments(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        return make_error(ErrorKind::io, file.string() + ": not a readable file");
    if (std::filesystem::file_size(file, ec) > kMaxDeploymentsBytes)
        return make_error(ErrorKind::invalid_input,
                          file.string() + ": larger than the 256 MiB limit");
    std::ifstream in(file, std::ios::binary);
    if (!in) return make_error(ErrorKind::io, file.string() + ": cannot open the deployments file");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        return make_error(ErrorKind::io, file.string() + ": cannot read the deployments file");
    return parse_deployments(text.str(), file.string());
}

} // namespace provenant::analysis
