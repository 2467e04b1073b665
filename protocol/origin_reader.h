// Origin records and token usage read from untrusted JSON with support's one field reader
// (json_fields::Reader), never throwing: the LSP binding and the note reader call these with
// their own paths; origin.h's from_json are these with a throw.
#pragma once

#include "protocol/origin.h"
#include "support/json_fields.h"

namespace provenant {

/// Reads the origin record at `r`, strictly: the first bad field is set on r's error, named by
/// its JSON path ("params.origin.kind: expected completion, agent or chat, got 'x'"); `out` is
/// left as it was on error.
void read_origin(const json_fields::Reader& r, OriginRecord& out);
/// Reads token usage at `r` (an object of non-negative counts), as read_origin.
void read_tokens(const json_fields::Reader& r, TokenUsage& out);

} // namespace provenant
