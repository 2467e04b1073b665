// Compiled against provenant_core alone by tests/CMakeLists.txt: git is above core, so its
// headers are not on core's include path and this must fail to compile.
#include "git/repository.h"

int provenant_layering_core_sees_git() {
    return 0;
}
