// A blamed line: the commit that last changed it and the class and origin that commit's note
// gives the line (computed by analysis/blame.h; rendered by git/show.h).
#pragma once

#include "git/repository.h"
#include "protocol/origin.h"

#include <string>
#include <vector>

namespace provenant::git {

struct BlameLine {
    uint32_t line = 0;        ///< 1-based, in the file at the revision
    std::string commit;       ///< 40 hex: the commit that last changed the line
    uint32_t origin_line = 0; ///< the line's number in that commit's version of the file
    LineClass cls = LineClass::Unknown;
    std::string tool, model, session;
    std::string text; ///< the line, without its newline (for people; never in notes)
};

// blame_file lives in the analysis layer (analysis/blame.h), on the line-fates engine's diff.

} // namespace provenant::git
