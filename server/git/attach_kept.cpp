// Lines with no new characters keep their class across a commit (see attach_kept.h).
#include "git/attach_kept.h"

#include "git/blame.h"
#include "git/note_store.h"
#include "support/text_lines.h"

#include <spdlog/spdlog.h>

namespace provenant::git {
namespace {

/// `line` without any whitespace: what "the same content" compares (a re-indent or a
/// re-wrap of spaces changes nothing).
std::string visible(std::string_view line) {
    std::string out;
    for (char c : line)
        if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v') out += c;
    return out;
}

} // namespace

std::map<uint32_t, KeptLine> kept_classes(const Repo& repo, const git_oid& parent,
                                          const std::string& parent_path, std::string_view text,
                                          const std::vector<uint32_t>& lines) {
    std::map<uint32_t, KeptLine> out;
    if (lines.empty()) return out;
    auto blame = blame_file(repo, parent_path, to_hex(parent));
    if (!blame) {
        spdlog::info("attach: no earlier classes for {}: {}", parent_path, blame.error().message);
        return out;
    }
    NoteStore notes(repo);
    std::map<std::string, std::optional<Note>> note_cache; // by commit
    auto origin_of = [&](const BlameLine& b) -> std::optional<OriginRecord> {
        auto it = note_cache.find(b.commit);
        if (it == note_cache.end()) {
            std::optional<Note> n;
            if (auto id = oid_from_hex(b.commit))
                if (auto r = notes.read(*id); r && *r) n = std::move(**r);
            it = note_cache.emplace(b.commit, std::move(n)).first;
        }
        if (!it->second) return std::nullopt;
        auto f = it->second->files.find(parent_path);
        if (f == it->second->files.end()) return std::nullopt;
        auto hit = f->second.lookup(b.origin_line);
        if (!hit) return std::nullopt;
        auto o = it->second->origins.find(hit->second);
        if (o == it->second->origins.end()) return std::nullopt;
        return o->second.record;
    };

    // What the parent's lines were, by visible content; nullopt: the parent disagrees with
    // itself (the same content with two attributions), so nothing is kept.
    std::map<std::string, std::optional<KeptLine>> before;
    for (const BlameLine& b : *blame) {
        if (b.cls == LineClass::Blank) continue;
        KeptLine k{b.cls, std::nullopt};
        if (b.cls == LineClass::Ai || b.cls == LineClass::AiModified) {
            k.origin = origin_of(b);
            if (!k.origin) k.cls = LineClass::Unknown; // an AI line whose origin is lost
        }
        auto [it, inserted] = before.try_emplace(visible(b.text), k);
        if (!inserted && it->second && (it->second->cls != k.cls || it->second->origin != k.origin))
            it->second.reset();
    }
    const auto split = split_lines(text, /*strip_cr=*/true);
    for (uint32_t l : lines) {
        if (l == 0 || l > split.size()) continue;
        auto it = before.find(visible(split[l - 1]));
        if (it == before.end() || !it->second || it->second->cls == LineClass::Unknown) continue;
        out[l] = *it->second;
    }
    return out;
}

} // namespace provenant::git
