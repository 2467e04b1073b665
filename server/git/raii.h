// RAII ownership of libgit2 objects and error reporting, in the manner of Nix's git-utils.
#pragma once

#include "support/result.h"

#include <git2.h>
#include <memory>
#include <string>

namespace provenant::git {

/// Frees a libgit2 object with its own free function.
template <auto del> struct Deleter {
    template <typename T> void operator()(T* p) const { del(p); }
};

using Repository = std::unique_ptr<git_repository, Deleter<git_repository_free>>;
using Object = std::unique_ptr<git_object, Deleter<git_object_free>>;
using Commit = std::unique_ptr<git_commit, Deleter<git_commit_free>>;
using Tree = std::unique_ptr<git_tree, Deleter<git_tree_free>>;
using TreeEntry = std::unique_ptr<git_tree_entry, Deleter<git_tree_entry_free>>;
using Blob = std::unique_ptr<git_blob, Deleter<git_blob_free>>;
using Diff = std::unique_ptr<git_diff, Deleter<git_diff_free>>;
using Patch = std::unique_ptr<git_patch, Deleter<git_patch_free>>;
using Reference = std::unique_ptr<git_reference, Deleter<git_reference_free>>;
using Signature = std::unique_ptr<git_signature, Deleter<git_signature_free>>;
using GitNote = std::unique_ptr<git_note, Deleter<git_note_free>>;
using NoteIterator = std::unique_ptr<git_note_iterator, Deleter<git_note_iterator_free>>;
using Config = std::unique_ptr<git_config, Deleter<git_config_free>>;
using Revwalk = std::unique_ptr<git_revwalk, Deleter<git_revwalk_free>>;
using Index = std::unique_ptr<git_index, Deleter<git_index_free>>;
using Blame = std::unique_ptr<git_blame, Deleter<git_blame_free>>;
using Reflog = std::unique_ptr<git_reflog, Deleter<git_reflog_free>>;
using Remote = std::unique_ptr<git_remote, Deleter<git_remote_free>>;
using Odb = std::unique_ptr<git_odb, Deleter<git_odb_free>>;

/// Adapts a unique_ptr to libgit2's `T**` out-parameters so nothing leaks between the call
/// and the wrap: `git_commit_lookup(Setter(commit), repo, &oid)`.
template <typename Ptr> class Setter {
public:
    using pointer = typename Ptr::pointer;
    explicit Setter(Ptr& p) : p_(p) {}
    ~Setter() { p_.reset(raw_); }
    Setter(const Setter&) = delete;
    Setter& operator=(const Setter&) = delete;
    operator pointer*() { return &raw_; } // NOLINT(google-explicit-constructor)

private:
    Ptr& p_;
    pointer raw_ = nullptr;
};

/// libgit2's message for the last failure, or a generic one (git_error_last() may be NULL on
/// libgit2 1.5).
inline std::string last_error_message() {
    const ::git_error* e = git_error_last();
    if (e != nullptr && e->message != nullptr && e->message[0] != '\0') return e->message;
    return "unknown libgit2 error";
}

/// The kind of a libgit2 failure, from the code the call returned (git_error_last() does not
/// keep it): what is missing, what exists or moved under us, what was malformed; the rest
/// (GIT_ERROR, I/O, corrupt objects, network) is io.
constexpr ErrorKind git_error_kind(int rc) {
    switch (rc) {
    case GIT_ENOTFOUND:
    case GIT_EUNBORNBRANCH:
        return ErrorKind::not_found;
    case GIT_EEXISTS:
    case GIT_ELOCKED:
    case GIT_EMODIFIED:
    case GIT_ENONFASTFORWARD:
    case GIT_ECONFLICT:
    case GIT_EMERGECONFLICT:
    case GIT_EUNMERGED:
    case GIT_EUNCOMMITTED:
    case GIT_EINDEXDIRTY:
        return ErrorKind::conflict;
    case GIT_EINVALIDSPEC:
    case GIT_EAMBIGUOUS:
    case GIT_EINVALID:
    case GIT_EPEEL:
    case GIT_EBAREREPO:
    case GIT_EDIRECTORY:
        return ErrorKind::invalid_input;
    default:
        return ErrorKind::io;
    }
}

/// Error("<what>: <libgit2 message>") with the kind of `rc`, the failing call's return code,
/// to return right after it.
inline Error git_error(int rc, const std::string& what) {
    return Error(git_error_kind(rc), what + ": " + last_error_message());
}

/// git_error() for a failure with no return code (a call that returns null, or one of several
/// calls): io.
inline Error git_error(const std::string& what) {
    return Error(ErrorKind::io, what + ": " + last_error_message());
}

/// Hex form of an object id.
inline std::string to_hex(const git_oid& oid) {
    char buf[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buf, sizeof buf, &oid);
    return buf;
}

/// Parses a full 40-hex object id; nullopt-like failure reported as Error.
inline Result<git_oid> oid_from_hex(const std::string& hex) {
    git_oid oid;
    if (hex.size() != GIT_OID_HEXSZ || git_oid_fromstr(&oid, hex.c_str()) != 0)
        return Error(ErrorKind::invalid_input, "not an object id: '" + hex + "'");
    return oid;
}

/// Calls git_libgit2_init() once per process (thread-safe, idempotent); main also calls it.
void ensure_libgit2();

} // namespace provenant::git
