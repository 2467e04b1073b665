// Undoing string replacements, parsing Codex patch envelopes, and counting generated lines.
#include "agents/text_edits.h"

#include "core/carry.h"
#include "core/utf8.h"

#include <algorithm>
#include <vector>

namespace provenant::agents {

namespace {

/// Byte offset of 1-based (line, column) in `text`, column counted in characters (code points;
/// an invalid byte is one, as everywhere in core/utf8.h).
std::optional<size_t> offset_of(std::string_view text, size_t line, size_t column) {
    if (line == 0 || column == 0) return std::nullopt;
    size_t off = 0;
    for (size_t l = 1; l < line; ++l) {
        size_t nl = text.find('\n', off);
        if (nl == std::string_view::npos) return std::nullopt;
        off = nl + 1;
    }
    for (size_t c = 1; c < column; ++c) {
        if (off >= text.size() || text[off] == '\n') return std::nullopt;
        off += utf8::token_length(text, off); // the core's "character"
    }
    return off;
}

std::vector<size_t> occurrences(std::string_view text, std::string_view needle, size_t limit) {
    std::vector<size_t> out;
    if (needle.empty()) return out;
    for (size_t pos = text.find(needle); pos != std::string_view::npos && out.size() < limit;
         pos = text.find(needle, pos + needle.size()))
        out.push_back(pos);
    return out;
}

/// Where the new text of `r` sits in `text`: every occurrence with replace_all, else exactly
/// one (at the hinted position when given). Empty when it cannot be located unambiguously.
/// `new_len` receives the matched length (a final newline may be missing at end of file).
std::vector<size_t> find_new(std::string_view text, const Replacement& r, std::string& new_text,
                             std::string& old_text) {
    new_text = r.new_text;
    old_text = r.old_text;
    if (r.line != 0) {
        auto off = offset_of(text, r.line, r.column);
        if (off && text.substr(*off, new_text.size()) == new_text) return {*off};
    }
    auto occ = occurrences(text, new_text, r.replace_all ? SIZE_MAX : 2);
    if (occ.empty() && !new_text.empty() && new_text.back() == '\n' &&
        (text.empty() || text.back() != '\n')) {
        // A patch's last line may be the file's last line, without its newline.
        std::string_view shorter(new_text.data(), new_text.size() - 1);
        if (text.size() >= shorter.size() && text.substr(text.size() - shorter.size()) == shorter) {
            new_text.pop_back();
            if (!old_text.empty() && old_text.back() == '\n') old_text.pop_back();
            return {text.size() - new_text.size()};
        }
    }
    if (occ.empty() || (!r.replace_all && occ.size() != 1)) return {};
    return occ;
}

} // namespace

std::optional<std::string> undo_replacements(std::string_view after,
                                             const std::vector<Replacement>& replacements) {
    std::string text(after);
    for (auto it = replacements.rbegin(); it != replacements.rend(); ++it) {
        if (it->new_text.empty()) // a pure deletion leaves nothing to find
            return std::nullopt;
        std::string new_text, old_text;
        auto occ = find_new(text, *it, new_text, old_text);
        if (occ.empty()) return std::nullopt;
        if (occ.size() == 1) {
            text.replace(occ.front(), new_text.size(), old_text);
            continue;
        }
        // replace_all: one pass that copies each stretch once. Replacing in place moved the
        // whole tail once per occurrence: quadratic, 11-16 s to undo one edit of a 4 MB file
        // (issue 12 §11). The occurrences are sorted and do not overlap.
        std::string undone;
        undone.reserve(text.size() - occ.size() * new_text.size() + occ.size() * old_text.size());
        size_t from = 0;
        for (size_t o : occ) {
            undone.append(text, from, o - from).append(old_text);
            from = o + new_text.size();
        }
        undone.append(text, from, std::string::npos);
        text = std::move(undone);
    }
    return text;
}

std::vector<std::pair<size_t, size_t>>
locate_new_text(std::string_view after, const std::vector<Replacement>& replacements) {
    std::vector<std::pair<size_t, size_t>> out;
    for (const auto& r : replacements) {
        if (r.new_text.empty()) continue;
        Replacement all = r;
        all.replace_all = true; // mark every place the text is; the caller keeps fresh ones only
        std::string new_text, old_text;
        for (size_t o : find_new(after, all, new_text, old_text))
            out.emplace_back(o, o + new_text.size());
    }
    std::sort(out.begin(), out.end());
    return out;
}

Result<std::vector<PatchOp>> parse_apply_patch(std::string_view patch) {
    std::vector<std::string_view> lines;
    for (size_t pos = 0; pos <= patch.size();) {
        size_t nl = patch.find('\n', pos);
        if (nl == std::string_view::npos) {
            if (pos < patch.size()) lines.push_back(patch.substr(pos));
            break;
        }
        std::string_view l = patch.substr(pos, nl - pos);
        if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
        lines.push_back(l);
        pos = nl + 1;
    }
    size_t i = 0;
    while (i < lines.size() && lines[i] != "*** Begin Patch")
        ++i; // tolerate a heredoc wrapper ("apply_patch <<'EOF'") before the envelope
    if (i == lines.size())
        return make_error(ErrorKind::invalid_input, "apply_patch: no \"*** Begin Patch\" line");
    ++i;
    std::vector<PatchOp> ops;
    auto starts = [](std::string_view l, std::string_view p) { return l.substr(0, p.size()) == p; };
    bool ended = false;
    // The hunk being collected for the current Update op.
    std::string old_text, new_text;
    bool in_hunk = false;
    auto flush_hunk = [&] {
        if (in_hunk && !ops.empty() && (!old_text.empty() || !new_text.empty()))
            ops.back().replacements.push_back(Replacement{old_text, new_text, false, 0, 0});
        old_text.clear();
        new_text.clear();
        in_hunk = false;
    };
    for (; i < lines.size(); ++i) {
        std::string_view l = lines[i];
        std::string where = "apply_patch line " + std::to_string(i + 1);
        if (l == "*** End Patch") {
            flush_hunk();
            ended = true;
            break;
        }
        if (starts(l, "*** Add File: ") || starts(l, "*** Update File: ") ||
            starts(l, "*** Delete File: ")) {
            flush_hunk();
            PatchOp op;
            op.kind = starts(l, "*** Add")      ? PatchOp::Kind::Add
                      : starts(l, "*** Update") ? PatchOp::Kind::Update
                                                : PatchOp::Kind::Delete;
            op.path = std::string(l.substr(l.find(": ") + 2));
            if (op.path.empty())
                return make_error(ErrorKind::invalid_input, where + ": empty path");
            ops.push_back(std::move(op));
            continue;
        }
        if (ops.empty())
            return make_error(ErrorKind::invalid_input, where +
                                                            ": expected a file operation, got \"" +
                                                            std::string(l.substr(0, 60)) + "\"");
        PatchOp& op = ops.back();
        if (starts(l, "*** Move to: ")) {
            if (op.kind != PatchOp::Kind::Update)
                return make_error(ErrorKind::invalid_input,
                                  where + ": \"Move to\" outside an Update File");
            op.move_to = std::string(l.substr(13));
            continue;
        }
        if (l == "*** End of File") continue;
        if (op.kind == PatchOp::Kind::Add) {
            if (l.empty() || l[0] != '+')
                return make_error(ErrorKind::invalid_input,
                                  where + ": an added file's lines must start with '+'");
            op.added_text.append(l.substr(1)).push_back('\n');
            continue;
        }
        if (op.kind == PatchOp::Kind::Delete)
            return make_error(ErrorKind::invalid_input,
                              where + ": unexpected line after Delete File");
        if (starts(l, "@@")) {
            flush_hunk();
            in_hunk = true;
            continue;
        }
        in_hunk = true;
        char c = l.empty() ? ' ' : l[0];
        std::string_view body = l.empty() ? l : l.substr(1);
        if (c == ' ') {
            old_text.append(body).push_back('\n');
            new_text.append(body).push_back('\n');
        } else if (c == '-') {
            old_text.append(body).push_back('\n');
        } else if (c == '+') {
            new_text.append(body).push_back('\n');
        } else {
            return make_error(ErrorKind::invalid_input,
                              where + ": a hunk line must start with ' ', '-' or '+'");
        }
    }
    if (!ended)
        return make_error(ErrorKind::invalid_input, "apply_patch: no \"*** End Patch\" line");
    return ops;
}

uint64_t count_generated_lines(std::string_view before, std::string_view after) {
    // Line starts (byte offsets in `after`) of lines with inserted non-blank text, found in
    // one forward pass per edit (a search back for every byte was quadratic on long lines).
    std::vector<size_t> lines;
    for (const ByteEdit& e : diff_edits(before, after)) {
        const size_t end = std::min(after.size(), e.inserted_offset + e.inserted);
        if (e.inserted_offset >= end) continue;
        // The start of the line holding the edit's first byte.
        size_t start = 0;
        if (e.inserted_offset > 0) {
            size_t nl = after.rfind('\n', e.inserted_offset - 1);
            start = nl == std::string_view::npos ? 0 : nl + 1;
        }
        bool counted = false;
        for (size_t k = e.inserted_offset; k < end; ++k) {
            char c = after[k];
            if (c == '\n') {
                start = k + 1;
                counted = false;
                continue;
            }
            if (counted || c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') continue;
            lines.push_back(start);
            counted = true;
        }
    }
    std::sort(lines.begin(), lines.end());
    return static_cast<uint64_t>(std::unique(lines.begin(), lines.end()) - lines.begin());
}

bool looks_binary(std::string_view text) {
    return text.substr(0, 8000).find('\0') != std::string_view::npos;
}

} // namespace provenant::agents
