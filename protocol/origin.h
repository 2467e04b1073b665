// Origin classes, line classes and origin records: the vocabulary shared by every layer.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace provenant {

/// The origin class of one character (docs/model.md §1).
enum class OriginClass : uint8_t { Unknown = 0, Human = 1, Paste = 2, Ai = 3 };

/// The class of one line in notes and reports. `Blank` lines count for nothing.
enum class LineClass : uint8_t { Blank = 0, Ai, AiModified, Human, Paste, Unknown };

std::string_view to_string(OriginClass c);
std::string_view to_string(LineClass c);
std::optional<OriginClass> origin_class_from_string(std::string_view s);
std::optional<LineClass> line_class_from_string(std::string_view s);

/// How an AI origin produced its text.
/// Kinds: "completion" | "agent" | "chat" (empty when not AI).
bool is_valid_ai_kind(std::string_view kind);

/// Token usage, as agents report it. Input excludes cached tokens (Anthropic's convention);
/// readers of Codex usage subtract cached tokens before storing.
struct TokenUsage {
    uint64_t input = 0;
    uint64_t output = 0;
    uint64_t cache_read = 0;
    uint64_t cache_write_5m = 0;
    uint64_t cache_write_1h = 0;
    uint64_t reasoning = 0; // included in output; informational
    bool empty() const {
        return input == 0 && output == 0 && cache_read == 0 && cache_write_5m == 0 &&
               cache_write_1h == 0;
    }
    TokenUsage& operator+=(const TokenUsage& o);
    bool operator==(const TokenUsage&) const = default;
};

/// Who or what produced some text. Records are compared by value: two records with the
/// same fields are the same origin. Holds no source text and no prompts.
struct OriginRecord {
    OriginClass cls = OriginClass::Unknown;
    std::string tool;    // copilot, claude-code, cursor, codex, gemini, ... (AI only)
    std::string kind;    // completion | agent | chat (AI only)
    std::string model;   // model id where known
    std::string session; // the agent's conversation / session id
    std::string request; // optional request / tool-use id
    bool operator==(const OriginRecord&) const = default;
    /// A stable key for deduplication and for journal/notes ids.
    std::string key() const;
};

void to_json(nlohmann::json& j, const OriginRecord& r);
/// Strict: throws nlohmann::json::exception (type_error/out_of_range) or std::invalid_argument
/// naming the bad field.
void from_json(const nlohmann::json& j, OriginRecord& r);
void to_json(nlohmann::json& j, const TokenUsage& u);
void from_json(const nlohmann::json& j, TokenUsage& u);

} // namespace provenant
