// Reading a commit's attribution for analysis: provenant's note, else git-ai's.
#pragma once

#include "analysis/fates.h"
#include "git/note_store.h"

#include <optional>
#include <string>

namespace provenant::analysis {

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
    explicit NoteReader(const git::Repo& repo);
    CommitNote read(const git_oid& commit) const;

private:
    git::NoteStore provenant_, gitai_;
};

} // namespace provenant::analysis
