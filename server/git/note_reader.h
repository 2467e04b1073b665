// Reading a commit's attribution for blame and analysis: provenant's note, else git-ai's.
#pragma once

#include "git/note_store.h"
#include "git/notes_tree.h"
#include "git/pack_reader.h"

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
    /// readers of most commits of a history). Otherwise each read looks the commit's note up in
    /// the raw notes trees, resolved here (git/notes_tree.h: git_note_read would resolve the
    /// ref and parse its fan-out trees again for every commit).
    explicit NoteReader(const Repo& repo, bool listed = false);
    /// The note blobs (and, unlisted, the notes trees) are read through `packs` first (not
    /// owned; null: libgit2 only), which keeps the delta bases it resolved: libgit2 resolves
    /// each note's delta chain again from its base.
    void use_packs(PackReader* packs) {
        packs_ = packs;
        provenant_tree_.use_packs(packs);
        gitai_tree_.use_packs(packs);
    }
    CommitNote read(const git_oid& commit) const;
    /// The same for a reader of one file: provenant's note with only `path`'s entry in
    /// `files` (parse_note_for: the other entries are not read), git-ai's whole.
    CommitNote read_for(const git_oid& commit, std::string_view path) const;

private:
    CommitNote read(const git_oid& commit, const std::string_view* path) const;
    /// The note text of `commit` in `store`, nullopt when it has none.
    Result<std::optional<std::string>> raw(const NoteStore& store, const git_oid& commit) const;

    const Repo& repo_;
    NoteStore provenant_, gitai_;
    NotesTree provenant_tree_, gitai_tree_;
    /// With `listed`: annotated commit (raw 20 bytes) -> note blob, per ref.
    std::optional<std::unordered_map<std::string, git_oid>> listed_provenant_, listed_gitai_;
    PackReader* packs_ = nullptr;
};

} // namespace provenant::git
