// A worker thread that reads the owners' notes while the blame walk runs.
#include "git/blame_notes.h"

#include "git/note_reader.h"
#include "git/pack_reader.h"

namespace provenant::git {

namespace {

/// The resolved note versions the worker keeps: a fast-import notes ref stores notes as delta
/// chains of up to 50 (about 450 bytes each in tmux's bench: 9,797 notes are 4.4 MB in all).
constexpr size_t kNotePackBudget = size_t{8} << 20;

/// How many asks wait before the worker is woken.
constexpr size_t kWakeBatch = 32;

std::string raw_key(const git_oid& id) {
    return std::string(reinterpret_cast<const char*>(id.id), GIT_OID_RAWSZ);
}

FileAttribution read_one(const NoteReader& notes, const git_oid& commit, const std::string& path,
                         const git_oid& blob) {
    FileAttribution a;
    CommitNote cn = notes.read_for(commit, path);
    if (!cn.note) return a; // none, or unreadable: a gap
    auto it = cn.note->files.find(path);
    // A note whose blob is not the commit's says nothing about these lines.
    if (it != cn.note->files.end() &&
        (it->second.blob.empty() || it->second.blob == to_hex(blob))) {
        a.file = std::move(it->second);
        a.origins = std::move(cn.note->origins);
    }
    return a;
}

} // namespace

BlameNotes::BlameNotes(const Repo& repo, const PackReader* packs, bool worker)
    : repo_(repo), gitdir_(repo.gitdir().string()) {
    if (packs != nullptr) {
        // Shared here, on the blame's thread, before the worker exists: share() reads the
        // reader's list of mappings, which nothing changes once it is open.
        worker_packs_ = packs->share(kNotePackBudget);
        caller_packs_ = packs->share(kNotePackBudget);
    }
    if (!worker) return;
    try {
        worker_ = std::thread([this] { work(); });
    } catch (const std::system_error&) {
        // No thread: finish() reads every ask.
    }
}

BlameNotes::~BlameNotes() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        closing_ = true;
        queue_.clear(); // nothing more to read: the results are not wanted
    }
    wake_.notify_one();
    if (worker_.joinable()) worker_.join();
}

void BlameNotes::want(const git_oid& commit, const std::string* path, const git_oid& blob) {
    if (!asked_.emplace(raw_key(commit), path).second) return;
    const Ask ask{commit, path, blob};
    all_.push_back(ask);
    bool wake = false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        queue_.push_back(ask);
        // The worker is woken for a batch, not for each ask: a wake-up is a system call here
        // and a context switch there (one per ask was ~350 switches and more CPU than the
        // notes saved on a loaded machine); what is left at the end, finish() shares.
        wake = waiting_ && queue_.size() >= kWakeBatch;
    }
    if (wake) wake_.notify_one();
}

void BlameNotes::work() {
    try {
        auto repo = Repo::open(gitdir_, true);
        if (!repo) return; // finish() reads the asks
        NoteReader notes(*repo);
        notes.use_packs(worker_packs_.get());
        for (;;) {
            Ask ask{};
            {
                std::unique_lock<std::mutex> lock(mutex_);
                waiting_ = true;
                wake_.wait(lock, [this] { return closing_ || !queue_.empty(); });
                waiting_ = false;
                if (queue_.empty()) return; // closing, and nothing left
                ask = queue_.front();
                queue_.pop_front();
            }
            FileAttribution a = read_one(notes, ask.commit, *ask.path, ask.blob);
            results_.emplace(Key{raw_key(ask.commit), ask.path}, std::move(a));
            ++by_worker_;
        }
    } catch (...) {
        // Whatever is not in results_ is read again by finish(), on the blame's thread, where
        // a failure is reported as the blame's own.
    }
}

void BlameNotes::finish() {
    if (finished_) return;
    finished_ = true;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        closing_ = true; // the worker reads what is queued, then ends
    }
    wake_.notify_one();
    // What the worker has not taken yet is read here too, beside it: on a loaded machine the
    // worker may not have run at all, and the blame then waits no longer than reading the notes
    // itself would take.
    std::optional<NoteReader> notes;
    auto reader = [&]() -> const NoteReader& {
        if (!notes) {
            notes.emplace(repo_);
            notes->use_packs(caller_packs_.get());
        }
        return *notes;
    };
    std::map<Key, FileAttribution> mine;
    for (;;) {
        Ask ask{};
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (queue_.empty()) break;
            ask = queue_.front();
            queue_.pop_front();
        }
        mine.emplace(Key{raw_key(ask.commit), ask.path},
                     read_one(reader(), ask.commit, *ask.path, ask.blob));
    }
    if (worker_.joinable()) worker_.join();
    results_.merge(mine);
    // And what the worker took but did not finish (an exception), or never took (no thread, or
    // no repository there).
    for (const Ask& ask : all_) {
        Key key{raw_key(ask.commit), ask.path};
        if (results_.count(key) == 0)
            results_.emplace(std::move(key), read_one(reader(), ask.commit, *ask.path, ask.blob));
    }
}

const FileAttribution& BlameNotes::get(const git_oid& commit, const std::string* path) const {
    static const FileAttribution kNone;
    auto it = results_.find(Key{raw_key(commit), path});
    return it == results_.end() ? kNone : it->second;
}

} // namespace provenant::git
