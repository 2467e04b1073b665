-- Finds exactly what an accept or a paste inserted and sends it as `provenant/annotate`.
--
-- A capture snapshots the lines around the cursor before the AI plugin (or vim.paste) runs and
-- diffs them afterwards: the difference, trimmed to the characters that really changed, is the
-- inserted text, in the coordinates of the buffer right after the insertion. Sending the
-- notification through the LSP client flushes its pending didChange first, so the version we
-- name is the one the server gets with that change. Edits outside the snapshot (seen by an
-- on_bytes listener that lives as long as the capture) make the capture give up: a gap is
-- acceptable, a misattribution is not. Everything here runs on Neovim's main loop.
local config = require("provenant.config")
local util = require("provenant.util")

local M = {}

local api = vim.api
local tracked = {} -- bufnr -> true for buffers attached to the sidecar
local active = nil -- the capture in progress, if any

local function pack(...)
  return { n = select("#", ...), ... }
end

--- Marks a buffer as one whose accepts and pastes are annotated.
function M.track(bufnr)
  tracked[bufnr] = true
end

function M.untrack(bufnr)
  tracked[bufnr] = nil
end

function M.is_tracked(bufnr)
  return tracked[bufnr] == true
end

-- Each capture attaches its own on_bytes listener, which detaches itself on the first event
-- after the capture ends: typing between accepts pays nothing for it.
local generation = 0

local function listen(c)
  generation = generation + 1
  local gen = generation
  c.gen = gen
  return api.nvim_buf_attach(c.bufnr, false, {
    on_bytes = function(_, _, _, sr, _, _, oer, oec, _, ner)
      if active ~= c or c.gen ~= gen then
        return true
      end
      local stop = c.b + c.delta -- first row after the snapshot, in current coordinates
      local er = sr + oer
      local inside = sr >= c.a and (c.at_end or er < stop or (er == stop and oec == 0))
      if not inside then
        c.outside = true
      end
      c.delta = c.delta + ner - oer
    end,
  })
end

local function begin(bufnr, origin)
  local n = api.nvim_buf_line_count(bufnr)
  local row = 0
  if bufnr == api.nvim_get_current_buf() then
    row = api.nvim_win_get_cursor(0)[1] - 1
  end
  local w = config.values.window
  local a = math.max(0, row - w)
  local b = math.min(n, row + w + 1)
  local c = {
    bufnr = bufnr,
    origin = origin,
    a = a,
    b = b,
    at_end = b == n,
    old = api.nvim_buf_get_lines(bufnr, a, b, false),
    tick = api.nvim_buf_get_changedtick(bufnr),
    delta = 0,
    outside = false,
  }
  if not listen(c) then
    c.outside = true -- cannot watch the buffer: never annotate blind
  end
  return c
end

-- The text of lines[first..last] with the newline after every line that has one in the buffer.
local function join(lines, first, last, last_has_nl)
  local parts = {}
  for i = first, last do
    parts[#parts + 1] = lines[i]
    if i < last or last_has_nl then
      parts[#parts + 1] = "\n"
    end
  end
  return table.concat(parts)
end

local function is_cont(s, i)
  local byte = s:byte(i)
  return byte ~= nil and byte >= 0x80 and byte < 0xC0
end

-- Offset (0-based, bytes) into lines[first..] joined with newlines -> (row index, byte column).
local function locate(lines, first, offset)
  local i = first
  while true do
    local len = #lines[i]
    if offset <= len or lines[i + 1] == nil then
      return i, math.min(offset, len)
    end
    offset = offset - len - 1
    i = i + 1
  end
end

--- Pure: the inserted spans between two versions of the same window of lines.
--- Returns a list of { start = {row, col}, ["end"] = {row, col} } with 0-based rows relative to
--- the window and byte columns. `at_end` says the window's last line is the buffer's last.
function M.inserted_spans(old, new, at_end)
  local old_text = table.concat(old, "\n") .. "\n"
  local new_text = table.concat(new, "\n") .. "\n"
  local hunks
  local diff = require("provenant.compat").diff
  if diff then
    hunks = diff(old_text, new_text, { result_type = "indices" })
  else
    hunks = { { 1, #old, 1, #new } }
  end
  local spans = {}
  for _, h in ipairs(hunks) do
    local sa, ca, sb, cb = h[1], h[2], h[3], h[4]
    if cb > 0 then
      if ca == 0 then
        sa = sa + 1 -- an insertion after old line sa: nothing old to compare
      end
      local o = ca > 0 and join(old, sa, sa + ca - 1, not (at_end and sa + ca - 1 == #old)) or ""
      local n = join(new, sb, sb + cb - 1, not (at_end and sb + cb - 1 == #new))
      local p, maxp = 0, math.min(#o, #n)
      while p < maxp and o:byte(p + 1) == n:byte(p + 1) do
        p = p + 1
      end
      local s, maxs = 0, math.min(#o, #n) - p
      while s < maxs and o:byte(#o - s) == n:byte(#n - s) do
        s = s + 1
      end
      -- Never split a UTF-8 sequence: widen to whole characters.
      while p > 0 and is_cont(n, p + 1) do
        p = p - 1
      end
      local e = #n - s
      while e < #n and is_cont(n, e + 1) do
        e = e + 1
      end
      if e > p then
        local r1, c1 = locate(new, sb, p)
        local r2, c2 = locate(new, sb, e)
        spans[#spans + 1] = { start = { r1 - 1, c1 }, ["end"] = { r2 - 1, c2 } }
      end
    end
  end
  return spans
end

local function lsp_position(line, col, encoding)
  if encoding == "utf-8" or col == 0 then
    return col
  end
  return require("provenant.compat").utfindex(line, col, encoding)
end

--- Sends one annotation for `ranges` (byte positions in the current buffer) with `origin`.
function M.send(bufnr, origin, spans, lines_of)
  local client = require("provenant.lsp").client(bufnr)
  if not client or not client.initialized then
    util.log("annotate: no initialized client for buffer %d, dropped", bufnr)
    return false
  end
  local encoding = client.offset_encoding or "utf-16"
  local ranges = {}
  for _, sp in ipairs(spans) do
    local l1, l2 = lines_of(sp.start[1]), lines_of(sp["end"][1])
    local c1 = lsp_position(l1, sp.start[2], encoding)
    local c2 = lsp_position(l2, sp["end"][2], encoding)
    if c1 == nil or c2 == nil then
      util.log("annotate: position outside line, dropped")
      return false
    end
    ranges[#ranges + 1] = {
      start = { line = sp.start[1], character = c1 },
      ["end"] = { line = sp["end"][1], character = c2 },
    }
  end
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr), version = util.buf_version(bufnr) },
    origin = origin,
    ranges = ranges,
  }
  -- client.notify flushes the debounced didChange first, which carries this same version.
  util.client_notify(client, "provenant/annotate", params)
  local version = tostring(params.textDocument.version)
  util.log("annotate %s v%s %s", origin.class, version, vim.inspect(ranges))
  require("provenant.ui").schedule_refresh(bufnr)
  return true
end

local function finish(c)
  if not api.nvim_buf_is_valid(c.bufnr) or api.nvim_buf_get_changedtick(c.bufnr) == c.tick then
    return
  end
  if c.outside then
    util.log("annotate: %s edit outside the snapshot window, not annotated", c.origin.class)
    return
  end
  local new = api.nvim_buf_get_lines(c.bufnr, c.a, c.b + c.delta, false)
  local spans = M.inserted_spans(c.old, new, c.at_end)
  if #spans == 0 then
    return
  end
  for _, sp in ipairs(spans) do
    sp.start[1] = sp.start[1] + c.a
    sp["end"][1] = sp["end"][1] + c.a
  end
  M.send(c.bufnr, c.origin, spans, function(row)
    return new[row - c.a + 1] or ""
  end)
end

--- Calls fn(...) and annotates whatever it inserts into the current buffer with `origin`,
--- including what the callbacks it hands to vim.schedule insert (copilot.lua inserts that way).
function M.run(origin, fn, ...)
  local bufnr = api.nvim_get_current_buf()
  if active or not tracked[bufnr] then
    return fn(...)
  end
  local c = begin(bufnr, origin)
  active = c
  local schedule = vim.schedule
  vim.schedule = function(cb)
    return schedule(function()
      M.run(origin, cb)
    end)
  end
  local res = pack(pcall(fn, ...))
  vim.schedule = schedule
  active = nil
  local ok, err = pcall(finish, c)
  if not ok then
    util.log("annotate: %s", tostring(err))
  end
  if not res[1] then
    error(res[2], 0)
  end
  return unpack(res, 2, res.n)
end

--- Whether a capture is open (an accept or a paste is being annotated right now).
function M.capturing()
  return active ~= nil
end

--- Opens a capture that keys typed later will close (expr mappings, streamed pastes).
function M.open(origin)
  local bufnr = api.nvim_get_current_buf()
  if not tracked[bufnr] then
    return
  end
  if active then
    M.close()
  end
  local c = begin(bufnr, origin)
  active = c
  return c
end

--- Closes the capture M.open started and annotates what it saw.
function M.close()
  local c = active
  if not c then
    return
  end
  active = nil
  local ok, err = pcall(finish, c)
  if not ok then
    util.log("annotate: %s", tostring(err))
  end
end

--- Drops a capture left open (a key sequence that failed half-way) without annotating.
function M.abandon(c)
  if active and active == c then
    util.log("annotate: capture abandoned")
    active = nil
  end
end

return M
