// The session's construction and poll, and the calls that answer: the attribution of a
// document, sync, shutdown; and provenant/annotate. The documents themselves: documents.cpp.
#include "session/session.h"

#include "session/open_document.h"

#include <spdlog/spdlog.h>

namespace provenant::session {

Session::Session(Runtime& runtime, Options options)
    : runtime_(runtime), options_(std::move(options)), flush_timer_(runtime.make_timer()),
      poll_timer_(runtime.make_timer()) {
    if (!options_.journal) return;
    sync_ = std::make_unique<JournalSync>(
        [this](std::function<void()> fn) { runtime_.post_journal(std::move(fn)); },
        [this](std::function<void()> fn) { runtime_.post(std::move(fn)); },
        JournalSync::Callbacks{[this](uint64_t id, std::shared_ptr<const Snapshot> evidence) {
                                   return absorb(id, evidence);
                               },
                               [this](uint64_t id, std::shared_ptr<const Snapshot> base,
                                      const std::shared_ptr<const HeadShare>& share) {
                                   if (auto d = by_id_.find(id); d != by_id_.end())
                                       d->second->doc.rebase(std::move(base), share.get());
                               },
                               options_.before_journal_write});
    arm_poll();
}

Session::~Session() {
    finish();
}

void Session::arm_poll() {
    if (!sync_ || finished_ || options_.poll_interval.count() <= 0) return;
    poll_timer_->start(options_.poll_interval, [this] {
        sync_->poll_now(); // queued behind what the journal thread has waiting
        arm_poll();
    });
}

const Document* Session::document(const std::string& uri) const {
    auto it = documents_.find(uri);
    return it == documents_.end() ? nullptr : &it->second->doc;
}

void Session::annotate(const std::string& uri, int64_t version, const OriginRecord& origin,
                       const std::vector<TextRange>& ranges) {
    OpenDocument* d = find(uri, "provenant/annotate");
    if (!d) return;
    Status s = d->doc.annotate(version, origin, ranges);
    if (!s.ok())
        spdlog::warn("session: provenant/annotate for {} (version {}) rejected: {}", uri, version,
                     s.error().message);
    else
        mark_dirty(*d);
    log_dropped(*d);
}

void Session::provenance(const std::string& uri,
                         std::function<void(Result<DocumentProvenance>)> done) {
    auto it = documents_.find(uri);
    if (it == documents_.end()) return done(make_error(ErrorKind::not_found, uri + " is not open"));
    if (it->second->restoring) { // answered with the journal's attribution, once it is here
        it->second->after_restore.emplace_back(
            [this, uri, done = std::move(done)] { provenance(uri, done); });
        return;
    }
    const Document& doc = it->second->doc;
    DocumentProvenance out{uri, doc.version(), {}};
    CharCounts chars;
    for (const LineVerdict& v : doc.classify(&chars)) {
        if (v.origin)
            out.attribution.add_line(to_string(v.cls), *v.origin, doc.origins().at(*v.origin));
        else
            out.attribution.add_line(to_string(v.cls));
    }
    out.attribution.set_chars(chars);
    done(std::move(out));
}

void Session::sync(std::function<void()> done) {
    // Every earlier call has been handled (the documents thread takes them in order). Hand all
    // unsaved edits to the journal, look for other writers now, and answer once the journal
    // thread has done all of it and its results have come back to this thread. A document
    // whose restore is on its way is written when it arrives: the answer waits for that write.
    after_restores([this, done = std::move(done)] {
        flush_all();
        if (!sync_ || finished_) return done();
        sync_->poll_now();
        // Looks at files for a reload (reloads.cpp) may change documents: the answer waits.
        sync_->barrier([this, done] { runtime_.post([this, done] { after_looks(done); }); });
    });
}

void Session::shutdown(std::function<void()> done) {
    // Restores on their way release their documents' writes first.
    after_restores([this, done = std::move(done)] {
        flush_all();
        done();
    });
}

} // namespace provenant::session
