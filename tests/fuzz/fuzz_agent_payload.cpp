// libFuzzer target: agent hook payload parsers and Codex's apply_patch parser, the text
// arithmetic that follows them (undoing replacements), and the transcript readers (Claude
// Code and Codex JSONL, Gemini's recording) on the same bytes. The first byte picks the agent;
// the rest is the payload. No file is touched: run_hook's I/O is left to the e2e tests.
#include "agents/hook_event.h"
#include "agents/hook_runner.h"
#include "agents/text_edits.h"
#include "agents/transcripts.h"
#include "support/json_budget.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace provenant;
using nlohmann::json;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const auto& agents = agents::known_agents();
    const std::string& agent = agents[data[0] % agents.size()];
    const std::string_view payload(reinterpret_cast<const char*>(data) + 1, size - 1);

    (void)agents::parse_apply_patch(payload);
    // The transcript readers never consume more than they were given.
    for (auto* reader :
         {&agents::read_claude_chunk, &agents::read_codex_chunk, &agents::read_gemini_document}) {
        SessionRecord rec;
        if ((*reader)(payload, rec).consumed > payload.size()) std::abort();
    }
    // As run_hook does: the budget first, then the parse.
    const JsonShape shape = measure_json(payload, agents::kMaxPayloadDepth);
    if (shape.too_deep || shape.values > agents::kMaxPayloadValues) return 0;
    json j = json::parse(payload, nullptr, false);
    if (j.is_discarded()) return 0;
    auto ev = agents::parse_payload(agent, j);
    if (!ev) return 0;
    for (const auto& f : ev->files) {
        if (!f.replacements.empty() && f.after) {
            (void)agents::undo_replacements(*f.after, f.replacements);
            (void)agents::locate_new_text(*f.after, f.replacements);
        }
    }
    return 0;
}
