// Finding a path's repository by walking up to `.git` (directory, or a gitfile for worktrees
// and submodules), without libgit2, and mapping paths to repository-relative form.
#include "support/repository.h"

#include "support/fs.h"

#include <cerrno>
#include <system_error>
#include <unistd.h>

namespace provenant {
namespace fs = std::filesystem;

namespace {

bool is_dir(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec);
}
bool is_file(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

/// Like git's is_git_directory: a HEAD, plus objects (a repository) or commondir (a linked
/// worktree's private directory).
bool looks_like_gitdir(const fs::path& dir) {
    return is_file(dir / "HEAD") && (is_dir(dir / "objects") || is_file(dir / "commondir")) &&
           (is_dir(dir / "refs") || is_file(dir / "commondir"));
}

/// The git directory named by a `.git` file ("gitdir: <path>", relative to the file's dir).
Result<fs::path> read_gitfile(const fs::path& file) {
    // Only a regular file, never blocking, and only its first line (a FIFO or a huge file
    // named `.git` must neither hang nor exhaust us: issue 12 §11).
    std::string line;
    {
        int fd = open_regular_file(file, /*follow_symlinks=*/true);
        if (fd < 0) return make_error(ErrorKind::io, "cannot read " + file.string());
        char buf[4096 + 64]; // "gitdir: " + a path of at most PATH_MAX
        ssize_t n;
        do
            n = ::read(fd, buf, sizeof buf);
        while (n < 0 && errno == EINTR);
        ::close(fd);
        if (n <= 0) return make_error(ErrorKind::io, "cannot read " + file.string());
        line.assign(buf, static_cast<size_t>(n));
        size_t nl = line.find('\n');
        if (nl == std::string::npos && static_cast<size_t>(n) == sizeof buf)
            return make_error(ErrorKind::invalid_input,
                              file.string() + " is not a gitfile (its first line is too long)");
        if (nl != std::string::npos) line.resize(nl);
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    constexpr std::string_view prefix = "gitdir: ";
    if (line.rfind(prefix, 0) != 0 || line.size() == prefix.size())
        return make_error(ErrorKind::invalid_input,
                          file.string() + " is not a gitfile (expected \"gitdir: <path>\")");
    fs::path target = line.substr(prefix.size());
    if (target.is_relative()) target = file.parent_path() / target;
    std::error_code ec;
    fs::path canon = fs::canonical(target, ec);
    if (ec || !looks_like_gitdir(canon))
        return make_error(ErrorKind::invalid_input, file.string() + " names " + target.string() +
                                                        ", which is not a git directory");
    return canon;
}

/// The nearest existing ancestor of `p` (or `p` itself), canonical; a directory.
Result<fs::path> existing_start(const fs::path& p) {
    std::error_code ec;
    fs::path abs = fs::absolute(p, ec);
    if (ec) return make_error(ErrorKind::io, "resolving " + p.string() + ": " + ec.message());
    fs::path cur = abs.lexically_normal();
    while (!fs::exists(cur, ec)) {
        fs::path parent = cur.parent_path();
        if (parent == cur || parent.empty())
            return make_error(ErrorKind::not_found, p.string() + " has no existing ancestor");
        cur = parent;
    }
    fs::path canon = fs::canonical(cur, ec);
    if (ec) return make_error(ErrorKind::io, "resolving " + cur.string() + ": " + ec.message());
    if (!is_dir(canon)) canon = canon.parent_path();
    return canon;
}

} // namespace

Result<RepoLocation> locate_repository(const fs::path& path) {
    auto start = existing_start(path);
    if (!start) return start.error();
    for (fs::path dir = *start;; dir = dir.parent_path()) {
        fs::path dotgit = dir / ".git";
        if (is_dir(dotgit)) {
            // A `.git` directory that is not a repository is skipped, as git does.
            if (looks_like_gitdir(dotgit)) {
                std::error_code ec;
                fs::path canon = fs::canonical(dotgit, ec);
                return RepoLocation{dir, ec ? dotgit : canon};
            }
        } else if (is_file(dotgit)) {
            auto gitdir = read_gitfile(dotgit);
            if (!gitdir) return gitdir.error();
            return RepoLocation{dir, *gitdir};
        }
        if (looks_like_gitdir(dir))
            return make_error(ErrorKind::invalid_input,
                              dir.string() +
                                  " is a bare repository (or a git directory); provenant needs a "
                                  "working tree");
        if (dir.parent_path() == dir) break;
    }
    return make_error(ErrorKind::not_found, "not in a git repository: " + path.string());
}

std::optional<RepoLocation> find_repository(const fs::path& path) {
    auto r = locate_repository(path);
    if (!r) return std::nullopt;
    return std::move(r).value();
}

Result<std::string> repo_relative_path(const RepoLocation& repo, const fs::path& path) {
    std::error_code ec;
    fs::path abs = fs::absolute(path, ec);
    if (ec) return make_error(ErrorKind::io, "resolving " + path.string() + ": " + ec.message());
    fs::path canon = fs::weakly_canonical(abs, ec);
    if (ec) return make_error(ErrorKind::io, "resolving " + path.string() + ": " + ec.message());
    fs::path rel = canon.lexically_relative(repo.workdir);
    if (rel.empty() || rel == "." || *rel.begin() == "..")
        return make_error(ErrorKind::invalid_input,
                          path.string() + " is outside the working tree " + repo.workdir.string());
    if (*rel.begin() == ".git")
        return make_error(ErrorKind::invalid_input, path.string() + " is inside the git directory");
    std::string s = rel.generic_string();
    while (!s.empty() && s.back() == '/')
        s.pop_back();
    if (Status st = validate_repo_path(s); !st) return st.error();
    return s;
}

Status validate_repo_path(std::string_view path) {
    if (path.empty()) return make_error(ErrorKind::invalid_input, "path is empty");
    if (path.size() > kMaxRepoPathBytes)
        return make_error(ErrorKind::invalid_input,
                          "path is longer than " + std::to_string(kMaxRepoPathBytes) + " bytes");
    if (path.find('\0') != std::string_view::npos)
        return make_error(ErrorKind::invalid_input, "path contains a NUL byte");
    if (path.front() == '/')
        return make_error(ErrorKind::invalid_input,
                          "path \"" + std::string(path) + "\" is absolute");
    size_t start = 0;
    while (true) {
        size_t end = path.find('/', start);
        std::string_view part = path.substr(
            start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (part.empty() || part == "." || part == "..")
            return make_error(ErrorKind::invalid_input,
                              "path \"" + std::string(path) +
                                  "\" has an empty, \".\" or \"..\" component");
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return {};
}

} // namespace provenant
