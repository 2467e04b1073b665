// Reading a commit's attribution for blame and analysis: provenant's note, else git-ai's.
#pragma once

#include "git/note_store.h"

#include <optional>
#include <string>

namespace provenant::git {

/// What a commit's note said. `Unreadable` notes are gaps: their lines are `unknown`.
enum class NoteState : uint8_t { None = 0, Provenant = 1, GitAi = 2, Unreadable = 3 };

/// What one commit's notes say. A note that cannot be read is a gap (`Unreadable`, with the
/// reason), never a failure of the report.
struct CommitNote {
    NoteState state = NoteState::None;
    std::optional<Note> note; ///< set for Provenant and GitAi
    std::string error;        ///< set for Unreadable
};

/// Reads notes from refs/notes/provenant and refs/notes/ai (provenant's wins where both
/// exist). Same thread rules as the Repo.
class NoteReader {
public:
    explicit NoteReader(const Repo& repo);
    CommitNote read(const git_oid& commit) const;

private:
    NoteStore provenant_, gitai_;
};

} // namespace provenant::git
