// `file:` URIs to filesystem paths and back (RFC 8089 as editors use it, percent-decoded).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace provenant::session {

/// The absolute local path named by a `file:` URI ("file:///a%20b/c.txt" -> "/a b/c.txt").
/// nullopt for other schemes (untitled:, vscode-notebook-cell:, ...), remote hosts, bad
/// percent-escapes, relative paths and embedded NUL bytes: such documents are tracked in
/// memory only. Thread-safe.
std::optional<std::filesystem::path> file_uri_to_path(std::string_view uri);

/// The `file:` URI of an absolute path, percent-encoding everything outside RFC 3986's
/// unreserved set and '/'. Thread-safe.
std::string path_to_file_uri(const std::filesystem::path& path);

} // namespace provenant::session
