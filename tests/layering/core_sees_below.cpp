// Compiled against provenant_core alone by tests/CMakeLists.txt: core sees itself and the
// layers below it (protocol, support). This must compile.
#include "core/document.h"
#include "protocol/note.h"
#include "support/result.h"

int provenant_layering_core_sees_below() {
    return 0;
}
