// Gemini CLI hook payloads: AfterTool for write_file and replace (BeforeTool snapshots);
// shell commands through before/after snapshots.
#include "agents/hook_event.h"

namespace provenant::agents {
using nlohmann::json;

Result<HookEvent> parse_gemini(const json& j) {
    return guarded("gemini payload", [&]() -> Result<HookEvent> {
        HookEvent ev;
        ev.tool = "gemini";
        ev.session = field::string(j, "session_id", "");
        ev.transcript = field::opt_string(j, "transcript_path", "").value_or("");
        ev.cwd = field::opt_string(j, "cwd", "").value_or("");
        ev.model = field::opt_string(j, "model", "").value_or("");
        ev.event_name = field::string(j, "hook_event_name", "");
        if (ev.event_name != "BeforeTool" && ev.event_name != "AfterTool") {
            ev.phase = HookPhase::Other;
            return ev;
        }
        ev.phase = ev.event_name == "BeforeTool" ? HookPhase::Pre : HookPhase::Post;
        ev.tool_name = field::string(j, "tool_name", "");
        ev.request = field::opt_string(j, "tool_use_id", "").value_or("");
        const std::string& t = ev.tool_name;
        if (t == "run_shell_command") {
            ev.snapshot_repo = true;
            return ev;
        }
        if (t != "write_file" && t != "replace" && t != "edit") {
            ev.notes.push_back("tool " + t + " writes no files: nothing to record");
            return ev;
        }
        const json& input = field::object(j, "tool_input", "");
        FileChange f;
        f.path = field::first_string(input, {"file_path", "absolute_path", "path"}, "tool_input")
                     .value_or("");
        if (f.path.empty()) throw std::invalid_argument("tool_input.file_path: missing");
        if (ev.phase == HookPhase::Post) {
            if (t == "write_file") {
                f.after = field::string(input, "content", "tool_input");
            } else {
                Replacement r;
                r.old_text = field::string(input, "old_string", "tool_input");
                r.new_text = field::string(input, "new_string", "tool_input");
                auto it = input.find("expected_replacements");
                r.replace_all =
                    it != input.end() && it->is_number_unsigned() && it->get<uint64_t>() > 1;
                f.replacements.push_back(std::move(r));
            }
        }
        ev.files.push_back(std::move(f));
        return ev;
    });
}

} // namespace provenant::agents
