// Notes under refs/notes/provenant: read, write (retrying on concurrent writers), remove, list.
#include "git/note_store.h"

#include "support/fs.h"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

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

// How a ref lock left by a dead writer is told from a live one. libgit2's ref locks
// (`refs/notes/provenant.lock`, created O_EXCL) carry no owner pid, so: every provenant writer
// of the notes ref holds provenant's own flock, `<commondir>/provenant/notes.lock`, around its
// update (the kernel drops a flock when its holder dies, kill -9 included). A ref lock seen
// while we hold that flock was therefore left by a provenant writer that died, or belongs to
// a process that is not provenant (git notes, git fetch), which holds it for the few
// milliseconds of one ref update. Once it is kStaleRefLockAge old it is stale: removed, with
// a warning, and the update retried. Younger, we back off and retry.
constexpr auto kStaleRefLockAge = std::chrono::seconds(2);
// The longest one update waits for a ref lock before it gives up (and the caller keeps the
// commit queued for a later retry).
constexpr auto kLockedWaitLimit = std::chrono::seconds(8);

std::filesystem::path ref_lock_file(git_repository* repo, const std::string& ref) {
    return std::filesystem::path(git_repository_commondir(repo)) / (ref + ".lock");
}

// Removes `lock` if it is old enough to be stale (the caller holds the notes flock). True when
// the lock is gone (removed here, or already gone), so the update may be retried at once.
bool clear_stale_ref_lock(const std::filesystem::path& lock) {
    struct stat st {};
    if (::lstat(lock.c_str(), &st) != 0) return errno == ENOENT;
    timespec now{};
    ::clock_gettime(CLOCK_REALTIME, &now);
    const double age = static_cast<double>(now.tv_sec - st.st_mtim.tv_sec) +
                       static_cast<double>(now.tv_nsec - st.st_mtim.tv_nsec) / 1e9;
    if (age < static_cast<double>(kStaleRefLockAge.count())) return false;
    if (::unlink(lock.c_str()) != 0) return errno == ENOENT;
    spdlog::warn("notes: removed {} ({:.0f} s old), left by a note writer that died", lock.string(),
                 age);
    return true;
}

// Runs `op`, one libgit2 update of `ref` returning a libgit2 code, under the notes flock;
// retries when another writer moved the ref (GIT_EMODIFIED) and while a ref lock is held,
// clearing a stale one. Returns op's last code.
template <typename Op>
Result<int> update_notes_ref(git_repository* repo, const std::string& ref, Op op) {
    auto held = lock_notes_writers(repo);
    if (!held) return held.error().context("updating " + ref);
    const auto start = std::chrono::steady_clock::now();
    auto delay = std::chrono::milliseconds(5);
    for (int modified = 0;;) {
        int rc = op();
        if (rc == GIT_EMODIFIED && ++modified < kWriteAttempts) continue;
        if (rc != GIT_ELOCKED) return rc;
        if (std::chrono::steady_clock::now() - start > kLockedWaitLimit) return rc;
        if (clear_stale_ref_lock(ref_lock_file(repo, ref))) continue;
        std::this_thread::sleep_for(delay); // backing off from another process's lock
        delay = std::min(delay * 2, std::chrono::milliseconds(200));
    }
}

} // namespace

Result<FileLock> lock_notes_writers(git_repository* repo) {
    return FileLock::acquire(std::filesystem::path(git_repository_commondir(repo)) / "provenant" /
                             "notes.lock");
}

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
        if (int rc = git_signature_now(Setter(sig), "provenant", "provenant@localhost"); rc != 0)
            return git_error(rc, "creating the notes signature");
    }
    return sig;
}

Result<std::optional<std::string>> NoteStore::read_raw(const git_oid& commit) const {
    GitNote note;
    int rc = git_note_read(Setter(note), repo_, ref_.c_str(), &commit);
    if (rc == GIT_ENOTFOUND) return std::optional<std::string>{};
    if (rc != 0) return git_error(rc, "reading the note of " + to_hex(commit));
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
    std::string text;
    try {
        text = serialize_note(note);
    } catch (const std::exception& e) {
        // Never out of here: an exception once stopped the drain, and every later note.
        return make_error(ErrorKind::internal,
                          "serialising the note of " + to_hex(commit) + ": " + e.what());
    }
    return write_raw(commit, text);
}

Status NoteStore::write_raw(const git_oid& commit, const std::string& text) {
    auto sig = note_signature(repo_);
    if (!sig) return sig.error();
    auto rc = update_notes_ref(repo_, ref_, [&] {
        git_oid note_id;
        return git_note_create(&note_id, repo_, ref_.c_str(), sig->get(), sig->get(), &commit,
                               text.c_str(), /*force=*/1);
    });
    if (!rc) return rc.error().context("writing the note of " + to_hex(commit));
    if (*rc != 0) return git_error(*rc, "writing the note of " + to_hex(commit) + " to " + ref_);
    return {};
}

Result<bool> NoteStore::remove(const git_oid& commit) {
    auto sig = note_signature(repo_);
    if (!sig) return sig.error();
    auto rc = update_notes_ref(repo_, ref_, [&] {
        return git_note_remove(repo_, ref_.c_str(), sig->get(), sig->get(), &commit);
    });
    if (!rc) return rc.error().context("removing the note of " + to_hex(commit));
    if (*rc == 0) return true;
    if (*rc == GIT_ENOTFOUND) return false;
    return git_error(*rc, "removing the note of " + to_hex(commit) + " from " + ref_);
}

Result<std::vector<NoteStore::Entry>> NoteStore::list() const {
    std::vector<Entry> out;
    NoteIterator it;
    int rc = git_note_iterator_new(Setter(it), repo_, ref_.c_str());
    if (rc == GIT_ENOTFOUND) return out;
    if (rc != 0) return git_error(rc, "listing notes of " + ref_);
    for (;;) {
        Entry e{};
        rc = git_note_next(&e.blob, &e.commit, it.get());
        if (rc == GIT_ITEROVER) break;
        if (rc != 0) return git_error(rc, "listing notes of " + ref_);
        out.push_back(e);
    }
    return out;
}

} // namespace provenant::git
