// Hook installation: our scripts chain any hook already there; uninstall restores it exactly.
#include "git/hooks.h"

#include "git/pending_attach.h"
#include "git/sync.h"
#include "protocol/note.h"
#include "support/fs.h"
#include "support/json_text.h"
#include "support/shell_quote.h"

#include <algorithm>
#include <fnmatch.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/stat.h>

namespace provenant::git {

namespace fs = std::filesystem;

Result<fs::path> hooks_dir(const Repo& repo) {
    Config cfg;
    if (int rc = git_repository_config_snapshot(Setter(cfg), repo.get()); rc != 0)
        return git_error(rc, "reading the repository configuration");
    git_buf buf = GIT_BUF_INIT;
    int rc = git_config_get_path(&buf, cfg.get(), "core.hooksPath");
    if (rc == 0) {
        fs::path p(std::string(buf.ptr, buf.size));
        git_buf_dispose(&buf);
        if (p.empty()) return repo.commondir() / "hooks";
        if (p.is_relative()) p = repo.workdir() / p; // git runs hooks from the worktree root
        return p.lexically_normal();
    }
    git_buf_dispose(&buf);
    if (rc != GIT_ENOTFOUND) return git_error(rc, "reading core.hooksPath");
    return repo.commondir() / "hooks";
}

namespace {

/// What our hook runs, and whether git gives it stdin (then both hooks need a copy).
struct HookSpec {
    const char* name;
    const char* args; ///< provenant arguments
    bool stdin_input;
};
constexpr HookSpec kSpecs[] = {
    {"post-commit", "attach --hook", false},
    {"post-rewrite", "rewritten \"$@\"", true},
    {"post-merge", "rewritten --post-merge", false},
};
/// Hooks earlier versions installed: install and uninstall remove them (restoring what they
/// chained). prepare-commit-msg ran a shell on every commit; post-merge runs only on merges.
constexpr const char* kRetiredHooks[] = {"prepare-commit-msg"};

/// A shell condition under which our part of the hook runs at all ("" = always): post-merge
/// only matters after `merge --squash`, which git announces with "1" as the argument (while
/// .git/SQUASH_MSG still lists the squashed commits).
const char* run_condition(const std::string& name) {
    return name == "post-merge" ? "[ \"$1\" = 1 ] && " : "";
}

/// post-commit queues the commit and lets a background `attach --pending` write the note, so
/// git returns after one `sh` (the note follows within milliseconds; readers wait for it).
/// Only shell builtins run before the background start: the git directory comes from
/// $GIT_DIR or ./.git (a `gitdir:` file in worktrees), HEAD from its file and the loose ref
/// (in the common directory for linked worktrees); when any of that fails the queue file is
/// `HEAD.<pid>` and the worker resolves HEAD itself. Without a queue directory (a worktree
/// provenant never ran in) the attach runs in the foreground as before, creating it.
const char* post_commit_body() {
    return "if [ -x \"$p\" ]; then\n"
           "  d=${GIT_DIR:-.git}\n"
           "  if [ -f \"$d\" ]; then { read -r d < \"$d\"; } 2>/dev/null; d=${d#gitdir: }; fi\n"
           "  h=; { read -r h < \"$d/HEAD\"; } 2>/dev/null\n"
           "  case $h in \"ref: \"*)\n"
           "    r=${h#ref: }; h=\n"
           "    if [ -f \"$d/$r\" ]; then { read -r h < \"$d/$r\"; } 2>/dev/null\n"
           "    else\n"
           "      m=; { read -r m < \"$d/commondir\"; } 2>/dev/null\n"
           "      case $m in \"\") ;; /*) ;; *) m=$d/$m ;; esac\n"
           "      if [ -n \"$m\" ]; then { read -r h < \"$m/$r\"; } 2>/dev/null; fi\n"
           "    fi ;;\n"
           "  esac\n"
           "  case $h in *[!0-9a-f]*) h= ;; esac\n"
           "  [ ${#h} -eq 40 ] || h=HEAD.$$\n"
           // What a deferred attach must not read later: a rebase or cherry-pick moves on.
           "  x=; { read -r x < \"$d/CHERRY_PICK_HEAD\"; } 2>/dev/null\n"
           "  case $x in *[!0-9a-f]*|\"\") x=- ;; esac\n"
           "  b=0; if [ -d \"$d/rebase-merge\" ] || [ -d \"$d/rebase-apply\" ]; then b=1; fi\n"
           // printf, not `:`: a failed redirection on a special builtin ends a POSIX shell.
           "  if { printf 'v1 %s %s\\n' \"$x\" \"$b\" > \"$d/provenant/pending/$h\"; } "
           "2>/dev/null; "
           "then\n"
           // git's GIT_INDEX_FILE may name a temporary index gone by the time this runs.
           "    { unset GIT_INDEX_FILE; exec \"$p\" --log \"$d/provenant/attach.log\" attach "
           "--pending --hook; } </dev/null >/dev/null 2>&1 &\n"
           "  else\n"
           "    \"$p\" attach --hook </dev/null || :\n"
           "  fi\n"
           "fi\n"
           "if [ -x \"$c\" ]; then exec \"$c\" \"$@\"; fi\n"
           "exit 0\n";
}

const HookSpec* spec_of(const std::string& name) {
    for (const auto& s : kSpecs)
        if (name == s.name) return &s;
    return nullptr;
}

bool exists_no_follow(const fs::path& p) {
    std::error_code ec;
    return fs::exists(fs::symlink_status(p, ec));
}

/// Whether `p` is a hook we wrote (it carries the marker line).
bool is_ours(const fs::path& p) {
    std::error_code ec;
    if (!fs::is_regular_file(p, ec) || fs::file_size(p, ec) > (1u << 16)) return false;
    auto text = read_file(p);
    return text && text->find(kHookMarker) != std::string::npos;
}

Status write_hook(const fs::path& p, const std::string& text) {
    if (auto st = atomic_write_file(p, text); !st) return st;
    if (::chmod(p.c_str(), 0755) != 0)
        return Error(ErrorKind::io, "making " + p.string() + " executable");
    return {};
}

Status rename_path(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    fs::rename(from, to, ec);
    if (ec)
        return Error(ErrorKind::io,
                     "renaming " + from.string() + " to " + to.string() + ": " + ec.message());
    return {};
}

fs::path state_file(const Repo& repo) {
    return repo.commondir() / "provenant" / "install.json";
}

nlohmann::json load_state(const Repo& repo) {
    auto text = read_file(state_file(repo));
    if (!text) return nlohmann::json::object();
    auto j = nlohmann::json::parse(*text, nullptr, false);
    return j.is_object() ? j : nlohmann::json::object();
}

bool state_flag(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_boolean() && it->get<bool>();
}

/// Whether some notes.displayRef value (any config level) already shows our ref.
Result<bool> display_ref_shown(git_config* cfg) {
    git_config_iterator* raw = nullptr;
    int rc = git_config_multivar_iterator_new(&raw, cfg, "notes.displayRef", nullptr);
    if (rc == GIT_ENOTFOUND) return false;
    if (rc != 0) return git_error(rc, "reading notes.displayRef");
    std::unique_ptr<git_config_iterator, Deleter<git_config_iterator_free>> it(raw);
    git_config_entry* e = nullptr;
    const std::string ours(kNotesRef);
    while ((rc = git_config_next(&e, it.get())) == 0)
        if (e->value && (ours == e->value || fnmatch(e->value, ours.c_str(), 0) == 0)) return true;
    if (rc != GIT_ITEROVER) return git_error(rc, "reading notes.displayRef");
    return false;
}

Result<Config> local_config(const Repo& repo) {
    Config cfg, local;
    if (int rc = git_repository_config(Setter(cfg), repo.get()); rc != 0)
        return git_error(rc, "opening the repository configuration");
    if (int rc = git_config_open_level(Setter(local), cfg.get(), GIT_CONFIG_LEVEL_LOCAL); rc != 0)
        return git_error(rc, "opening the repository's local configuration");
    return local;
}

/// Removes our hook `name` from `dir` and puts back the hook it chained, if any.
Status remove_hook(const fs::path& dir, const char* name, InstallReport& rep) {
    const fs::path hook = dir / name;
    const fs::path chained = dir / (std::string(name) + kChainedSuffix);
    const bool ours = is_ours(hook);
    if (ours) {
        std::error_code ec;
        fs::remove(hook, ec);
        if (ec) return Error(ErrorKind::io, "removing " + hook.string() + ": " + ec.message());
        rep.changed = true;
    }
    if (exists_no_follow(chained)) {
        if (exists_no_follow(hook)) {
            rep.lines.push_back(std::string(name) + ": " + hook.string() + " is not ours; left " +
                                chained.filename().string() + " in place");
            return {};
        }
        if (auto st = rename_path(chained, hook); !st) return st.error();
        rep.changed = true;
        rep.lines.push_back(std::string(name) + ": removed, previous hook restored");
    } else if (ours) {
        rep.lines.push_back(std::string(name) + ": removed");
    }
    return {};
}

} // namespace

std::string hook_script(const std::string& name, const fs::path& binary) {
    const HookSpec* spec = spec_of(name);
    std::ostringstream s;
    s << "#!/bin/sh\n"
      << kHookMarker << "\n"
      << "# " << name << ": installed by `provenant install`; `provenant uninstall` restores what\n"
      << "# was here. A previous hook is kept as " << name << kChainedSuffix
      << " and still runs, with the\n"
      << "# same arguments and input, and its exit status is this hook's. provenant itself never\n"
      << "# fails the git command.\n"
      << "p=" << shell_quote(binary.string()) << "\n"
      << "c=\"$0" << kChainedSuffix << "\"\n";
    const std::string run = std::string("\"$p\" ") + (spec ? spec->args : "--version");
    if (spec && spec->stdin_input) {
        s << "if [ -x \"$c\" ]; then\n"
          << "  input=$(cat; echo .); input=${input%.}\n"
          << "  if [ -x \"$p\" ]; then printf '%s' \"$input\" | " << run << " || :; fi\n"
          << "  printf '%s' \"$input\" | \"$c\" \"$@\"\n"
          << "  exit $?\n"
          << "fi\n"
          << "if [ -x \"$p\" ]; then " << run << " || :; fi\n"
          << "exit 0\n";
    } else if (name == "post-commit") {
        s << post_commit_body();
    } else {
        s << "if " << run_condition(name) << "[ -x \"$p\" ]; then " << run
          << " </dev/null || :; fi\n"
          << "if [ -x \"$c\" ]; then exec \"$c\" \"$@\"; fi\n"
          << "exit 0\n";
    }
    return s.str();
}

Result<InstallReport> install(const Repo& repo, const fs::path& binary,
                              const std::string& sync_remote) {
    InstallReport rep;
    auto dir = hooks_dir(repo);
    if (!dir) return dir.error();
    rep.hooks_dir = *dir;
    nlohmann::json state = load_state(repo);
    std::error_code ec;
    bool created_dir = state_flag(state, "created_hooks_dir") &&
                       state.value("hooks_dir", std::string()) == dir->string();
    if (!fs::is_directory(*dir, ec)) {
        fs::create_directories(*dir, ec);
        if (ec)
            return Error(ErrorKind::io,
                         "creating the hooks directory " + dir->string() + ": " + ec.message());
        created_dir = true;
        rep.changed = true;
    }

    for (const HookSpec& spec : kSpecs) {
        const fs::path hook = *dir / spec.name;
        const fs::path chained = *dir / (std::string(spec.name) + kChainedSuffix);
        const std::string text = hook_script(spec.name, binary);
        if (is_ours(hook)) {
            auto current = read_file(hook);
            if (current && *current == text) {
                rep.lines.push_back(std::string(spec.name) + ": already installed");
                continue;
            }
            if (auto st = write_hook(hook, text); !st) return st.error();
            rep.lines.push_back(std::string(spec.name) + ": updated");
            rep.changed = true;
            continue;
        }
        if (exists_no_follow(hook)) {
            if (exists_no_follow(chained))
                return Error(ErrorKind::conflict,
                             "cannot chain " + hook.string() + ": " + chained.string() +
                                 " already exists (move one of them away and run install again)");
            if (auto st = rename_path(hook, chained); !st) return st.error();
            if (auto st = write_hook(hook, text); !st) {
                (void)rename_path(chained, hook); // put the user's hook back
                return st.error();
            }
            rep.lines.push_back(std::string(spec.name) +
                                ": installed (the existing hook runs from " +
                                chained.filename().string() + ")");
        } else {
            if (auto st = write_hook(hook, text); !st) return st.error();
            rep.lines.push_back(std::string(spec.name) + ": installed");
        }
        rep.changed = true;
    }

    for (const char* name : kRetiredHooks)
        if (is_ours(*dir / name))
            if (auto st = remove_hook(*dir, name, rep); !st) return st.error();

    // The post-commit hook queues commits here; without it, it attaches in the foreground.
    if (auto st = ensure_pending_dir(repo.gitdir()); !st) return st.error();

    bool added_ref = state_flag(state, "display_ref_added");
    {
        Config cfg;
        if (int rc = git_repository_config_snapshot(Setter(cfg), repo.get()); rc != 0)
            return git_error(rc, "reading the repository configuration");
        auto shown = display_ref_shown(cfg.get());
        if (!shown) return shown.error();
        if (!*shown) {
            auto local = local_config(repo);
            if (!local) return local.error();
            // A regexp that matches no value: adds one, keeps the others.
            if (int rc = git_config_set_multivar(local->get(), "notes.displayRef", "^$x",
                                                 kNotesRef.data());
                rc != 0)
                return git_error(rc, "setting notes.displayRef");
            added_ref = true;
            rep.changed = true;
            rep.lines.push_back("notes.displayRef: added " + std::string(kNotesRef));
        }
    }

    nlohmann::json sync_remotes = state.value("sync_remotes", nlohmann::json::array());
    if (!sync_remote.empty()) {
        auto added = configure_notes_refspecs(repo.get(), sync_remote);
        if (!added)
            return added.error().context("configuring the notes refspecs of " + sync_remote);
        if (!added->empty()) {
            rep.changed = true;
            rep.lines.push_back("remote " + sync_remote + ": " + *added);
        }
        if (std::find(sync_remotes.begin(), sync_remotes.end(), sync_remote) == sync_remotes.end())
            sync_remotes.push_back(sync_remote);
    }
    nlohmann::json next = {{"version", 1},
                           {"hooks_dir", dir->string()},
                           {"created_hooks_dir", created_dir},
                           {"display_ref_added", added_ref}};
    if (!sync_remotes.empty()) next["sync_remotes"] = sync_remotes;
    if (next != state) {
        auto text = json_text(next, 2);
        if (!text) return text.error().context("writing the hook state");
        if (auto st = atomic_write_file(state_file(repo), *text + "\n"); !st) return st.error();
    }
    return rep;
}

Result<InstallReport> uninstall(const Repo& repo) {
    InstallReport rep;
    nlohmann::json state = load_state(repo);
    fs::path dir;
    if (auto it = state.find("hooks_dir"); it != state.end() && it->is_string()) {
        dir = it->get<std::string>();
    } else {
        auto d = hooks_dir(repo);
        if (!d) return d.error();
        dir = *d;
    }
    rep.hooks_dir = dir;
    for (const HookSpec& spec : kSpecs)
        if (auto st = remove_hook(dir, spec.name, rep); !st) return st.error();
    for (const char* name : kRetiredHooks)
        if (auto st = remove_hook(dir, name, rep); !st) return st.error();
    if (state_flag(state, "created_hooks_dir")) {
        std::error_code ec;
        if (fs::is_directory(dir, ec) && fs::is_empty(dir, ec)) {
            fs::remove(dir, ec);
            rep.changed = true;
        }
    }
    {
        auto local = local_config(repo);
        if (!local) return local.error();
        // Only the value we added: a displayRef the user had before install stays.
        bool remove =
            state_flag(state, "display_ref_added") || !state.contains("display_ref_added");
        if (remove) {
            int rc = git_config_delete_multivar(local->get(), "notes.displayRef",
                                                "^refs/notes/provenant$");
            if (rc == 0) {
                rep.changed = true;
                rep.lines.push_back("notes.displayRef: removed " + std::string(kNotesRef));
            } else if (rc != GIT_ENOTFOUND) {
                return git_error(rc, "removing notes.displayRef");
            }
        }
    }
    if (auto it = state.find("sync_remotes"); it != state.end() && it->is_array())
        for (const auto& r : *it) {
            if (!r.is_string()) continue;
            if (auto st = remove_notes_refspecs(repo.get(), r.get<std::string>()); !st)
                return st.error();
            rep.changed = true;
            rep.lines.push_back("remote " + r.get<std::string>() + ": notes refspecs removed");
        }
    std::error_code ec;
    fs::remove(state_file(repo), ec);
    if (rep.lines.empty()) rep.lines.push_back("nothing to uninstall");
    return rep;
}

} // namespace provenant::git
