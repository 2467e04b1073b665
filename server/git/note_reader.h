// Reading a commit's attribution for blame and analysis: provenant's note, else git-ai's.
#pragma once

#include "git/note_store.h"

#include <optional>
#include <string>
#include <unordered_map>

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
    /// `listed`: list both notes trees once, here, and read each note's blob directly (for
    /// readers of many commits: git_note_read looks the ref, its commit and its fan-out trees
    /// up again for every commit). Otherwise each read asks libgit2.
    explicit NoteReader(const Repo& repo, bool listed = false);
    CommitNote read(const git_oid& commit) const;

private:
    /// The note text of `commit` in `store`, nullopt when it has none.
    Result<std::optional<std::string>> raw(const NoteStore& store, const git_oid& commit) const;

    const Repo& repo_;
    NoteStore provenant_, gitai_;
    /// With `listed`: annotated commit (raw 20 bytes) -> note blob, per ref.
    std::optional<std::unordered_map<std::string, git_oid>> listed_provenant_, listed_gitai_;
};

} // namespace provenant::git
