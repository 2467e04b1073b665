// Incremental transcript readers: Claude Code (dedupe by message id + request id, keep the
// largest usage, skip sidechains), Codex rollouts (cumulative totals), Gemini recordings.
#include "agents/transcripts.h"

#include "support/fs.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

namespace provenant::agents {
using nlohmann::json;

namespace {

constexpr size_t kMaxSeenKeys = 512;

uint64_t u64(const json& obj, const char* key) {
    if (!obj.is_object()) return 0;
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_number_unsigned()) return 0;
    return it->get<uint64_t>();
}

json usage_array(const TokenUsage& u) {
    return json::array(
        {u.input, u.output, u.cache_read, u.cache_write_5m, u.cache_write_1h, u.reasoning});
}

TokenUsage usage_from_array(const json& a) {
    TokenUsage u;
    if (!a.is_array() || a.size() < 5) return u;
    uint64_t* f[] = {&u.input,          &u.output,         &u.cache_read,
                     &u.cache_write_5m, &u.cache_write_1h, &u.reasoning};
    for (size_t i = 0; i < std::min<size_t>(a.size(), 6); ++i)
        *f[i] = a[i].is_number_unsigned() ? a[i].get<uint64_t>() : 0;
    return u;
}

uint64_t sub0(uint64_t a, uint64_t b) {
    return a > b ? a - b : 0;
}

/// Calls fn on each complete line of `chunk`; returns bytes consumed.
template <typename Fn> size_t for_each_line(std::string_view chunk, Fn&& fn) {
    size_t pos = 0;
    while (pos < chunk.size()) {
        size_t nl = chunk.find('\n', pos);
        if (nl == std::string_view::npos) break;
        std::string_view line = chunk.substr(pos, nl - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!line.empty()) fn(line);
        pos = nl + 1;
    }
    return pos;
}

} // namespace

ChunkResult read_claude_chunk(std::string_view chunk, SessionRecord& rec) {
    ChunkResult res;
    json& state = rec.transcript.state;
    if (!state.contains("seen") || !state["seen"].is_array()) state["seen"] = json::array();
    json& seen = state["seen"];
    res.consumed = for_each_line(chunk, [&](std::string_view line) {
        json j = json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            ++res.skipped;
            return;
        }
        if (j.value("type", json()) != "assistant") return;
        auto msg = j.find("message");
        if (msg == j.end() || !msg->is_object()) return;
        std::string model = msg->value("model", json()).is_string()
                                ? msg->at("model").get<std::string>()
                                : std::string();
        if (model == "<synthetic>") model.clear();
        if (auto content = msg->find("content"); content != msg->end() && content->is_array())
            for (const auto& c : *content)
                if (c.is_object() && c.value("type", json()) == "tool_use" &&
                    c.value("id", json()).is_string())
                    rec.note_tool_model(c.at("id").get<std::string>(), model);
        if (j.value("isSidechain", false) == true)
            return; // a subagent's replay: its tokens are not this conversation's
        auto usage = msg->find("usage");
        if (usage == msg->end() || !usage->is_object() || model.empty()) return;
        TokenUsage u;
        u.input = u64(*usage, "input_tokens");
        u.output = u64(*usage, "output_tokens");
        u.cache_read = u64(*usage, "cache_read_input_tokens");
        auto cc = usage->find("cache_creation");
        if (cc != usage->end() && cc->is_object() &&
            (cc->contains("ephemeral_5m_input_tokens") ||
             cc->contains("ephemeral_1h_input_tokens"))) {
            u.cache_write_5m = u64(*cc, "ephemeral_5m_input_tokens");
            u.cache_write_1h = u64(*cc, "ephemeral_1h_input_tokens");
        } else {
            u.cache_write_5m = u64(*usage, "cache_creation_input_tokens");
        }
        // Streaming writes one line per content block with the usage so far: count each
        // (message id, request id) once, at its largest.
        std::string key =
            msg->value("id", json()).is_string() ? msg->at("id").get<std::string>() : std::string();
        key += '|';
        key += j.value("requestId", json()).is_string() ? j.at("requestId").get<std::string>()
                                                        : std::string();
        TokenUsage counted;
        json* slot = nullptr;
        for (auto& s : seen)
            if (s.is_array() && s.size() == 2 && s[0] == key) {
                slot = &s;
                counted = usage_from_array(s[1]);
            }
        TokenUsage best;
        best.input = std::max(u.input, counted.input);
        best.output = std::max(u.output, counted.output);
        best.cache_read = std::max(u.cache_read, counted.cache_read);
        best.cache_write_5m = std::max(u.cache_write_5m, counted.cache_write_5m);
        best.cache_write_1h = std::max(u.cache_write_1h, counted.cache_write_1h);
        TokenUsage delta;
        delta.input = best.input - counted.input;
        delta.output = best.output - counted.output;
        delta.cache_read = best.cache_read - counted.cache_read;
        delta.cache_write_5m = best.cache_write_5m - counted.cache_write_5m;
        delta.cache_write_1h = best.cache_write_1h - counted.cache_write_1h;
        rec.note_model(model);
        rec.tokens[model] += delta;
        if (slot) {
            (*slot)[1] = usage_array(best);
        } else {
            seen.push_back(json::array({key, usage_array(best)}));
            if (seen.size() > kMaxSeenKeys) seen.erase(seen.begin());
        }
    });
    return res;
}

ChunkResult read_codex_chunk(std::string_view chunk, SessionRecord& rec) {
    ChunkResult res;
    json& state = rec.transcript.state;
    res.consumed = for_each_line(chunk, [&](std::string_view line) {
        json j = json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            ++res.skipped;
            return;
        }
        const json payload = j.value("payload", json::object());
        if (!payload.is_object()) return;
        const json type = j.value("type", json());
        if (type == "turn_context" || type == "session_meta") {
            if (payload.value("model", json()).is_string()) {
                state["model"] = payload.at("model");
                rec.note_model(payload.at("model").get<std::string>());
            }
            return;
        }
        if (type != "event_msg" || payload.value("type", json()) != "token_count") return;
        auto info = payload.find("info");
        if (info == payload.end() || !info->is_object()) return;
        auto total = info->find("total_token_usage");
        if (total == info->end() || !total->is_object()) return;
        // Codex's input_tokens include the cached ones; ours exclude them (origin.h).
        TokenUsage now;
        uint64_t cached = u64(*total, "cached_input_tokens");
        now.input = sub0(u64(*total, "input_tokens"), cached);
        now.cache_read = cached;
        now.output = u64(*total, "output_tokens");
        now.reasoning = u64(*total, "reasoning_output_tokens");
        TokenUsage last = usage_from_array(state.value("last_total", json()));
        uint64_t last_reasoning = u64(state, "last_reasoning");
        bool reset =
            now.input < last.input || now.output < last.output || now.cache_read < last.cache_read;
        TokenUsage delta = now;
        if (!reset) {
            delta.input -= last.input;
            delta.output -= last.output;
            delta.cache_read -= last.cache_read;
            delta.reasoning = sub0(now.reasoning, last_reasoning);
        }
        std::string model = state.value("model", json()).is_string()
                                ? state["model"].get<std::string>()
                                : std::string();
        rec.tokens[model] += delta;
        state["last_total"] = usage_array(now);
        state["last_reasoning"] = now.reasoning;
    });
    return res;
}

ChunkResult read_gemini_document(std::string_view text, SessionRecord& rec) {
    ChunkResult res;
    std::vector<json> messages;
    json doc = json::parse(text, nullptr, false);
    if (!doc.is_discarded() && doc.is_object() && doc.contains("messages") &&
        doc["messages"].is_array()) {
        for (auto& m : doc["messages"])
            messages.push_back(std::move(m));
    } else {
        for_each_line(text, [&](std::string_view line) {
            json j = json::parse(line, nullptr, false);
            if (j.is_discarded() || !j.is_object())
                ++res.skipped;
            else
                messages.push_back(std::move(j));
        });
    }
    std::map<std::string, TokenUsage> totals;
    std::string last_model;
    for (const auto& m : messages) {
        if (!m.is_object() || m.value("type", json()) != "gemini") continue;
        std::string model =
            m.value("model", json()).is_string() ? m["model"].get<std::string>() : std::string();
        if (!model.empty()) last_model = model;
        const json tokens = m.value("tokens", json());
        if (!tokens.is_object()) continue;
        TokenUsage u;
        uint64_t cached = u64(tokens, "cached");
        u.input = sub0(u64(tokens, "input"), cached); // promptTokenCount includes cached
        u.cache_read = cached;
        u.reasoning = u64(tokens, "thoughts");
        u.output = u64(tokens, "output") + u.reasoning; // thinking is billed as output
        totals[model] += u;
    }
    json& state = rec.transcript.state;
    json prev = state.value("totals", json::object());
    json next = json::object();
    for (const auto& [model, u] : totals) {
        TokenUsage before = usage_from_array(prev.value(model, json()));
        TokenUsage d;
        d.input = sub0(u.input, before.input);
        d.output = sub0(u.output, before.output);
        d.cache_read = sub0(u.cache_read, before.cache_read);
        d.reasoning = sub0(u.reasoning, before.reasoning);
        rec.note_model(model);
        rec.tokens[model] += d;
        next[model] = usage_array(u);
    }
    state["totals"] = next;
    if (!last_model.empty()) state["model"] = last_model;
    res.consumed = text.size();
    return res;
}

Result<std::string> read_transcript(std::string_view tool, const std::string& path,
                                    SessionRecord& rec) {
    if (path.empty() || (tool != "claude-code" && tool != "codex" && tool != "gemini"))
        return std::string();
    TranscriptCursor& cur = rec.transcript;
    if (cur.path != path) {
        cur.path = path;
        cur.offset = 0; // dedupe state is kept: re-reading counts nothing twice
    }
    // The path comes from the agent's payload: only a regular file is opened, never blocking
    // (a FIFO there hung the hook, and the agent waiting on it, forever: issue 12 §11).
    // Symlinks are followed: transcripts live outside the repository, where the agent says.
    int fd = open_regular_file(path, /*follow_symlinks=*/true);
    if (fd < 0)
        return make_error(ErrorKind::io,
                          "transcript " + path + ": cannot open: " +
                              (errno == EINVAL ? std::string("not a regular file") : errno_text()));
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        return make_error(ErrorKind::io, "transcript " + path + ": " + errno_text());
    auto size = static_cast<uint64_t>(st.st_size);
    bool whole_document = tool == "gemini";
    if (whole_document) {
        if (size > kMaxTranscriptReadBytes)
            return make_error(ErrorKind::invalid_input,
                              "transcript " + path + ": larger than " +
                                  std::to_string(kMaxTranscriptReadBytes) + " bytes, not read");
        if (size == cur.offset && size != 0) return std::string(); // unchanged since the last read
        cur.offset = 0;
    } else if (size < cur.offset) {
        cur.offset = 0; // rewritten or truncated
    }
    uint64_t want = std::min<uint64_t>(size - cur.offset, kMaxTranscriptReadBytes);
    std::string chunk(want, '\0');
    size_t got = 0;
    while (got < chunk.size()) {
        ssize_t n = ::pread(fd, chunk.data() + got, chunk.size() - got,
                            static_cast<off_t>(cur.offset + got));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return make_error(ErrorKind::io, "transcript " + path + ": " + errno_text());
        if (n == 0) break; // truncated meanwhile
        got += static_cast<size_t>(n);
    }
    chunk.resize(got);
    ChunkResult r = tool == "claude-code" ? read_claude_chunk(chunk, rec)
                    : tool == "codex"     ? read_codex_chunk(chunk, rec)
                                          : read_gemini_document(chunk, rec);
    cur.offset += r.consumed;
    if (r.skipped)
        return "transcript " + path + ": skipped " + std::to_string(r.skipped) +
               " malformed line(s)";
    return std::string();
}

} // namespace provenant::agents
