// Codex hook payloads: PostToolUse with apply_patch (the patch envelope is parsed into file
// changes); shell tools and unparseable patches fall back to before/after snapshots.
#include "agents/hook_event.h"
#include "agents/text_edits.h"

namespace provenant::agents {
using nlohmann::json;

namespace {

/// The patch text of an apply_patch call: tool_input.command (or .input/.patch) as a string,
/// or a shell argv whose last element is the patch (["apply_patch", "*** Begin Patch..."]).
std::optional<std::string> patch_text(const json& input) {
    for (const char* key : {"command", "input", "patch"}) {
        auto it = input.find(key);
        if (it == input.end()) continue;
        if (it->is_string()) return it->get<std::string>();
        if (it->is_array() && !it->empty() && it->back().is_string()) {
            std::string last = it->back().get<std::string>();
            if (last.find("*** Begin Patch") != std::string::npos) return last;
        }
    }
    return std::nullopt;
}

} // namespace

Result<HookEvent> parse_codex(const json& j) {
    return guarded("codex payload", [&]() -> Result<HookEvent> {
        HookEvent ev;
        ev.tool = "codex";
        ev.session = field::string(j, "session_id", "");
        ev.transcript = field::opt_string(j, "transcript_path", "").value_or("");
        ev.cwd = field::opt_string(j, "cwd", "").value_or("");
        ev.model = field::opt_string(j, "model", "").value_or("");
        ev.event_name = field::string(j, "hook_event_name", "");
        if (ev.event_name != "PreToolUse" && ev.event_name != "PostToolUse") {
            ev.phase = HookPhase::Other;
            return ev;
        }
        ev.phase = ev.event_name == "PreToolUse" ? HookPhase::Pre : HookPhase::Post;
        ev.tool_name = field::string(j, "tool_name", "");
        ev.request = field::opt_string(j, "tool_use_id", "").value_or("");
        const json& input = field::opt_object(j, "tool_input", "");
        std::optional<std::string> patch = patch_text(input);
        bool is_patch = ev.tool_name == "apply_patch" ||
                        (patch && patch->find("*** Begin Patch") != std::string::npos);
        if (!is_patch) {
            // shell, exec_command, unified_exec, ...: anything may have changed.
            ev.snapshot_repo = true;
            return ev;
        }
        if (!patch) throw std::invalid_argument("tool_input.command: expected the patch text");
        auto ops = parse_apply_patch(*patch);
        if (!ops) {
            ev.notes.push_back(ops.error().message + ": using before/after snapshots instead");
            ev.snapshot_repo = true;
            return ev;
        }
        for (auto& op : *ops) {
            FileChange f;
            if (op.kind == PatchOp::Kind::Add) {
                f.path = op.path;
                f.created = true;
                f.before = std::string();
                if (ev.phase == HookPhase::Post) f.after = op.added_text;
            } else if (op.kind == PatchOp::Kind::Delete) {
                f.path = op.path;
                f.deleted = true;
            } else {
                f.path = op.move_to.empty() ? op.path : op.move_to;
                if (!op.move_to.empty()) f.moved_from = op.path;
                f.replacements = std::move(op.replacements);
            }
            ev.files.push_back(std::move(f));
        }
        return ev;
    });
}

} // namespace provenant::agents
