// The model's first line rule at commit time: a line a commit adds that holds no new
// characters (moved or re-indented text that was committed before) keeps the class it had.
#pragma once

#include "git/repository.h"
#include "protocol/note.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace provenant::git {

/// The class a line had before the commit, with its origin for ai / ai_modified lines.
struct KeptLine {
    LineClass cls = LineClass::Unknown;
    std::optional<OriginRecord> origin;
};

/// For `lines` of the committed text `text` (1-based; lines with no new characters that the
/// journal leaves `unknown`): the class that `parent`'s blame gives the line of `parent_path`
/// with the same non-whitespace content, when every such line of the parent agrees (same class
/// and origin) and is not `unknown`. A line the parent does not have, or has with several
/// attributions, is absent (it stays `unknown`). Blames the parent's file once; a failure is
/// a gap (logged), never an error. Same threads as attach.
std::map<uint32_t, KeptLine> kept_classes(const Repo& repo, const git_oid& parent,
                                          const std::string& parent_path, std::string_view text,
                                          const std::vector<uint32_t>& lines);

} // namespace provenant::git
