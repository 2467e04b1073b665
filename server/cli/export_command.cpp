// `provenant export`: the report's rows for other tools (docs/export.md): NDJSON or CSV on
// stdout or a file, Agent Trace records, or a PostgreSQL / SQLite database.
#include "analysis/line_facts.h"
#include "cli/commands.h"
#include "cli/selection.h"
#include "export/agent_trace.h"
#include "export/database.h"
#include "export/rows.h"
#include "export/text_formats.h"
#include "git/note_reader.h"
#include "git/raii.h"
#include "support/fs.h"
#include "support/json_text.h"

#include <ctime>
#include <iostream>
#include <memory>
#include <sstream>

namespace provenant::cli {

namespace {

namespace ex = exporting;

struct Opts {
    SelectionOptions sel;
    std::string format, rows = "commits", output, to, repo;
};

[[noreturn]] void die(const Error& e) {
    fail("export", e);
}
[[noreturn]] void die(ErrorKind kind, const std::string& m) {
    fail("export", kind, m);
}

/// The path part of a remote URL: https://host/org/name.git, ssh://git@host:22/org/name,
/// git@host:org/name.git and /srv/git/name.git give org/name, org/name, org/name and
/// srv/git/name.
std::string url_path(std::string url) {
    if (auto scheme = url.find("://"); scheme != std::string::npos) {
        auto slash = url.find('/', scheme + 3);
        url = slash == std::string::npos ? std::string() : url.substr(slash);
    } else if (auto colon = url.find(':'); colon != std::string::npos && url.find('/') > colon) {
        url = url.substr(colon + 1); // scp-like user@host:path
    }
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    if (url.size() > 4 && url.compare(url.size() - 4, 4, ".git") == 0) url.resize(url.size() - 4);
    while (!url.empty() && url.front() == '/')
        url.erase(url.begin());
    return url;
}

/// --repo's default: the origin remote's path, else the worktree's (or git dir's) name.
std::string default_repo_name(const git::Repo& repo) {
    git_remote* remote = nullptr;
    if (git_remote_lookup(&remote, repo.get(), "origin") == 0) {
        const char* url = git_remote_url(remote);
        std::string path = url != nullptr ? url_path(url) : std::string();
        git_remote_free(remote);
        if (!path.empty()) return path;
    }
    std::filesystem::path dir = repo.bare() ? repo.commondir() : repo.workdir();
    std::string name = dir.lexically_normal().filename().string();
    if (name.empty()) name = dir.lexically_normal().parent_path().filename().string();
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".git") == 0)
        name.resize(name.size() - 4);
    return name;
}

void write_out(const Opts& o, const std::string& text) {
    if (o.output.empty()) {
        std::cout << text;
        std::cout.flush();
        return;
    }
    auto st = atomic_write_file(o.output, text);
    if (!st) die(st.error());
}

/// Agent Trace: one record per file of each selected commit's readable note.
void agent_trace(const Opts& o, Selection& sel) {
    const analysis::LineFacts x = analysis::compute_line_facts(sel.fates, sel.metrics);
    git::NoteReader reader(*sel.repo);
    std::ostringstream out;
    for (uint32_t c = 0; c < sel.fates.commits.size(); ++c) {
        if (x.counted[c] == 0) continue;
        const analysis::CommitRow& row = sel.fates.commits[c];
        git_oid id;
        if (git_oid_fromstr(&id, row.id.c_str()) != 0) continue;
        const git::CommitNote note = reader.read(id);
        if (!note.note) continue; // no note, or an unreadable one: nothing is known
        const std::string_view kind = note.state == git::NoteState::GitAi ? "git-ai" : "provenant";
        for (const auto& [path, file] : note.note->files) {
            nlohmann::json rec =
                ex::agent_trace_record(*note.note, row.id, row.commit_time, path, file, kind);
            out << json_text_quoted(rec) << '\n';
        }
    }
    write_out(o, out.str());
}

void run(const Opts& o) {
    if (o.rows != "commits" && o.rows != "fates")
        die(ErrorKind::invalid_input, "--rows: 'commits' or 'fates'");
    const bool db = !o.to.empty();
    std::string format = o.format.empty() ? "ndjson" : o.format;
    if (db && !o.format.empty())
        die(ErrorKind::invalid_input, "--to writes a database: leave out --format");
    if (db && !o.output.empty())
        die(ErrorKind::invalid_input, "--to writes a database: leave out --output");
    if (!db && format != "ndjson" && format != "csv" && format != "agent-trace")
        die(ErrorKind::invalid_input,
            "--format: 'ndjson', 'csv' or 'agent-trace' (not '" + format + "')");
    if (format == "agent-trace" && o.rows != "commits")
        die(ErrorKind::invalid_input,
            "--format agent-trace writes one record per (commit, file): leave out --rows");
    std::string sqlite_file;
    if (db) {
        if (o.to.rfind("sqlite:", 0) == 0) {
            sqlite_file = o.to.substr(7);
            if (sqlite_file.empty())
                die(ErrorKind::invalid_input, "--to sqlite:FILE needs a file name");
        } else if (o.to.rfind("postgresql://", 0) != 0 && o.to.rfind("postgres://", 0) != 0) {
            die(ErrorKind::invalid_input, "--to: a postgresql://… URI or sqlite:FILE");
        }
    }

    std::unique_ptr<Selection> sel = resolve_selection(o.sel, "export");
    if (format == "agent-trace" && !db) return agent_trace(o, *sel);
    const std::string repo = o.repo.empty() ? default_repo_name(*sel->repo) : o.repo;
    if (repo.empty()) die(ErrorKind::invalid_input, "--repo: the repository needs a name");

    const std::vector<analysis::ReleasePoint>* deployed =
        sel->deployments ? &*sel->deployments : nullptr;
    if (!db) {
        const ex::TextFormat tf = format == "csv" ? ex::TextFormat::Csv : ex::TextFormat::Ndjson;
        std::ostringstream out;
        if (o.rows == "commits") {
            ex::TextWriter w(out, tf, ex::RowKind::Commits);
            w.begin();
            for (const auto& r : ex::commit_rows(sel->fates, sel->metrics, deployed))
                w.row(ex::values(repo, r));
        } else {
            ex::TextWriter w(out, tf, ex::RowKind::Fates);
            w.begin();
            for (const auto& r : ex::fate_rows(sel->fates, sel->metrics))
                w.row(ex::values(repo, r));
        }
        write_out(o, out.str());
        return;
    }

    const std::vector<ex::CommitRowOut> commits =
        ex::commit_rows(sel->fates, sel->metrics, deployed);
    const std::vector<ex::FateRowOut> fates = ex::fate_rows(sel->fates, sel->metrics);
    ex::ExportData data;
    data.meta.repo = repo;
    data.meta.exported_at = ex::iso_utc(static_cast<int64_t>(std::time(nullptr)));
    if (sel->main_id) data.meta.main_commit = git::to_hex(*sel->main_id);
    if (sel->at_id) data.meta.at_commit = git::to_hex(*sel->at_id);
    data.meta.prices = sel->prices->label();
    data.meta.survival_days = o.sel.survival_days;
    data.meta.rework_days = o.sel.rework_days;
    data.commits = &commits;
    data.fates = &fates;
    Status st = sqlite_file.empty() ? ex::export_to_postgresql(o.to, data)
                                    : ex::export_to_sqlite(sqlite_file, data);
    if (!st) die(st.error());
    std::fprintf(stderr, "provenant export: %s: %zu commit rows, %zu fate rows\n", repo.c_str(),
                 commits.size(), fates.size());
}

} // namespace

void register_export(CLI::App& app) {
    auto o = std::make_shared<Opts>();
    auto cmd = app.add_subcommand(
        "export", "The report's rows as NDJSON, CSV or Agent Trace, or into PostgreSQL / SQLite");
    add_selection_options(*cmd, o->sel, false);
    cmd->add_option("--format", o->format, "ndjson (default), csv or agent-trace");
    cmd->add_option("--rows", o->rows,
                    "commits (one row per commit, file, class and origin; default) or fates "
                    "(one row per run of lines)");
    cmd->add_option("--output", o->output, "Write to this file instead of stdout");
    cmd->add_option("--to", o->to, "Write into a database: postgresql://… or sqlite:FILE");
    cmd->add_option("--repo", o->repo,
                    "The repository's name in the rows (default: the origin remote's path, "
                    "else the directory's name)");
    cmd->callback([o] { run(*o); });
}

} // namespace provenant::cli
