-- Benchmark (prints figures, asserts nothing): what provenant.nvim adds to a keystroke (its
-- on_bytes listener) and what one accept capture costs in a large buffer. No sidecar needed.
--   nvim --headless --clean --cmd "set rtp^=clients/neovim" -c "luafile tests/clients/neovim/bench_capture.lua"
local api = vim.api
local hr = (vim.uv or vim.loop).hrtime
local A = require("provenant.annotate")

local function out(s)
  io.stdout:write(s, "\n")
end

local function buffer(lines)
  local b = api.nvim_create_buf(true, false)
  local t = {}
  for i = 1, lines do
    t[i] = ("local value_%d = compute(%d) -- some typical source line"):format(i, i)
  end
  api.nvim_buf_set_lines(b, 0, -1, false, t)
  return b
end

-- Inserts n single characters, the way typing does, and returns ns per insert.
local function type_chars(b, n)
  local t0 = hr()
  for i = 1, n do
    api.nvim_buf_set_text(b, 5000, i - 1, 5000, i - 1, { "x" })
  end
  return (hr() - t0) / n
end

local n = 20000
local plain = buffer(10000)
local tracked = buffer(10000)
A.track(tracked)
type_chars(plain, 1000) -- warm up
local base = type_chars(plain, n)
local with = type_chars(tracked, n)
out(("keystroke: %.0f ns without provenant.nvim, %.0f ns in a tracked buffer (+%.0f ns)"):format(base, with, with - base))

A.send = function()
  return true
end
for _, lines in ipairs({ 1000, 100000 }) do
  local b = buffer(lines)
  api.nvim_set_current_buf(b)
  A.track(b)
  local row = math.floor(lines / 2)
  api.nvim_win_set_cursor(0, { row, 0 })
  local runs = 50
  local t0 = hr()
  for _ = 1, runs do
    A.run({ class = "ai", tool = "bench", kind = "completion" }, function()
      api.nvim_buf_set_text(b, row - 1, 10, row - 1, 10, { "inserted(", "  text)" })
    end)
  end
  out(("accept capture, %d-line buffer: %.2f ms per accept (window %d lines each side)"):format(
    lines, (hr() - t0) / runs / 1e6, require("provenant.config").values.window))
end
vim.cmd("qall!")
