// `--to postgresql://…`: the rows as text cells, handed to provenant's PostgreSQL module
// (export/pg_module.h, server/postgresql/), loaded here with dlopen so that libpq is loaded only by
// this command.
#include "export/columns.h"
#include "export/database.h"
#include "export/pg_module.h"
#include "export/schema_sql.h"
#include "support/fs.h"

#include <dlfcn.h>
#include <filesystem>

namespace provenant::exporting {

namespace {

namespace fs = std::filesystem;

constexpr const char* kModule = "provenant-postgresql.so";

/// The module beside the binary (a build tree), else in <prefix>/lib/provenant (installed).
Result<void*> load_module() {
    std::vector<fs::path> candidates;
    if (const fs::path exe = self_path(); !exe.empty()) {
        const fs::path dir = exe.parent_path();
        candidates = {dir / kModule, dir.parent_path() / "lib" / "provenant" / kModule};
    }
    std::string tried;
    for (const fs::path& p : candidates) {
        if (!fs::exists(p)) {
            tried += (tried.empty() ? "" : ", ") + p.string();
            continue;
        }
        if (void* h = ::dlopen(p.c_str(), RTLD_NOW | RTLD_LOCAL)) return h;
        return make_error(ErrorKind::io, "loading " + p.string() + ": " + ::dlerror());
    }
    // Appended step by step: GCC 12 warns (-Warray-bounds, a false positive) on the chain.
    std::string msg = "PostgreSQL support is not installed (";
    msg += kModule;
    msg += " not found: ";
    msg += tried;
    msg += ")";
    return make_error(ErrorKind::not_found, std::move(msg));
}

/// The cells of a table, row by row, as C strings (nullptr: NULL); `store` owns the text.
template <class Row>
std::vector<const char*> cells_of(const std::string& repo, const std::vector<Row>& rows,
                                  std::vector<std::optional<std::string>>& store) {
    for (const Row& r : rows)
        for (const Value& v : values(repo, r))
            store.push_back(as_text(v));
    std::vector<const char*> out;
    out.reserve(store.size());
    for (const auto& s : store)
        out.push_back(s ? s->c_str() : nullptr);
    return out;
}

/// The column names as C strings (columns() views string literals: NUL-terminated).
std::vector<const char*> names(RowKind kind) {
    std::vector<const char*> out;
    for (std::string_view c : columns(kind))
        out.push_back(c.data());
    return out;
}

const char* c_str(const Text& t) {
    return t ? t->c_str() : nullptr;
}

} // namespace

Status export_to_postgresql(const std::string& url, const ExportData& d) {
    auto module = load_module();
    if (!module) return module.error();
    using Fn = int (*)(const ProvenantPgExport*, char*, size_t);
    auto fn = reinterpret_cast<Fn>(::dlsym(*module, "provenant_pg_export"));
    if (fn == nullptr)
        return make_error(ErrorKind::io, std::string("PostgreSQL module: ") + ::dlerror());
    std::vector<std::optional<std::string>> commit_text, fate_text;
    const std::vector<const char*> commit_cells = cells_of(d.meta.repo, *d.commits, commit_text);
    const std::vector<const char*> fate_cells = cells_of(d.meta.repo, *d.fates, fate_text);
    const std::vector<const char*> commit_cols = names(RowKind::Commits);
    const std::vector<const char*> fate_cols = names(RowKind::Fates);
    const std::string schema(kSchemaV1);
    const std::string upgrade(kSchemaV2);
    ProvenantPgExport in{};
    in.url = url.c_str();
    in.schema_sql = schema.c_str();
    in.upgrade_sql = upgrade.c_str();
    in.schema_version = kSchemaVersion;
    in.repo = d.meta.repo.c_str();
    in.exported_at = d.meta.exported_at.c_str();
    in.main_commit = c_str(d.meta.main_commit);
    in.at_commit = c_str(d.meta.at_commit);
    in.prices = c_str(d.meta.prices);
    in.survival_days = d.meta.survival_days;
    in.rework_days = d.meta.rework_days;
    in.commit_columns = commit_cols.data();
    in.commit_ncolumns = commit_cols.size();
    in.commit_rows = d.commits->size();
    in.commit_cells = commit_cells.data();
    in.fate_columns = fate_cols.data();
    in.fate_ncolumns = fate_cols.size();
    in.fate_rows = d.fates->size();
    in.fate_cells = fate_cells.data();
    in.pause_after_rows = pause_after_rows();
    in.pause = &pause_for_test;
    char error[2048] = {};
    const int rc = fn(&in, error, sizeof error);
    // The module stays loaded: libpq's atexit handlers live in it.
    if (rc != 0) return make_error(ErrorKind::io, std::string(error) + " (nothing was written)");
    return {};
}

} // namespace provenant::exporting
