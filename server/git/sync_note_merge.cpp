// Merging two provenant notes written for the same commit, line by line (see docs/rewrites.md).
#include "git/sync_note_merge.h"

#include "protocol/note.h"

#include <algorithm>
#include <map>
#include <set>

namespace provenant::git {
namespace {

/// Known lines (any class but unknown): how much a note knows. Chooses the primary note.
uint64_t known_lines(const Note& n) {
    auto t = n.line_totals();
    return t.total() - t.unknown;
}

struct LineAttr {
    LineClass cls = LineClass::Unknown;
    const NoteOrigin* origin = nullptr; // for ai / ai_modified
};

std::map<uint32_t, LineAttr> lines_of(const Note& n, const NoteFile& f) {
    std::map<uint32_t, LineAttr> out;
    for (LineClass c : kNoteLineClasses)
        for (uint32_t l : f.lines(c))
            out[l].cls = c;
    for (const auto& [id, ls] : f.by_origin) {
        auto it = n.origins.find(id);
        if (it == n.origins.end()) continue;
        for (uint32_t l : ls)
            out[l].origin = &it->second;
    }
    return out;
}

bool same_attr(const LineAttr& a, const LineAttr& b) {
    if (a.cls != b.cls) return false;
    if ((a.origin == nullptr) != (b.origin == nullptr)) return false;
    return a.origin == nullptr || a.origin->record == b.origin->record;
}

/// The origins of the merged note, by record (OriginIds), so equal records share one id
/// whatever ids the two notes used.
class MergedOrigins {
public:
    explicit MergedOrigins(Note& out) : out_(out), ids_(out) {}
    std::string id_for(const NoteOrigin& o) {
        bool added = false;
        std::string id = ids_.intern(o.record, &added);
        if (added)
            out_.origins[id] = o;
        else
            merge_usage(out_.origins[id], o);
        return id;
    }

private:
    /// Two reports of the same origin's usage for one commit: the larger of each figure,
    /// never the sum (the same tokens must not be counted twice).
    static void merge_usage(NoteOrigin& into, const NoteOrigin& other) {
        auto& a = into.tokens;
        const auto& b = other.tokens;
        a.input = std::max(a.input, b.input);
        a.output = std::max(a.output, b.output);
        a.cache_read = std::max(a.cache_read, b.cache_read);
        a.cache_write_5m = std::max(a.cache_write_5m, b.cache_write_5m);
        a.cache_write_1h = std::max(a.cache_write_1h, b.cache_write_1h);
        a.reasoning = std::max(a.reasoning, b.reasoning);
        if (!into.funnel) into.funnel = other.funnel;
    }
    Note& out_;
    OriginIds ids_;
};

NoteFile merge_file(const Note& pa, const NoteFile& fa, const Note& pb, const NoteFile& fb,
                    MergedOrigins& ids) {
    NoteFile out;
    out.blob = fa.blob;
    out.chars = fa.chars;
    out.skipped = fa.skipped.empty() || fb.skipped.empty() ? std::string() : fa.skipped;
    out.truncated = fa.truncated.empty() ? fb.truncated : fa.truncated;
    auto la = lines_of(pa, fa);
    auto lb = lines_of(pb, fb);
    std::set<uint32_t> all;
    for (auto& kv : la)
        all.insert(kv.first);
    for (auto& kv : lb)
        all.insert(kv.first);
    for (uint32_t line : all) {
        auto ia = la.find(line), ib = lb.find(line);
        LineAttr pick;
        if (ia == la.end())
            pick = ib->second;
        else if (ib == lb.end())
            pick = ia->second;
        else if (same_attr(ia->second, ib->second))
            pick = ia->second;
        else if (ia->second.cls == LineClass::Unknown)
            pick = ib->second;
        else if (ib->second.cls == LineClass::Unknown)
            pick = ia->second;
        else
            pick = LineAttr{}; // two notes disagree: unknown, never a guess
        out.lines(pick.cls).push_back(line);
        if ((pick.cls == LineClass::Ai || pick.cls == LineClass::AiModified) && pick.origin)
            out.by_origin[ids.id_for(*pick.origin)].push_back(line);
    }
    return out;
}

} // namespace

Result<std::string> merge_note_texts(std::string_view ours, std::string_view theirs) {
    auto a = parse_note(ours);
    auto b = parse_note(theirs);
    if (!a && !b)
        return Error(ErrorKind::invalid_input, "neither note can be read: " + a.error().message);
    if (!a) return std::string(theirs);
    if (!b) return std::string(ours);
    if (*a == *b) return std::string(ours);

    // The primary note (the one that knows more lines, then the greater text) gives the
    // fields that cannot be merged line by line: commit, parent, file blobs, rewrite.
    bool a_first =
        known_lines(*a) != known_lines(*b) ? known_lines(*a) > known_lines(*b) : ours >= theirs;
    const Note& p = a_first ? *a : *b;
    const Note& q = a_first ? *b : *a;

    Note out;
    out.commit = p.commit;
    out.parent = p.parent;
    out.tool = p.tool;
    out.tool_version = p.tool_version;
    out.rewrite = p.rewrite ? p.rewrite : q.rewrite;
    MergedOrigins ids(out);
    // Origins without lines (spend that produced nothing committed) are kept from both.
    for (const Note* n : {&p, &q})
        for (const auto& [id, o] : n->origins)
            if (!n->origin_has_lines(id)) ids.id_for(o);
    for (const auto& [path, fp] : p.files) {
        auto it = q.files.find(path);
        if (it == q.files.end() || it->second.blob != fp.blob) {
            // Not the same file content: the other note's lines say nothing about this blob.
            NoteFile empty;
            out.files[path] = merge_file(p, fp, p, empty, ids);
            continue;
        }
        out.files[path] = merge_file(p, fp, q, it->second, ids);
    }
    for (const auto& [path, fq] : q.files)
        if (!p.files.count(path)) {
            NoteFile empty;
            out.files[path] = merge_file(q, fq, q, empty, ids);
        }
    return serialize_note(out);
}

} // namespace provenant::git
