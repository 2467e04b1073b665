// HEAD's text of a file (session/head_text.h).
#include "session/head_text.h"

#include <spdlog/spdlog.h>

namespace provenant::session {

std::optional<std::string> HeadReader::text(const std::filesystem::path& workdir,
                                            const std::string& rel) {
    auto it = repos_.find(workdir);
    if (it == repos_.end()) {
        auto repo = git::Repo::open(workdir);
        if (!repo.ok()) {
            spdlog::debug("session: no HEAD text for {}: {}", rel, repo.error().message);
            return std::nullopt;
        }
        if (repos_.size() >= kMaxRepos) repos_.erase(repos_.begin()); // bounded
        it = repos_.emplace(workdir, std::move(*repo)).first;
    }
    auto head = it->second.resolve("HEAD");
    if (!head.ok()) return std::nullopt; // unborn branch: no HEAD yet
    auto text = it->second.text_at(*head, rel);
    if (!text.ok()) {
        spdlog::warn("session: reading {} in HEAD: {}", rel, text.error().message);
        return std::nullopt;
    }
    return std::move(*text);
}

} // namespace provenant::session
