// Renderings for people (aligned, short ids) and tools (JSON) of notes and blame.
#include "git/show.h"

#include "support/line_ranges.h"
#include "support/quoted_path.h"
#include "support/terminal_text.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace provenant::git {

namespace {

std::string pct(uint64_t part, uint64_t whole) {
    if (whole == 0) return "0%";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%",
                  100.0 * static_cast<double>(part) / static_cast<double>(whole));
    return buf;
}

std::string pad(const std::string& s, size_t width) {
    return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

std::string tokens_text(const TokenUsage& t) {
    std::ostringstream s;
    s << "in " << t.input << ", out " << t.output;
    if (t.cache_read) s << ", cache read " << t.cache_read;
    if (t.cache_write_5m || t.cache_write_1h)
        s << ", cache write " << (t.cache_write_5m + t.cache_write_1h);
    return s.str();
}

// Every string from a note is untrusted (notes arrive from any remote): escaped before it
// reaches the terminal (issue 12 §13).
std::string safe(const std::string& s) {
    return terminal_safe(s);
}

} // namespace

std::string render_note(const Note& note) {
    std::ostringstream s;
    s << "commit " << safe(note.commit) << "\n";
    s << "parent " << (note.parent.empty() ? "(none: root commit)" : safe(note.parent)) << "\n";
    s << "note   " << safe(note.schema) << " by " << safe(note.tool) << " "
      << safe(note.tool_version) << "\n";
    if (note.rewrite) {
        s << "carried (" << safe(note.rewrite->kind) << ") from";
        for (const auto& c : note.rewrite->from)
            s << " " << safe(c.substr(0, 12));
        s << "\n";
    }
    const LineCounts t = note.line_totals();
    s << "\nlines added: " << t.total() << "\n";
    for (LineClass c : kNoteLineClasses)
        s << "  " << pad(std::string(to_string(c)), 12) << pad(std::to_string(t[c]), 8)
          << pct(t[c], t.total()) << "\n";
    const CharCounts ch = note.char_totals();
    if (ch.total())
        s << "characters added: ai " << ch.ai << ", human " << ch.human << ", paste " << ch.paste
          << ", unknown " << ch.unknown << "\n";

    if (!note.files.empty()) {
        size_t w = 4;
        for (const auto& [path, f] : note.files)
            w = std::max(w, safe(path).size());
        s << "\nfiles:\n";
        for (const auto& [path, f] : note.files) {
            s << "  " << pad(safe(path), w) << "  ";
            if (!f.skipped.empty()) {
                s << "skipped: " << safe(f.skipped) << "\n";
                continue;
            }
            bool first = true;
            for (LineClass c : kNoteLineClasses) {
                if (f.lines(c).empty()) continue;
                s << (first ? "" : "  ") << to_string(c) << " " << format_line_ranges(f.lines(c));
                first = false;
            }
            if (!f.truncated.empty()) s << "  (truncated: " << safe(f.truncated) << ")";
            s << "\n";
        }
    }
    if (!note.origins.empty()) {
        s << "\norigins:\n";
        for (const auto& [id, o] : note.origins) {
            const OriginRecord& r = o.record;
            s << "  " << pad(safe(id), 4) << " " << to_string(r.cls);
            if (!r.tool.empty()) s << "  " << safe(r.tool);
            if (!r.kind.empty()) s << " (" << safe(r.kind) << ")";
            if (!r.model.empty()) s << "  model " << safe(r.model);
            if (!r.session.empty()) s << "  session " << safe(r.session);
            s << "\n";
            if (!o.tokens.empty()) s << "       tokens " << tokens_text(o.tokens) << "\n";
            if (o.funnel)
                s << "       funnel: generated " << o.funnel->generated << ", committed "
                  << o.funnel->committed << ", discarded " << o.funnel->discarded << ", pending "
                  << o.funnel->pending << "\n";
        }
        TokenUsage idle = note.token_totals(true);
        if (!idle.empty()) s << "  spend with nothing committed: " << tokens_text(idle) << "\n";
    }
    return s.str();
}

std::string render_blame(const std::vector<BlameLine>& lines) {
    size_t wc = 5, wt = 4, wm = 5, wl = 1;
    for (const auto& b : lines) {
        wc = std::max(wc, std::string(to_string(b.cls)).size());
        wt = std::max(wt, safe(b.tool).size());
        wm = std::max(wm, safe(b.model).size());
        wl = std::max(wl, std::to_string(b.line).size());
    }
    std::ostringstream s;
    for (const auto& b : lines) {
        std::string num = std::to_string(b.line);
        s << safe(b.commit.substr(0, 10)) << "  " << pad(std::string(to_string(b.cls)), wc) << "  "
          << pad(b.tool.empty() ? "-" : safe(b.tool), wt) << "  "
          << pad(b.model.empty() ? "-" : safe(b.model), wm) << "  "
          << std::string(wl - num.size(), ' ') << num << ") " << b.text
          << "\n"; // the file's own text, printed raw as git blame does
    }
    return s.str();
}

nlohmann::json blame_json(const std::vector<BlameLine>& lines) {
    nlohmann::json out = nlohmann::json::array();
    auto opt = [](const std::string& v) {
        return v.empty() ? nlohmann::json(nullptr) : nlohmann::json(v);
    };
    for (const auto& b : lines)
        out.push_back({{"line", b.line},
                       {"commit", b.commit},
                       {"class", to_string(b.cls)},
                       {"tool", opt(b.tool)},
                       {"model", opt(b.model)},
                       {"session", opt(b.session)}});
    return out;
}

namespace {

/// Appends `s` as a JSON string the way json_text_quoted prints it: quoted as git quotes paths
/// when it is not UTF-8 or begins with `"`, then escaped as nlohmann's dump escapes (", \\ and
/// control characters; \\b \\t \\n \\f \\r by name, the rest as \\u00xx).
void append_json_string(std::string& out, const std::string& s) {
    const bool quote = !valid_utf8(s) || (!s.empty() && s.front() == '"');
    const std::string quoted = quote ? quote_path(s) : std::string();
    const std::string_view v = quote ? std::string_view(quoted) : std::string_view(s);
    out += '"';
    for (const char c : v) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            if (u < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(u));
                out += buf;
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

void append_optional(std::string& out, const std::string& s) {
    if (s.empty())
        out += "null";
    else
        append_json_string(out, s);
}

} // namespace

std::string blame_json_text(const std::vector<BlameLine>& lines) {
    std::string out;
    out.reserve(lines.size() * 160 + 2);
    out += '[';
    for (const BlameLine& b : lines) {
        if (out.size() > 1) out += ',';
        out += "{\"class\":";
        append_json_string(out, std::string(to_string(b.cls)));
        out += ",\"commit\":";
        append_json_string(out, b.commit);
        out += ",\"line\":";
        out += std::to_string(b.line);
        out += ",\"model\":";
        append_optional(out, b.model);
        out += ",\"session\":";
        append_optional(out, b.session);
        out += ",\"tool\":";
        append_optional(out, b.tool);
        out += '}';
    }
    out += ']';
    return out;
}

} // namespace provenant::git
