-- Unit tests of annotate.inserted_spans (what an accept inserted) and of the capture around a
-- copilot.lua-style accept, with no sidecar: run by scripts/test-neovim.sh.
local H = dofile(vim.env.PROVENANT_NVIM_TESTS .. "/harness.lua")

H.run("neovim-spans", function()
  local A = require("provenant.annotate")
  local function spans(old, new, at_end)
    return A.inserted_spans(old, new, at_end == nil and true or at_end)
  end
  local function span(r1, c1, r2, c2)
    return { start = { r1, c1 }, ["end"] = { r2, c2 } }
  end

  H.eq(spans({ "x = 1" }, { "x = 1" }), {}, "no change, no span")
  H.eq(spans({ "def f" }, { "def foo(a, b):" }), { span(0, 5, 0, 14) }, "completion at end of line")
  H.eq(spans({ "ab" }, { "aXYb" }), { span(0, 1, 0, 3) }, "insertion inside a line")
  -- copilot.lua replaces the line from column 0 with prefix + suggestion: only the new part.
  H.eq(
    spans({ "a", "def f", "z" }, { "a", "def foo():", "    return 1", "z" }),
    { span(1, 5, 2, 12) },
    "multi-line completion replacing its line keeps the typed prefix out"
  )
  H.eq(spans({ "a", "b" }, { "a", "new", "b" }), { span(1, 0, 2, 0) }, "whole line inserted before another")
  H.eq(spans({ "a" }, { "a", "tail" }, true), { span(1, 0, 1, 4) }, "line appended at end of buffer")
  H.eq(spans({ "a" }, { "a", "tail" }, false), { span(1, 0, 1, 4) }, "line appended at end of window")
  H.eq(spans({ "abc", "keep", "xyz" }, { "abc!", "keep", "xyz?" }), { span(0, 3, 0, 4), span(2, 3, 2, 4) },
    "two separate insertions give two spans, not the text between")
  H.eq(spans({ "a", "b" }, { "a" }), {}, "deletion gives no span")
  -- é is two bytes (C3 A9), è is C3 A8: a byte-wise prefix would split the character.
  H.eq(spans({ "é" }, { "è" }), { span(0, 0, 0, 2) }, "never splits a UTF-8 character")

  -- LSP columns in utf-16 and utf-32 (compat.utfindex: vim.str_utfindex's old or new form).
  local C = require("provenant.compat")
  local line = "aé😀b" -- bytes 1, 2, 4, 1: utf-16 units 1, 1, 2, 1
  H.eq({ C.utfindex(line, 3, "utf-16"), C.utfindex(line, 7, "utf-16"), C.utfindex(line, 8, "utf-16") },
    { 2, 4, 5 }, "utf-16 columns of byte offsets")
  H.eq({ C.utfindex(line, 3, "utf-32"), C.utfindex(line, 7, "utf-32"), C.utfindex(line, 8, "utf-32") },
    { 2, 3, 4 }, "utf-32 columns of byte offsets")
  H.eq(C.utfindex(line, 9, "utf-16"), nil, "a byte offset past the line has no column")
  H.eq(spans({ "x" }, { "xé€" }), { span(0, 1, 0, 6) }, "multibyte insertion in bytes")

  -- A capture around a scheduled insertion, with on_bytes tracking, on a real buffer.
  local bufnr = vim.api.nvim_create_buf(true, false)
  vim.api.nvim_set_current_buf(bufnr)
  vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, { "first", "def f", "last" })
  vim.api.nvim_win_set_cursor(0, { 2, 5 })
  A.track(bufnr)
  local sent = {}
  local real_send = A.send
  A.send = function(b, origin, sp, lines_of)
    sent[#sent + 1] = { bufnr = b, origin = origin, spans = sp, first = lines_of(sp[1].start[1]) }
    return true
  end
  package.path = vim.env.PROVENANT_NVIM_TESTS .. "/rtp/lua/?.lua;" .. package.path
  local fake = require("copilot.suggestion")
  fake.set_suggestion("oo(x):\n    return x", 5)
  A.run({ class = "ai", tool = "copilot", kind = "completion" }, fake.accept)
  H.check(#sent == 0, "nothing sent before the scheduled insertion runs")
  H.wait(1000, function()
    return fake.accepted == 1 and #sent == 1
  end, "scheduled accept annotated")
  if sent[1] then
    H.eq(sent[1].spans, { span(1, 5, 2, 12) }, "scheduled insertion captured exactly")
    H.eq(sent[1].origin.tool, "copilot", "origin carried to the scheduled callback")
  end
  H.eq(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), { "first", "def foo(x):", "    return x", "last" },
    "the accept itself behaved as without the wrapper")

  -- An edit outside the snapshot window must not be attributed.
  require("provenant.config").values.window = 0
  sent = {}
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  A.run({ class = "ai", tool = "t", kind = "completion" }, function()
    vim.api.nvim_buf_set_lines(bufnr, 3, 4, false, { "far away edit" })
  end)
  H.eq(#sent, 0, "edit outside the window is not annotated")
  A.send = real_send

  -- Options: bad values are refused with a notification and the previous values stay.
  local config = require("provenant.config")
  H.check(config.set({ signs = false }) and config.values.signs == false, "setup option applied")
  H.eq(config.values.wrap.copilot_lua, true, "unset options keep their defaults")
  local ok, err = config.set({ signs = "yes" })
  H.check(not ok and err:find("signs", 1, true) ~= nil, "a mistyped option is refused", err)
  ok, err = config.set({ sings = true })
  H.check(not ok and err:find("sings", 1, true) ~= nil, "an unknown option is refused", err)
  H.eq(config.values.signs, false, "a refused setup keeps the previous values")

  -- No binary: one warning through vim.notify, nothing attached, nothing raised.
  config.set({ binary = "provenant-binary-that-does-not-exist" })
  vim.cmd("edit " .. vim.fn.fnameescape(vim.fn.tempname() .. ".txt"))
  vim.cmd("edit " .. vim.fn.fnameescape(vim.fn.tempname() .. ".txt"))
  local function warnings()
    return vim.tbl_filter(function(n)
      return n.level == vim.log.levels.WARN and n.msg:find("not found", 1, true) ~= nil
    end, H.notes)
  end
  H.wait(1000, function()
    return #warnings() > 0
  end, "the missing-binary warning")
  H.eq(#warnings(), 1, "the missing binary is reported once")
  H.check(require("provenant.lsp").client(vim.api.nvim_get_current_buf()) == nil, "no client without a binary")
end)
