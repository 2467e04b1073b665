// Reading a commit's attribution for analysis.
#include "git/note_reader.h"

#include "protocol/gitai_note.h"

#include <cstring>

namespace provenant::git {

namespace {

std::string oid_key(const git_oid& id) {
    return std::string(reinterpret_cast<const char*>(id.id), GIT_OID_RAWSZ);
}

/// Every note of `store` by annotated commit; nullopt when listing fails (the reader then
/// asks libgit2 per commit, which reports the failure where it matters).
std::optional<std::unordered_map<std::string, git_oid>> list_notes(const NoteStore& store) {
    auto entries = store.list();
    if (!entries) return std::nullopt;
    std::unordered_map<std::string, git_oid> out;
    out.reserve(entries->size());
    for (const auto& e : *entries)
        out.emplace(oid_key(e.commit), e.blob);
    return out;
}

} // namespace

NoteReader::NoteReader(const Repo& repo, bool listed)
    : repo_(repo), provenant_(repo), gitai_(repo, std::string(kGitAiNotesRef)),
      provenant_tree_(repo, kNotesRef), gitai_tree_(repo, kGitAiNotesRef) {
    if (listed) {
        listed_provenant_ = list_notes(provenant_);
        listed_gitai_ = list_notes(gitai_);
    }
}

Result<std::optional<std::string>> NoteReader::raw(const NoteStore& store,
                                                   const git_oid& commit) const {
    const auto& listed = &store == &provenant_ ? listed_provenant_ : listed_gitai_;
    if (!listed) return (&store == &provenant_ ? provenant_tree_ : gitai_tree_).read(commit);
    auto it = listed->find(oid_key(commit));
    if (it == listed->end()) return std::optional<std::string>{};
    if (packs_ != nullptr) {
        // From the pack when it holds a blob there; anything else (not packed, unreadable, not
        // a blob) as libgit2 reads it, errors included.
        if (auto got = packs_->read(it->second); got && *got && (*got)->type == GIT_OBJECT_BLOB) {
            const std::string_view d = data_of(**got);
            return std::optional<std::string>(std::string(d.data(), ::strnlen(d.data(), d.size())));
        }
    }
    auto text = repo_.blob_text(it->second);
    if (!text) return text.error().context("reading the note of " + to_hex(commit));
    // git_note_message's text ends at the first NUL: the same text either way.
    text->resize(::strnlen(text->data(), text->size()));
    return std::optional<std::string>(std::move(*text));
}

CommitNote NoteReader::read(const git_oid& commit) const {
    return read(commit, nullptr);
}

CommitNote NoteReader::read_for(const git_oid& commit, std::string_view path) const {
    return read(commit, &path);
}

CommitNote NoteReader::read(const git_oid& commit, const std::string_view* path) const {
    CommitNote out;
    Result<std::optional<Note>> mine = std::optional<Note>{};
    if (auto text = raw(provenant_, commit); !text) {
        mine = text.error();
    } else if (*text) {
        auto note = path != nullptr ? parse_note_for(**text, *path) : parse_note(**text);
        if (note)
            mine = std::optional<Note>(std::move(*note));
        else
            mine = note.error().context("note of " + to_hex(commit));
    }
    if (mine && *mine) {
        out.state = NoteState::Provenant;
        out.note = std::move(**mine);
        return out;
    }
    std::string error;
    if (!mine) error = mine.error().message;
    auto raw = this->raw(gitai_, commit);
    if (raw && *raw) {
        auto parsed = parse_gitai_note(**raw);
        Result<Note> note = parsed ? gitai_note_to_note(*parsed) : Result<Note>(parsed.error());
        if (note) {
            out.state = NoteState::GitAi;
            out.note = std::move(*note);
            return out;
        }
        if (error.empty()) error = "git-ai note of " + to_hex(commit) + ": " + note.error().message;
    } else if (!raw && error.empty()) {
        error = raw.error().message;
    }
    if (!error.empty()) {
        out.state = NoteState::Unreadable;
        out.error = std::move(error);
    }
    return out;
}

} // namespace provenant::git
