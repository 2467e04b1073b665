// GitHub Copilot hook payloads: VS Code agent hooks (tool_name / tool_input) and the Copilot
// CLI form (toolName / toolArgs, where toolArgs is a JSON string).
#include "agents/hook_event.h"

namespace provenant::agents {
using nlohmann::json;

namespace {

bool is_shell(const std::string& t) {
    return t == "run_in_terminal" || t == "bash" || t == "shell" || t == "runInTerminal";
}

/// Adds the file changes of one file tool call. `post` says whether the tool has run.
void add_tool_files(HookEvent& ev, const std::string& tool, const json& args, bool post) {
    auto path = field::first_string(args, {"filePath", "path", "file_path"}, "tool_input");
    if (tool == "multi_replace_string_in_file") {
        auto it = args.find("replacements");
        if (it == args.end() || !it->is_array())
            throw std::invalid_argument("tool_input.replacements: expected an array");
        for (size_t i = 0; i < it->size(); ++i) {
            std::string where = "tool_input.replacements[" + std::to_string(i) + "]";
            const json& r = (*it)[i];
            std::string p = field::string(r, "filePath", where);
            FileChange* f = nullptr;
            for (auto& existing : ev.files)
                if (existing.path == p) f = &existing;
            if (!f) {
                ev.files.push_back(FileChange{});
                f = &ev.files.back();
                f->path = p;
            }
            if (post)
                f->replacements.push_back(Replacement{field::string(r, "oldString", where),
                                                      field::string(r, "newString", where), false,
                                                      0, 0});
        }
        return;
    }
    if (!path) {
        ev.notes.push_back("tool " + tool + " names no file: nothing to record");
        return;
    }
    FileChange f;
    f.path = *path;
    if (post) {
        if (auto c = field::first_string(args, {"content", "file_text"}, "tool_input")) {
            f.after = *c;
            if (tool == "create_file" || tool == "create") f.created = true;
        } else if (auto o = field::first_string(args, {"oldString", "old_str"}, "tool_input")) {
            auto n = field::first_string(args, {"newString", "new_str"}, "tool_input");
            if (!n) throw std::invalid_argument("tool_input.newString: missing");
            f.replacements.push_back(Replacement{*o, *n, false, 0, 0});
        }
        // insert_edit_into_file and other tools carry no exact text: the text before comes
        // from the PreToolUse snapshot or the last known text.
    }
    ev.files.push_back(std::move(f));
}

bool writes_files(const std::string& t) {
    return t == "replace_string_in_file" || t == "multi_replace_string_in_file" ||
           t == "create_file" || t == "insert_edit_into_file" || t == "edit_notebook_file" ||
           t == "create" || t == "edit" || t == "str_replace" || t == "write" ||
           t == "str_replace_editor" || t == "apply_patch";
}

} // namespace

Result<HookEvent> parse_copilot(const json& j) {
    return guarded("copilot payload", [&]() -> Result<HookEvent> {
        HookEvent ev;
        ev.tool = "copilot";
        ev.cwd = field::opt_string(j, "cwd", "").value_or("");
        ev.model = field::opt_string(j, "model", "").value_or("");
        ev.transcript = field::opt_string(j, "transcript_path", "").value_or("");
        json args;
        if (j.contains("toolName")) { // the CLI form
            ev.tool_name = field::string(j, "toolName", "");
            ev.session = field::first_string(j, {"sessionId", "session_id"}, "").value_or("");
            ev.phase = j.contains("toolResult") ? HookPhase::Post : HookPhase::Pre;
            ev.event_name = ev.phase == HookPhase::Post ? "postToolUse" : "preToolUse";
            auto it = j.find("toolArgs");
            if (it != j.end() && it->is_string()) {
                args = json::parse(it->get<std::string>(), nullptr, false);
                if (args.is_discarded() || !args.is_object())
                    throw std::invalid_argument("toolArgs: expected a JSON object in a string");
            } else if (it != j.end() && it->is_object()) {
                args = *it;
            } else {
                args = json::object();
            }
        } else {
            ev.event_name = field::string(j, "hookEventName", "");
            ev.session = field::first_string(j, {"sessionId", "session_id"}, "").value_or("");
            if (ev.event_name != "PreToolUse" && ev.event_name != "PostToolUse") {
                ev.phase = HookPhase::Other;
                return ev;
            }
            ev.phase = ev.event_name == "PreToolUse" ? HookPhase::Pre : HookPhase::Post;
            ev.tool_name = field::string(j, "tool_name", "");
            ev.request = field::opt_string(j, "tool_use_id", "").value_or("");
            args = j.value("tool_input", json::object());
            if (!args.is_object()) throw std::invalid_argument("tool_input: expected an object");
        }
        if (is_shell(ev.tool_name)) {
            ev.snapshot_repo = true;
            return ev;
        }
        if (!writes_files(ev.tool_name)) {
            ev.notes.push_back("tool " + ev.tool_name + " writes no files: nothing to record");
            return ev;
        }
        add_tool_files(ev, ev.tool_name, args, ev.phase == HookPhase::Post);
        return ev;
    });
}

} // namespace provenant::agents
