// Reading a commit's attribution for analysis.
#include "git/note_reader.h"

#include "protocol/gitai_note.h"

namespace provenant::git {

NoteReader::NoteReader(const Repo& repo)
    : provenant_(repo), gitai_(repo, std::string(kGitAiNotesRef)) {}

CommitNote NoteReader::read(const git_oid& commit) const {
    CommitNote out;
    auto mine = provenant_.read(commit);
    if (mine && *mine) {
        out.state = NoteState::Provenant;
        out.note = std::move(**mine);
        return out;
    }
    std::string error;
    if (!mine) error = mine.error().message;
    auto raw = gitai_.read_raw(commit);
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
