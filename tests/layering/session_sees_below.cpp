// Compiled against provenant_session alone by tests/CMakeLists.txt: the session core sees git,
// the journal and core beneath it. This must compile.
#include "core/document.h"
#include "git/repository.h"
#include "journal/journal.h"
#include "session/reopen.h"

int provenant_layering_session_sees_below() {
    return 0;
}
