// Notes under refs/notes/provenant: read, write (retrying on concurrent writers), remove, list.
#include "git/note_store.h"

#include <cstdlib>

namespace provenant::git {

namespace {
constexpr int kWriteAttempts = 8;

std::string config_string(git_repository* repo, const char* name) {
    Config cfg;
    if (git_repository_config_snapshot(Setter(cfg), repo) != 0) return {};
    const char* value = nullptr;
    if (git_config_get_string(&value, cfg.get(), name) != 0 || value == nullptr) return {};
    return value;
}
} // namespace

Result<Signature> note_signature(git_repository* repo) {
    std::string name, email;
    if (const char* n = std::getenv("GIT_COMMITTER_NAME")) name = n;
    if (const char* e = std::getenv("GIT_COMMITTER_EMAIL")) email = e;
    if (name.empty()) name = config_string(repo, "user.name");
    if (email.empty()) email = config_string(repo, "user.email");
    if (name.empty()) name = "provenant";
    if (email.empty()) email = "provenant@localhost";
    Signature sig;
    if (git_signature_now(Setter(sig), name.c_str(), email.c_str()) != 0) {
        // A name git refuses (e.g. only '<'): fall back rather than fail the commit hook.
        if (git_signature_now(Setter(sig), "provenant", "provenant@localhost") != 0)
            return git_error("creating the notes signature");
    }
    return sig;
}

Result<std::optional<std::string>> NoteStore::read_raw(const git_oid& commit) const {
    GitNote note;
    int rc = git_note_read(Setter(note), repo_, ref_.c_str(), &commit);
    if (rc == GIT_ENOTFOUND) return std::optional<std::string>{};
    if (rc != 0) return git_error("reading the note of " + to_hex(commit));
    const char* msg = git_note_message(note.get());
    return std::optional<std::string>(msg ? msg : "");
}

Result<std::optional<Note>> NoteStore::read(const git_oid& commit) const {
    auto raw = read_raw(commit);
    if (!raw) return raw.error();
    if (!*raw) return std::optional<Note>{};
    auto note = parse_note(**raw);
    if (!note) return note.error().context("note of " + to_hex(commit));
    return std::optional<Note>(std::move(*note));
}

Status NoteStore::write(const git_oid& commit, const Note& note) {
    return write_raw(commit, serialize_note(note));
}

Status NoteStore::write_raw(const git_oid& commit, const std::string& text) {
    auto sig = note_signature(repo_);
    if (!sig) return sig.error();
    for (int attempt = 1;; ++attempt) {
        git_oid note_id;
        int rc = git_note_create(&note_id, repo_, ref_.c_str(), sig->get(), sig->get(), &commit,
                                 text.c_str(), /*force=*/1);
        if (rc == 0) return {};
        // Another process moved the notes ref between our read and our update: retry.
        if (attempt >= kWriteAttempts || (rc != GIT_EMODIFIED && rc != GIT_ELOCKED))
            return git_error("writing the note of " + to_hex(commit) + " to " + ref_);
    }
}

Result<bool> NoteStore::remove(const git_oid& commit) {
    auto sig = note_signature(repo_);
    if (!sig) return sig.error();
    for (int attempt = 1;; ++attempt) {
        int rc = git_note_remove(repo_, ref_.c_str(), sig->get(), sig->get(), &commit);
        if (rc == 0) return true;
        if (rc == GIT_ENOTFOUND) return false;
        if (attempt >= kWriteAttempts || (rc != GIT_EMODIFIED && rc != GIT_ELOCKED))
            return git_error("removing the note of " + to_hex(commit) + " from " + ref_);
    }
}

Result<std::vector<NoteStore::Entry>> NoteStore::list() const {
    std::vector<Entry> out;
    NoteIterator it;
    int rc = git_note_iterator_new(Setter(it), repo_, ref_.c_str());
    if (rc == GIT_ENOTFOUND) return out;
    if (rc != 0) return git_error("listing notes of " + ref_);
    for (;;) {
        Entry e{};
        rc = git_note_next(&e.blob, &e.commit, it.get());
        if (rc == GIT_ITEROVER) break;
        if (rc != 0) return git_error("listing notes of " + ref_);
        out.push_back(e);
    }
    return out;
}

} // namespace provenant::git
