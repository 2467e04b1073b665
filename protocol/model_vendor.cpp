// Model vendors (model_vendor.h): the price table's, else a small table of model families.
#include "protocol/model_vendor.h"

#include "protocol/prices.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace provenant {

namespace {

// Families whose name says who makes them. Kept small: a family is listed only when every
// model of that name comes from one vendor.
constexpr std::array<std::pair<std::string_view, std::string_view>, 15> kFamilies{{
    {"claude", "anthropic"},
    {"gpt", "openai"},
    {"chatgpt", "openai"},
    {"codex", "openai"},
    {"o1", "openai"},
    {"o3", "openai"},
    {"o4", "openai"},
    {"gemini", "google"},
    {"gemma", "google"},
    {"grok", "xai"},
    {"mistral", "mistral"},
    {"codestral", "mistral"},
    {"devstral", "mistral"},
    {"deepseek", "deepseek"},
    {"anthropic", "anthropic"}, // Bedrock-style ids: anthropic.claude-…
}};

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

/// `s` starts with `family` and the family name ends there.
bool has_family(std::string_view s, std::string_view family) {
    if (s.substr(0, family.size()) != family) return false;
    if (s.size() == family.size()) return true;
    const char next = s[family.size()];
    return next == '-' || next == '.';
}

bool is_claude_code_alias(std::string_view m) {
    for (std::string_view alias : {"opus", "sonnet", "haiku"}) {
        if (m.substr(0, alias.size()) != alias) continue;
        if (m.size() == alias.size() || m[alias.size()] == '[') return true;
    }
    return false;
}

} // namespace

std::string model_vendor(std::string_view tool, std::string_view model) {
    if (model.empty() || model.find('/') != std::string_view::npos) return {};
    if (auto price = PriceTable::builtin().find(model); price && !price->vendor.empty())
        return price->vendor;
    const std::string m = lower(model);
    for (const auto& [family, vendor] : kFamilies)
        if (has_family(m, family)) return std::string(vendor);
    if (tool == "claude-code" && is_claude_code_alias(m)) return "anthropic";
    return {};
}

std::string vendor_model_id(std::string_view tool, std::string_view model) {
    const std::string vendor = model_vendor(tool, model);
    if (vendor.empty()) return std::string(model);
    return vendor + "/" + std::string(model);
}

} // namespace provenant
