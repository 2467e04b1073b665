// Writing git-ai's note beside provenant's (gitai_writer.h). The mapping itself lives in the
// protocol layer (protocol/gitai_note.h), with the reader it must round-trip through.
#include "git/gitai_writer.h"

#include "git/note_store.h"
#include "git/raii.h"
#include "protocol/gitai_note.h"

namespace provenant::git {

bool gitai_notes_enabled(const Repo& repo) {
    Config config;
    if (git_repository_config_snapshot(Setter(config), repo.get()) != 0) return false;
    int value = 0;
    if (git_config_get_bool(&value, config.get(), "provenant.gitainotes") != 0) return false;
    return value != 0;
}

Status write_gitai_note_if_enabled(const Repo& repo, const git_oid& commit, const Note& note) {
    if (!gitai_notes_enabled(repo)) return {};
    GitAiNote gitai = note_to_gitai_note(note, to_hex(commit));
    if (gitai.files.empty()) return {};
    std::string text;
    try {
        text = serialize_gitai_note(gitai);
    } catch (const std::exception& e) {
        return make_error("writing git-ai's note of " + to_hex(commit) + ": " + e.what());
    }
    NoteStore store(repo, std::string(kGitAiNotesRef));
    return store.write_raw(commit, text);
}

} // namespace provenant::git
