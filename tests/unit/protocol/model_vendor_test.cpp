// The vendor of a model for `vendor/model` ids (Agent Trace's model_id): known families and
// the price table name it; anything else stays bare, never guessed from the tool alone.
#include "protocol/model_vendor.h"

#include <doctest/doctest.h>

using namespace provenant;

TEST_CASE("model_vendor: the price table and the model families name the vendor") {
    // Listed in protocol/prices.json (exact id, and a dated id of a listed family).
    CHECK(model_vendor("claude-code", "claude-opus-4-5") == "anthropic");
    CHECK(model_vendor("claude-code", "claude-sonnet-4-5-20250929") == "anthropic");
    CHECK(model_vendor("codex", "gpt-5.1-codex") == "openai");
    CHECK(model_vendor("gemini", "gemini-2.5-pro") == "google");
    // Not listed, but of a known family (any tool, any case).
    CHECK(model_vendor("cursor", "claude-5-opus") == "anthropic");
    CHECK(model_vendor("copilot", "GPT-4.5-Preview") == "openai");
    CHECK(model_vendor("codex", "o3-pro") == "openai");
    CHECK(model_vendor("codex", "o1") == "openai");
    CHECK(model_vendor("gemini", "gemini-9-ultra") == "google");
    CHECK(model_vendor("cursor", "grok-code-fast-1") == "xai");
    CHECK(model_vendor("aider", "deepseek-coder") == "deepseek");
    CHECK(model_vendor("aider", "codestral-latest") == "mistral");
    CHECK(model_vendor("generic", "anthropic.claude-3-haiku") == "anthropic");
    // Claude Code's aliases are Anthropic's only when Claude Code reported them.
    CHECK(model_vendor("claude-code", "opus") == "anthropic");
    CHECK(model_vendor("claude-code", "sonnet[1m]") == "anthropic");
    CHECK(model_vendor("cursor", "sonnet").empty());
}

TEST_CASE("model_vendor: unknown, already prefixed or look-alike models stay bare") {
    CHECK(model_vendor("claude-code", "").empty());
    // The tool alone never decides: Claude Code through a proxy runs other vendors' models.
    CHECK(model_vendor("claude-code", "glm-4.6").empty());
    CHECK(model_vendor("cursor", "auto").empty());
    CHECK(model_vendor("codex", "my-finetune").empty());
    // A family name must end where the family ends.
    CHECK(model_vendor("aider", "gpt4all-j").empty());
    CHECK(model_vendor("aider", "o3x").empty());
    CHECK(model_vendor("aider", "claudette").empty());
    // Already `vendor/model`: nothing is added.
    CHECK(model_vendor("cursor", "anthropic/claude-opus-4-5").empty());
    CHECK(model_vendor("cursor", "openrouter/gpt-5").empty());

    CHECK(vendor_model_id("claude-code", "claude-opus-4-5") == "anthropic/claude-opus-4-5");
    CHECK(vendor_model_id("cursor", "openai/gpt-5") == "openai/gpt-5");
    CHECK(vendor_model_id("claude-code", "glm-4.6") == "glm-4.6");
    CHECK(vendor_model_id("cursor", "").empty());
}
