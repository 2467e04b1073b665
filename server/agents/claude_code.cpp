// Claude Code hook payloads: PreToolUse / PostToolUse for Write, Edit, MultiEdit, NotebookEdit
// and Bash (through before/after snapshots); other events only bring the transcript up to date.
#include "agents/hook_event.h"

namespace provenant::agents {
using nlohmann::json;

namespace {

Replacement replacement_of(const json& e, std::string_view where) {
    if (!e.is_object()) throw std::invalid_argument(std::string(where) + ": expected an object");
    Replacement r;
    r.old_text = field::string(e, "old_string", where);
    r.new_text = field::string(e, "new_string", where);
    r.replace_all = field::opt_bool(e, "replace_all", where).value_or(false);
    return r;
}

/// The file text before the tool ran, when the response carries it (`originalFile`).
void take_original(const json& response, FileChange& f) {
    if (!response.is_object()) return;
    auto it = response.find("originalFile");
    if (it == response.end()) return;
    if (it->is_string())
        f.before = it->get<std::string>();
    else if (it->is_null() && response.value("type", "") == "create")
        f.created = true;
}

} // namespace

Result<HookEvent> parse_claude_code(const json& j) {
    return guarded("claude-code payload", [&]() -> Result<HookEvent> {
        HookEvent ev;
        ev.tool = "claude-code";
        ev.session = field::string(j, "session_id", "");
        ev.transcript = field::opt_string(j, "transcript_path", "").value_or("");
        ev.cwd = field::opt_string(j, "cwd", "").value_or("");
        ev.event_name = field::string(j, "hook_event_name", "");
        if (auto m = field::opt_string(j, "model", "")) ev.model = *m;
        if (ev.event_name != "PreToolUse" && ev.event_name != "PostToolUse") {
            ev.phase = HookPhase::Other; // Stop, SessionEnd, ...: transcript only
            return ev;
        }
        ev.phase = ev.event_name == "PreToolUse" ? HookPhase::Pre : HookPhase::Post;
        ev.tool_name = field::string(j, "tool_name", "");
        ev.request = field::opt_string(j, "tool_use_id", "").value_or("");
        const std::string& t = ev.tool_name;
        if (t == "Bash") {
            ev.snapshot_repo = true;
            return ev;
        }
        if (t != "Write" && t != "Edit" && t != "MultiEdit" && t != "NotebookEdit") {
            ev.notes.push_back("tool " + t + " writes no files: nothing to record");
            return ev;
        }
        const json& input = field::object(j, "tool_input", "");
        FileChange f;
        f.path = t == "NotebookEdit" ? field::string(input, "notebook_path", "tool_input")
                                     : field::string(input, "file_path", "tool_input");
        if (ev.phase == HookPhase::Post) {
            json response = j.value("tool_response", json());
            if (t == "Write") {
                f.after = field::string(input, "content", "tool_input");
                take_original(response, f);
            } else if (t == "Edit") {
                f.replacements.push_back(replacement_of(input, "tool_input"));
                take_original(response, f);
            } else if (t == "MultiEdit") {
                const json& edits = field::array(input, "edits", "tool_input");
                for (size_t i = 0; i < edits.size(); ++i)
                    f.replacements.push_back(
                        replacement_of(edits[i], field::index_path("tool_input.edits", i)));
                take_original(response, f);
            }
            // NotebookEdit: the notebook's JSON is rewritten; the PreToolUse snapshot (or the
            // last known text) gives the text before.
        }
        ev.files.push_back(std::move(f));
        return ev;
    });
}

} // namespace provenant::agents
