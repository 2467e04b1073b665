// The provenant/1 note: JSON writing and strict, bounded reading with JSON-path errors.
#include "protocol/note.h"

#include "protocol/note_rules.h"
#include "protocol/note_text.h"
#include "protocol/origin_reader.h"
#include "support/json_fields.h"
#include "support/json_text.h"
#include "support/line_ranges.h"
#include "support/quoted_path.h"

#include <algorithm>
#include <stdexcept>

namespace provenant {

uint64_t& LineCounts::operator[](LineClass c) {
    switch (c) {
    case LineClass::Ai:
        return ai;
    case LineClass::AiModified:
        return ai_modified;
    case LineClass::Human:
        return human;
    case LineClass::Paste:
        return paste;
    default:
        return unknown;
    }
}
uint64_t LineCounts::operator[](LineClass c) const {
    return const_cast<LineCounts&>(*this)[c];
}

uint64_t& CharCounts::operator[](OriginClass c) {
    switch (c) {
    case OriginClass::Ai:
        return ai;
    case OriginClass::Human:
        return human;
    case OriginClass::Paste:
        return paste;
    default:
        return unknown;
    }
}
CharCounts& CharCounts::operator+=(const CharCounts& o) {
    ai += o.ai;
    human += o.human;
    paste += o.paste;
    unknown += o.unknown;
    return *this;
}

std::vector<uint32_t>& NoteFile::lines(LineClass c) {
    switch (c) {
    case LineClass::Ai:
        return ai;
    case LineClass::AiModified:
        return ai_modified;
    case LineClass::Human:
        return human;
    case LineClass::Paste:
        return paste;
    default:
        return unknown;
    }
}
const std::vector<uint32_t>& NoteFile::lines(LineClass c) const {
    return const_cast<NoteFile&>(*this).lines(c);
}

std::optional<std::pair<LineClass, std::string>> NoteFile::lookup(uint32_t line) const {
    for (LineClass c : kNoteLineClasses) {
        const auto& v = lines(c);
        if (!std::binary_search(v.begin(), v.end(), line)) continue;
        std::string origin;
        if (c == LineClass::Ai || c == LineClass::AiModified)
            for (const auto& [id, ls] : by_origin)
                if (std::binary_search(ls.begin(), ls.end(), line)) {
                    origin = id;
                    break;
                }
        return std::make_pair(c, origin);
    }
    return std::nullopt;
}

LineCounts Note::line_totals() const {
    LineCounts t;
    for (const auto& [path, f] : files)
        for (LineClass c : kNoteLineClasses)
            t[c] += f.lines(c).size();
    return t;
}

CharCounts Note::char_totals() const {
    CharCounts t;
    for (const auto& [path, f] : files)
        t += f.chars;
    return t;
}

bool Note::origin_has_lines(const std::string& id) const {
    for (const auto& [path, f] : files) {
        auto it = f.by_origin.find(id);
        if (it != f.by_origin.end() && !it->second.empty()) return true;
    }
    return false;
}

bool OriginIds::RecordLess::operator()(const OriginRecord& a, const OriginRecord& b) const {
    return std::tie(a.cls, a.tool, a.kind, a.model, a.session, a.request) <
           std::tie(b.cls, b.tool, b.kind, b.model, b.session, b.request);
}

OriginIds::OriginIds(Note& note) : note_(note) {
    for (const auto& [id, o] : note_.origins)
        ids_.try_emplace(o.record, id);
}

std::string OriginIds::intern(const OriginRecord& record, bool* added) {
    auto [it, inserted] = ids_.try_emplace(record);
    if (inserted) {
        do
            it->second = "o" + std::to_string(++next_);
        while (note_.origins.count(it->second));
        note_.origins[it->second].record = record;
    }
    if (added) *added = inserted;
    return it->second;
}

TokenUsage Note::token_totals(bool uncommitted_only) const {
    TokenUsage t;
    for (const auto& [id, o] : origins)
        if (!uncommitted_only || !origin_has_lines(id)) t += o.tokens;
    return t;
}

// ---------------------------------------------------------------------------------------
// Writing

namespace {

nlohmann::json char_json(const CharCounts& c) {
    nlohmann::json j = nlohmann::json::object();
    if (c.ai) j["ai"] = c.ai;
    if (c.human) j["human"] = c.human;
    if (c.paste) j["paste"] = c.paste;
    if (c.unknown) j["unknown"] = c.unknown;
    return j;
}

nlohmann::json line_count_json(const LineCounts& c) {
    nlohmann::json j = nlohmann::json::object();
    for (LineClass cls : kNoteLineClasses)
        j[std::string(to_string(cls))] = c[cls];
    return j;
}

} // namespace

std::string note_path_key(std::string_view path) {
    return quote_path(path);
}

std::optional<std::string> path_from_note_key(std::string_view key) {
    return unquote_path(key);
}

nlohmann::json note_to_json(const Note& note) {
    nlohmann::json j = nlohmann::json::object();
    j["schema"] = kNoteSchema;
    j["commit"] = note.commit;
    j["parent"] = note.parent.empty() ? nlohmann::json(nullptr) : nlohmann::json(note.parent);
    j["tool"] = {{"name", note.tool}, {"version", note.tool_version}};

    nlohmann::json files = nlohmann::json::object();
    for (const auto& [path, f] : note.files) {
        nlohmann::json fj = nlohmann::json::object();
        fj["blob"] = f.blob;
        if (!f.skipped.empty()) fj["skipped"] = f.skipped;
        if (!f.truncated.empty()) fj["truncated"] = f.truncated;
        nlohmann::json lines = nlohmann::json::object();
        for (LineClass c : kNoteLineClasses)
            if (!f.lines(c).empty())
                lines[std::string(to_string(c))] = format_line_ranges(f.lines(c));
        if (!lines.empty()) fj["lines"] = std::move(lines);
        nlohmann::json by = nlohmann::json::object();
        for (const auto& [id, ls] : f.by_origin)
            if (!ls.empty()) by[id] = format_line_ranges(ls);
        if (!by.empty()) fj["by_origin"] = std::move(by);
        auto chars = char_json(f.chars);
        if (!chars.empty()) fj["chars"] = std::move(chars);
        files[note_path_key(path)] = std::move(fj); // a JSON key must be UTF-8: quoted if not
    }
    j["files"] = std::move(files);

    nlohmann::json origins = nlohmann::json::object();
    for (const auto& [id, o] : note.origins) {
        nlohmann::json oj = o.record;
        if (!o.tokens.empty() || o.tokens.reasoning) oj["tokens"] = o.tokens;
        if (o.funnel)
            oj["funnel"] = {{"generated", o.funnel->generated},
                            {"committed", o.funnel->committed},
                            {"discarded", o.funnel->discarded},
                            {"pending", o.funnel->pending}};
        origins[id] = std::move(oj);
    }
    j["origins"] = std::move(origins);

    nlohmann::json totals = nlohmann::json::object();
    totals["lines"] = line_count_json(note.line_totals());
    totals["chars"] = char_json(note.char_totals());
    TokenUsage tokens = note.token_totals();
    if (!tokens.empty()) totals["tokens"] = tokens;
    TokenUsage idle = note.token_totals(true);
    if (!idle.empty()) totals["tokens_uncommitted"] = idle;
    j["totals"] = std::move(totals);

    if (note.rewrite) j["rewrite"] = {{"kind", note.rewrite->kind}, {"from", note.rewrite->from}};
    return j;
}

std::string serialize_note(const Note& note) {
    // Paths are quoted into UTF-8 above; any other string that is not UTF-8 (a tool name
    // from a payload) is replaced rather than thrown on: serialising never throws.
    return json_text_lossy(note_to_json(note)) + "\n";
}

// ---------------------------------------------------------------------------------------
// Reading

namespace {

using json_fields::expect_object;
using json_fields::fail;
using json_fields::get_count;
using json_fields::get_string;
using json_fields::require;

const char* type_name(const nlohmann::json& j) {
    return j.type_name();
}

std::string key_path(const std::string& base, const std::string& key) {
    return json_fields::quoted_path(base, key);
}

std::string optional_string(const nlohmann::json& obj, const char* field, const std::string& path) {
    return json_fields::opt_string(obj, field, path).value_or("");
}

uint64_t optional_count(const nlohmann::json& obj, const char* field, const std::string& path) {
    return json_fields::opt_count(obj, field, path);
}

std::string get_id(const nlohmann::json& j, const std::string& path) {
    std::string s = get_string(j, path);
    if (!note_rules::is_hex_id(s))
        fail(path, "expected a lowercase hex object id, got '" + s.substr(0, 80) + "'");
    return s;
}

class Reader {
public:
    Note read(const nlohmann::json& j) {
        expect_object(j, "$");
        Note n;
        n.schema = get_string(require(j, "schema", "$"), "$.schema");
        check_schema(n.schema);
        n.commit = get_id(require(j, "commit", "$"), "$.commit");
        if (auto it = j.find("parent"); it != j.end() && !it->is_null())
            n.parent = get_id(*it, "$.parent");
        if (auto it = j.find("tool"); it != j.end()) {
            expect_object(*it, "$.tool");
            n.tool = optional_string(*it, "name", "$.tool");
            n.tool_version = optional_string(*it, "version", "$.tool");
        }
        // Origins first: files refer to them.
        if (auto it = j.find("origins"); it != j.end()) {
            expect_object(*it, "$.origins");
            for (const auto& [id, oj] : it->items()) {
                std::string path = key_path("$.origins", id);
                if (!note_rules::is_origin_id(id))
                    fail(path, "bad origin id (expected [A-Za-z0-9_.-]{1,64})");
                n.origins[id] = read_origin(oj, path);
            }
        }
        const auto& files = require(j, "files", "$");
        expect_object(files, "$.files");
        for (const auto& [key, fj] : files.items()) {
            std::string path = key_path("$.files", key);
            auto p = path_from_note_key(key);
            if (!p) fail(path, "bad quoted file path (see docs/note-format.md §4)");
            if (!note_rules::is_valid_path(*p))
                fail(path, "bad file path (must be relative, '/'-separated, no '..')");
            n.files[*p] = read_file(fj, path, n);
        }
        if (auto it = j.find("totals"); it != j.end()) expect_object(*it, "$.totals");
        if (auto it = j.find("rewrite"); it != j.end() && !it->is_null()) {
            expect_object(*it, "$.rewrite");
            NoteRewrite rw;
            rw.kind = get_string(require(*it, "kind", "$.rewrite"), "$.rewrite.kind");
            const auto& from = require(*it, "from", "$.rewrite");
            if (!from.is_array())
                fail("$.rewrite.from", std::string("expected an array, got ") + type_name(from));
            if (from.size() > 100'000) fail("$.rewrite.from", "too many commits");
            for (size_t i = 0; i < from.size(); ++i)
                rw.from.push_back(get_id(from[i], "$.rewrite.from[" + std::to_string(i) + "]"));
            n.rewrite = std::move(rw);
        }
        return n;
    }

private:
    uint32_t budget_ = kMaxNoteLines; // line numbers left to expand in this note

    static void check_schema(const std::string& s) {
        if (!note_rules::is_provenant_schema(s))
            fail("$.schema", "not a provenant note schema: '" + s.substr(0, 80) + "'");
        if (!note_rules::is_supported_schema(s))
            fail("$.schema", "unsupported note schema '" + s.substr(0, 80) +
                                 "' (this provenant reads " + std::string(kNoteSchema) + ")");
    }

    std::vector<uint32_t> ranges(const nlohmann::json& j, const std::string& path) {
        std::string text = get_string(j, path);
        auto r = parse_line_ranges(text, budget_);
        if (!r) fail(path, r.error().message);
        budget_ -= static_cast<uint32_t>(r->size());
        return std::move(*r);
    }

    static CharCounts read_chars(const nlohmann::json& j, const std::string& path) {
        expect_object(j, path);
        CharCounts c;
        c.ai = optional_count(j, "ai", path);
        c.human = optional_count(j, "human", path);
        c.paste = optional_count(j, "paste", path);
        c.unknown = optional_count(j, "unknown", path);
        return c;
    }

    static NoteOrigin read_origin(const nlohmann::json& j, const std::string& path) {
        expect_object(j, path);
        NoteOrigin o;
        // The record's own readers, at this origin's path.
        std::optional<Error> err;
        const json_fields::Reader r(&j, path, err);
        provenant::read_origin(r, o.record);
        if (json_fields::Reader tokens = r.field("tokens"); tokens.present())
            read_tokens(tokens, o.tokens);
        json_fields::throw_if(err);
        if (auto it = j.find("funnel"); it != j.end() && !it->is_null()) {
            std::string fp = path + ".funnel";
            expect_object(*it, fp);
            Funnel f;
            f.generated = optional_count(*it, "generated", fp);
            f.committed = optional_count(*it, "committed", fp);
            f.discarded = optional_count(*it, "discarded", fp);
            f.pending = optional_count(*it, "pending", fp);
            o.funnel = f;
        }
        return o;
    }

    NoteFile read_file(const nlohmann::json& j, const std::string& path, const Note& n) {
        expect_object(j, path);
        NoteFile f;
        f.blob = get_id(require(j, "blob", path), path + ".blob");
        f.skipped = optional_string(j, "skipped", path);
        f.truncated = optional_string(j, "truncated", path);
        if (auto it = j.find("lines"); it != j.end()) {
            std::string lp = path + ".lines";
            expect_object(*it, lp);
            for (LineClass c : kNoteLineClasses) {
                std::string name(to_string(c));
                if (auto cit = it->find(name); cit != it->end())
                    f.lines(c) = ranges(*cit, lp + "." + name);
            }
            check_disjoint(f, lp);
        }
        if (auto it = j.find("by_origin"); it != j.end()) {
            std::string bp = path + ".by_origin";
            expect_object(*it, bp);
            std::vector<uint32_t> ai_lines;
            std::merge(f.ai.begin(), f.ai.end(), f.ai_modified.begin(), f.ai_modified.end(),
                       std::back_inserter(ai_lines));
            std::vector<uint32_t> seen;
            for (const auto& [id, rj] : it->items()) {
                std::string op = key_path(bp, id);
                if (!n.origins.count(id)) fail(op, "names no origin in $.origins");
                auto ls = ranges(rj, op);
                for (uint32_t l : ls)
                    if (!std::binary_search(ai_lines.begin(), ai_lines.end(), l))
                        fail(op, "line " + std::to_string(l) + " is not an ai or ai_modified line");
                seen.insert(seen.end(), ls.begin(), ls.end());
                f.by_origin[id] = std::move(ls);
            }
            std::sort(seen.begin(), seen.end());
            if (std::adjacent_find(seen.begin(), seen.end()) != seen.end())
                fail(bp, "a line is linked to two origins");
        }
        if (auto it = j.find("chars"); it != j.end()) f.chars = read_chars(*it, path + ".chars");
        return f;
    }

    static void check_disjoint(const NoteFile& f, const std::string& path) {
        std::vector<uint32_t> all;
        for (LineClass c : kNoteLineClasses)
            all.insert(all.end(), f.lines(c).begin(), f.lines(c).end());
        std::sort(all.begin(), all.end());
        auto dup = std::adjacent_find(all.begin(), all.end());
        if (dup != all.end()) fail(path, "line " + std::to_string(*dup) + " is in two classes");
    }
};

} // namespace

Result<Note> note_from_json(const nlohmann::json& j) {
    try {
        return Reader().read(j);
    } catch (const std::exception& e) {
        return Error(ErrorKind::invalid_input, std::string("invalid provenant note: ") + e.what());
    }
}

Result<Note> parse_note(std::string_view text) {
    if (text.size() > kMaxNoteBytes)
        return Error(ErrorKind::invalid_input, "invalid provenant note: larger than " +
                                                   std::to_string(kMaxNoteBytes) + " bytes");
    // Most notes are read straight from the text; the rest (and every faulty one, for its
    // error) through a JSON document, which reads the same notes.
    if (auto note = read_note_text(text)) return std::move(*note);
    nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded())
        return Error(ErrorKind::invalid_input, "invalid provenant note: not valid JSON");
    return note_from_json(j);
}

} // namespace provenant
