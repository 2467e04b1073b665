// Compiled against provenant_session alone by tests/CMakeLists.txt: the LSP binding sits above
// the session core, so its headers are not on session's include path and this must fail.
#include "lsp/server.h"

int provenant_layering_session_sees_lsp() {
    return 0;
}
