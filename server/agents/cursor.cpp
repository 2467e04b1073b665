// Cursor hook payloads: afterFileEdit (agent), afterTabFileEdit (completion), and
// preToolUse / postToolUse for its file and shell tools.
#include "agents/hook_event.h"

namespace provenant::agents {
using nlohmann::json;

namespace {

std::vector<Replacement> edits_of(const json& j, bool with_range) {
    std::vector<Replacement> out;
    const json* edits = field::opt_array(j, "edits", "");
    if (!edits) return out;
    for (size_t i = 0; i < edits->size(); ++i) {
        const json& e = (*edits)[i];
        std::string where = field::index_path("edits", i);
        Replacement r;
        r.old_text = field::string(e, "old_string", where);
        r.new_text = field::string(e, "new_string", where);
        if (with_range) {
            const std::string at = field::member_path(where, "range");
            const json& range = field::opt_object(e, "range", where);
            r.line = field::opt_count(range, "start_line_number", at);
            r.column = field::opt_count(range, "start_column", at);
        }
        out.push_back(std::move(r));
    }
    return out;
}

bool is_shell_tool(const std::string& t) {
    return t == "Shell" || t == "run_terminal_cmd" || t == "Bash" || t == "Terminal";
}

} // namespace

Result<HookEvent> parse_cursor(const json& j) {
    return guarded("cursor payload", [&]() -> Result<HookEvent> {
        HookEvent ev;
        ev.tool = "cursor";
        ev.event_name = field::string(j, "hook_event_name", "");
        ev.session = field::opt_string(j, "conversation_id", "").value_or("");
        ev.request = field::opt_string(j, "generation_id", "").value_or("");
        ev.model = field::opt_string(j, "model", "").value_or("");
        ev.transcript = field::opt_string(j, "transcript_path", "").value_or("");
        ev.cwd = field::opt_string(j, "cwd", "").value_or("");
        if (ev.cwd.empty()) {
            if (const json* roots = field::opt_array(j, "workspace_roots", "");
                roots && !roots->empty())
                ev.cwd = field::get_string((*roots)[0], "workspace_roots[0]");
        }
        const std::string& e = ev.event_name;
        if (e == "afterFileEdit" || e == "afterTabFileEdit") {
            ev.kind = e == "afterTabFileEdit" ? "completion" : "agent";
            FileChange f;
            f.path = field::string(j, "file_path", "");
            f.replacements = edits_of(j, ev.kind == "completion");
            ev.files.push_back(std::move(f));
            return ev;
        }
        if (e == "preToolUse" || e == "postToolUse") {
            ev.phase = e == "preToolUse" ? HookPhase::Pre : HookPhase::Post;
            ev.tool_name = field::string(j, "tool_name", "");
            if (auto id = field::opt_string(j, "tool_use_id", "")) ev.request = *id;
            if (is_shell_tool(ev.tool_name)) {
                ev.snapshot_repo = true;
                return ev;
            }
            auto it = j.find("tool_input");
            if (it == j.end() || !it->is_object()) {
                ev.notes.push_back("tool " + ev.tool_name +
                                   " has no tool_input: nothing to record");
                return ev;
            }
            auto path =
                field::first_string(*it, {"file_path", "path", "target_file"}, "tool_input");
            if (!path) {
                ev.notes.push_back("tool " + ev.tool_name + " names no file: nothing to record");
                return ev;
            }
            FileChange f;
            f.path = *path;
            if (ev.phase == HookPhase::Post) {
                if (auto c = field::first_string(*it, {"content", "contents"}, "tool_input"))
                    f.after = *c;
                else if (it->contains("old_string"))
                    f.replacements.push_back(
                        Replacement{field::string(*it, "old_string", "tool_input"),
                                    field::string(*it, "new_string", "tool_input"),
                                    it->value("replace_all", false), 0, 0});
            }
            ev.files.push_back(std::move(f));
            return ev;
        }
        ev.phase = HookPhase::Other;
        ev.notes.push_back("event " + e + " carries no file edits");
        return ev;
    });
}

} // namespace provenant::agents
