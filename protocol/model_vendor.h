// The vendor of an AI model, for the `vendor/model` ids other formats use (Agent Trace's
// `model_id`, after models.dev: `anthropic/claude-opus-4-5`). Notes keep the model as the tool
// reported it; the vendor is derived only when it is known, never guessed.
#pragma once

#include <string>
#include <string_view>

namespace provenant {

/// The vendor of `model` as reported by `tool`, "" when not known. In order:
/// - a model id that already names its vendor (holds a '/') gets none added: "";
/// - the price table's vendor (protocol/prices.json: exact id or family prefix);
/// - a model family prefix, case-insensitive, followed by the end, '-' or '.':
///     claude → anthropic;  gpt, o1, o3, o4, codex, chatgpt → openai;  gemini, gemma → google;
///     grok → xai;  mistral, codestral, devstral → mistral;  deepseek → deepseek;
/// - Claude Code's own aliases (`opus`, `sonnet`, `haiku`, with an optional `[1m]`-style
///   suffix) when the tool is claude-code: anthropic.
/// The tool alone never decides: Claude Code, Cursor or Copilot can each run another vendor's
/// model (through a proxy or a model picker), and only the model id says which. Thread-safe.
std::string model_vendor(std::string_view tool, std::string_view model);

/// `vendor/model` when model_vendor knows the vendor, else `model` unchanged.
std::string vendor_model_id(std::string_view tool, std::string_view model);

} // namespace provenant
