// A provenant/1 note read straight from its text: JsonScanner's tokens into the Note, with
// note.cpp's rules (note_rules.h, support's line ranges); anything doubtful is declined.
#include "protocol/note_text.h"

#include "protocol/note_rules.h"
#include "support/json_scan.h"
#include "support/line_ranges.h"

namespace provenant {

namespace {

/// The fields of one object read so far, by bit: a field seen twice is declined (nlohmann
/// keeps the last one; which one a reader reads is no question worth a fast path).
class Seen {
public:
    bool first(unsigned bit) {
        if (has(bit)) return false;
        bits_ |= 1u << bit;
        return true;
    }
    bool has(unsigned bit) const { return (bits_ >> bit & 1u) != 0; }

private:
    uint32_t bits_ = 0;
};

/// One note's read. Every method returns false at the first fault or declined form.
class TextReader {
public:
    /// With `only_key`, the entry of `files` under that key (a note_path_key) is the only one
    /// read: the others are checked for syntax and skipped, as parse_note_for's selection
    /// drops them before its parse.
    explicit TextReader(std::string_view text, const std::string* only_key = nullptr)
        : s_(text), only_key_(only_key) {}
    bool read(Note& n);

private:
    /// An object at the cursor: `member(key)` reads each member's value (the cursor is at it).
    template <typename F> bool members(F&& member);
    bool string(std::string& out);
    /// A string, or null (absent: `out` is left as it is).
    bool string_or_null(std::string& out);
    /// A count, or null (absent: `out` is left as it is).
    bool count_or_null(uint64_t& out);
    bool null_here() {
        s_.ws();
        return s_.peek() == 'n' && s_.null();
    }
    bool id(std::string& out) { return string(out) && note_rules::is_hex_id(out); }
    bool ranges(std::vector<uint32_t>& out);
    bool tool(Note& n);
    bool origin(NoteOrigin& o);
    bool tokens(TokenUsage& t);
    bool funnel(Funnel& f);
    bool file(NoteFile& f);
    bool lines(NoteFile& f);
    bool by_origin(NoteFile& f);
    bool chars(CharCounts& c);
    bool rewrite(NoteRewrite& rw);

    JsonScanner s_;
    const std::string* only_key_;
    /// Lines the note's ranges may still expand to, counted before duplicates are dropped:
    /// within it, note.cpp's budget (counted after, in its own order) holds whatever the order.
    uint64_t budget_ = kMaxNoteLines;
    std::string scratch_; // an escaped string, decoded
};

template <typename F> bool TextReader::members(F&& member) {
    s_.ws();
    if (!s_.take('{')) return false;
    s_.ws();
    if (s_.take('}')) return true;
    std::string key_scratch; // an escaped key, decoded (allocates only then)
    for (;;) {
        std::string_view key;
        if (!s_.key_text(key, key_scratch)) return false;
        s_.ws();
        if (!member(key)) return false;
        s_.ws();
        if (s_.take(',')) continue;
        return s_.take('}');
    }
}

bool TextReader::string(std::string& out) {
    s_.ws();
    std::string_view text;
    if (!s_.string_text(text, scratch_)) return false;
    out.assign(text);
    return true;
}

bool TextReader::string_or_null(std::string& out) {
    return null_here() || string(out);
}

bool TextReader::count_or_null(uint64_t& out) {
    return null_here() || s_.plain_count(out);
}

bool TextReader::ranges(std::vector<uint32_t>& out) {
    s_.ws();
    std::string_view text;
    if (!s_.string_text(text, scratch_)) return false;
    uint64_t expanded = 0;
    auto r = parse_line_ranges(text, static_cast<uint32_t>(budget_), &expanded);
    if (!r) return false;
    budget_ -= expanded;
    out = std::move(*r);
    return true;
}

bool TextReader::tool(Note& n) {
    // An object present names the tool, even with no name in it (note.cpp: empty).
    n.tool.clear();
    n.tool_version.clear();
    Seen seen;
    return members([&](std::string_view key) {
        if (key == "name") return seen.first(0) && string_or_null(n.tool);
        if (key == "version") return seen.first(1) && string_or_null(n.tool_version);
        return s_.value();
    });
}

bool TextReader::tokens(TokenUsage& t) {
    Seen seen;
    return members([&](std::string_view key) {
        if (key == "input") return seen.first(0) && count_or_null(t.input);
        if (key == "output") return seen.first(1) && count_or_null(t.output);
        if (key == "cache_read") return seen.first(2) && count_or_null(t.cache_read);
        if (key == "cache_write_5m") return seen.first(3) && count_or_null(t.cache_write_5m);
        if (key == "cache_write_1h") return seen.first(4) && count_or_null(t.cache_write_1h);
        if (key == "reasoning") return seen.first(5) && count_or_null(t.reasoning);
        return s_.value();
    });
}

bool TextReader::funnel(Funnel& f) {
    Seen seen;
    return members([&](std::string_view key) {
        if (key == "generated") return seen.first(0) && count_or_null(f.generated);
        if (key == "committed") return seen.first(1) && count_or_null(f.committed);
        if (key == "discarded") return seen.first(2) && count_or_null(f.discarded);
        if (key == "pending") return seen.first(3) && count_or_null(f.pending);
        return s_.value();
    });
}

bool TextReader::origin(NoteOrigin& o) {
    std::string cls;
    OriginRecord rec;
    Seen seen;
    const bool ok = members([&](std::string_view key) {
        if (key == "class") return seen.first(0) && string_or_null(cls);
        if (key == "tool") return seen.first(1) && string_or_null(rec.tool);
        if (key == "kind") return seen.first(2) && string_or_null(rec.kind);
        if (key == "model") return seen.first(3) && string_or_null(rec.model);
        if (key == "session") return seen.first(4) && string_or_null(rec.session);
        if (key == "request") return seen.first(5) && string_or_null(rec.request);
        if (key == "tokens") return seen.first(6) && (null_here() || tokens(o.tokens));
        if (key == "funnel") {
            if (!seen.first(7)) return false;
            if (null_here()) return true;
            o.funnel.emplace();
            return funnel(*o.funnel);
        }
        return s_.value();
    });
    if (!ok) return false;
    // origin.cpp's read_origin: no class is ai; an ai record's kind, when given, is known.
    auto c = origin_class_from_string(cls.empty() ? "ai" : cls);
    if (!c) return false;
    rec.cls = *c;
    if (rec.cls == OriginClass::Ai && !rec.kind.empty() && !is_valid_ai_kind(rec.kind))
        return false;
    o.record = std::move(rec);
    return true;
}

bool TextReader::lines(NoteFile& f) {
    Seen seen;
    return members([&](std::string_view key) {
        for (size_t k = 0; k < kNoteLineClasses.size(); ++k)
            if (key == to_string(kNoteLineClasses[k]))
                return seen.first(static_cast<unsigned>(k)) && ranges(f.lines(kNoteLineClasses[k]));
        return s_.value();
    });
}

bool TextReader::by_origin(NoteFile& f) {
    // Whether each id names an origin is checked once the whole note is read: "files" comes
    // before "origins" in the text a writer writes (nlohmann sorts keys).
    return members([&](std::string_view key) {
        auto [it, fresh] = f.by_origin.try_emplace(std::string(key));
        return fresh && ranges(it->second);
    });
}

bool TextReader::chars(CharCounts& c) {
    Seen seen;
    return members([&](std::string_view key) {
        if (key == "ai") return seen.first(0) && count_or_null(c.ai);
        if (key == "human") return seen.first(1) && count_or_null(c.human);
        if (key == "paste") return seen.first(2) && count_or_null(c.paste);
        if (key == "unknown") return seen.first(3) && count_or_null(c.unknown);
        return s_.value();
    });
}

bool TextReader::file(NoteFile& f) {
    enum : unsigned { Blob, Skipped, Truncated, Lines, ByOrigin, Chars };
    Seen seen;
    const bool ok = members([&](std::string_view key) {
        if (key == "blob") return seen.first(Blob) && id(f.blob);
        if (key == "skipped") return seen.first(Skipped) && string_or_null(f.skipped);
        if (key == "truncated") return seen.first(Truncated) && string_or_null(f.truncated);
        if (key == "lines") return seen.first(Lines) && lines(f);
        if (key == "by_origin") return seen.first(ByOrigin) && by_origin(f);
        if (key == "chars") return seen.first(Chars) && chars(f.chars);
        return s_.value();
    });
    if (!ok || !seen.has(Blob)) return false;
    // note.cpp's checks: each line in one class; an origin's lines are ai or ai_modified
    // lines, each linked to one origin.
    std::vector<uint32_t> all;
    for (LineClass c : kNoteLineClasses)
        all.insert(all.end(), f.lines(c).begin(), f.lines(c).end());
    std::sort(all.begin(), all.end());
    if (std::adjacent_find(all.begin(), all.end()) != all.end()) return false;
    if (f.by_origin.empty()) return true;
    std::vector<uint32_t> ai_lines;
    std::merge(f.ai.begin(), f.ai.end(), f.ai_modified.begin(), f.ai_modified.end(),
               std::back_inserter(ai_lines));
    std::vector<uint32_t> linked;
    for (const auto& [id, ls] : f.by_origin)
        for (uint32_t l : ls) {
            if (!std::binary_search(ai_lines.begin(), ai_lines.end(), l)) return false;
            linked.push_back(l);
        }
    std::sort(linked.begin(), linked.end());
    return std::adjacent_find(linked.begin(), linked.end()) == linked.end();
}

bool TextReader::rewrite(NoteRewrite& rw) {
    Seen seen;
    const bool ok = members([&](std::string_view key) {
        if (key == "kind") return seen.first(0) && string(rw.kind);
        if (key != "from") return s_.value();
        if (!seen.first(1)) return false;
        s_.ws();
        if (!s_.take('[')) return false;
        s_.ws();
        if (s_.take(']')) return true;
        for (;;) {
            if (rw.from.size() == 100'000) return false; // note.cpp: too many commits
            if (!id(rw.from.emplace_back())) return false;
            s_.ws();
            if (s_.take(',')) continue;
            return s_.take(']');
        }
    });
    return ok && seen.has(0) && seen.has(1);
}

bool TextReader::read(Note& n) {
    enum : unsigned { Schema, Commit, Parent, Tool, Origins, Files, Totals, Rewrite };
    Seen seen;
    const bool ok = members([&](std::string_view key) {
        if (key == "schema")
            return seen.first(Schema) && string(n.schema) &&
                   note_rules::is_supported_schema(n.schema);
        if (key == "commit") return seen.first(Commit) && id(n.commit);
        if (key == "parent") return seen.first(Parent) && (null_here() || id(n.parent));
        if (key == "tool") return seen.first(Tool) && tool(n);
        if (key == "origins")
            return seen.first(Origins) && members([&](std::string_view oid) {
                       if (!note_rules::is_origin_id(oid)) return false;
                       auto [it, fresh] = n.origins.try_emplace(std::string(oid));
                       return fresh && origin(it->second);
                   });
        if (key == "files")
            return seen.first(Files) && members([&](std::string_view fkey) {
                       if (only_key_ != nullptr && fkey != *only_key_) return s_.value();
                       auto path = path_from_note_key(fkey);
                       if (!path || !note_rules::is_valid_path(*path)) return false;
                       auto [it, fresh] = n.files.try_emplace(std::move(*path));
                       return fresh && file(it->second);
                   });
        if (key == "totals") { // read by no one (they are computed), but an object
            if (!seen.first(Totals)) return false;
            s_.ws();
            return s_.peek() == '{' && s_.value();
        }
        if (key == "rewrite") {
            if (!seen.first(Rewrite)) return false;
            if (null_here()) return true;
            n.rewrite.emplace();
            return rewrite(*n.rewrite);
        }
        return s_.value(); // unknown fields are ignored, once they are JSON
    });
    if (!ok) return false;
    s_.ws();
    if (!s_.done() || !seen.has(Schema) || !seen.has(Commit) || !seen.has(Files)) return false;
    for (const auto& [path, f] : n.files)
        for (const auto& [id, ls] : f.by_origin)
            if (n.origins.count(id) == 0) return false;
    return true;
}

} // namespace

std::optional<Note> read_note_text(std::string_view text) {
    if (text.size() > kMaxNoteBytes) return std::nullopt;
    Note n;
    if (!TextReader(text).read(n)) return std::nullopt;
    return n;
}

std::optional<Note> read_note_text_for(std::string_view text, std::string_view path) {
    if (text.size() > kMaxNoteBytes) return std::nullopt;
    const std::string key = note_path_key(path);
    Note n;
    if (!TextReader(text, &key).read(n)) return std::nullopt;
    return n;
}

} // namespace provenant
