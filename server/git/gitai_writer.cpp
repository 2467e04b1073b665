// Keeping git-ai's note beside provenant's (gitai_writer.h). The mapping itself lives in the
// protocol layer (protocol/gitai_note.h), with the reader it must round-trip through.
#include "git/gitai_writer.h"

#include "git/note_store.h"
#include "git/raii.h"
#include "protocol/gitai_note.h"

#include <atomic>
#include <optional>
#include <spdlog/spdlog.h>

namespace provenant::git {

namespace {

/// A rebase of a hundred commits that git-ai annotated would say the same thing a hundred
/// times: once per process is enough to tell the user why refs/notes/ai was not updated.
std::atomic<bool> foreign_note_said{false};

/// Sets git-ai's note of `commit` to `text`, or removes it when `text` is empty, unless the
/// note there is not provenant's. Writes nothing when the note already holds `text`.
Status replace_own_note(const Repo& repo, const git_oid& commit, const std::string& text) {
    NoteStore store(repo, std::string(kGitAiNotesRef));
    auto existing = store.read_raw(commit);
    if (!existing) return existing.error();
    if (!*existing) {
        if (text.empty()) return {};
        return store.write_raw(commit, text);
    }
    if (**existing == text) return {};
    // Another tool's data, or text no reader understands: not provenant's to destroy.
    auto parsed = parse_gitai_note(**existing);
    if (!parsed || !written_by_provenant(*parsed)) {
        if (!foreign_note_said.exchange(true))
            spdlog::warn("git-ai's note of {} ({}) was not written by provenant: left as it is, "
                         "and so is any other such note",
                         to_hex(commit), kGitAiNotesRef);
        return {};
    }
    if (!text.empty()) return store.write_raw(commit, text);
    auto removed = store.remove(commit);
    if (!removed) return removed.error();
    return {};
}

} // namespace

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
    std::string text;
    if (!gitai.files.empty()) {
        try {
            text = serialize_gitai_note(gitai);
        } catch (const std::exception& e) {
            return make_error(ErrorKind::io,
                              "writing git-ai's note of " + to_hex(commit) + ": " + e.what());
        }
    }
    // No AI line: an earlier note of provenant's saying otherwise must go.
    return replace_own_note(repo, commit, text);
}

Status remove_gitai_note_if_enabled(const Repo& repo, const git_oid& commit) {
    if (!gitai_notes_enabled(repo)) return {};
    return replace_own_note(repo, commit, {});
}

} // namespace provenant::git
