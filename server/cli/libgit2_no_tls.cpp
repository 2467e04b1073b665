// libgit2 without TLS, for the statically linked provenant (PROVENANT_STATIC_DEPS).
//
// provenant never uses libgit2's network transports: `sync` runs the git CLI for fetch and
// push. Yet git_libgit2_init() seeds mbedTLS and parses the whole system CA bundle, ~6 ms of
// every process that opens a repository — most of an agent hook's time and of the background
// note writer's. The static link wraps these libgit2-internal functions (-Wl,--wrap=…): the
// global init does nothing, and whatever would open a TLS stream or set certificate locations
// gets a clear error instead of an uninitialised mbedTLS. In dynamic builds these symbols are
// not referenced and libgit2 behaves as shipped.
#include <git2/errors.h>

extern "C" {

struct git_stream;

namespace {
int refuse_tls() {
    git_error_set_str(GIT_ERROR_SSL, "provenant's libgit2 has no TLS: network access goes "
                                     "through the git command line");
    return -1;
}
} // namespace

// NOLINTBEGIN(readability-identifier-naming, bugprone-reserved-identifier): names set by ld.
int __wrap_git_mbedtls_stream_global_init() {
    return 0;
}
int __wrap_git_mbedtls_stream_new(git_stream** /*out*/, const char* /*host*/,
                                  const char* /*port*/) {
    return refuse_tls();
}
int __wrap_git_mbedtls_stream_wrap(git_stream** /*out*/, git_stream* /*in*/, const char* /*host*/) {
    return refuse_tls();
}
int __wrap_git_mbedtls__set_cert_location(const char* /*file*/, const char* /*path*/) {
    return refuse_tls();
}
// NOLINTEND(readability-identifier-naming, bugprone-reserved-identifier)

} // extern "C"
