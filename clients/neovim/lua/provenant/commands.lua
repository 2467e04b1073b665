-- :Provenant {status|toggle|blame|info}: one user command, one function per subcommand.
local util = require("provenant.util")

local M = {}

local api = vim.api

-- Shows lines in a read-only scratch split named `name` (reused when it is already open).
local function scratch(name, lines)
  local bufnr = vim.fn.bufnr(name)
  if bufnr == -1 or not api.nvim_buf_is_valid(bufnr) then
    bufnr = api.nvim_create_buf(false, true)
    api.nvim_buf_set_name(bufnr, name)
    vim.bo[bufnr].bufhidden = "wipe"
  end
  vim.bo[bufnr].modifiable = true
  api.nvim_buf_set_lines(bufnr, 0, -1, false, lines)
  vim.bo[bufnr].modifiable = false
  local win = vim.fn.bufwinid(bufnr)
  if win == -1 then
    vim.cmd("botright split")
    api.nvim_win_set_buf(0, bufnr)
  else
    api.nvim_set_current_win(win)
  end
  return bufnr
end

-- Runs `provenant <args>` in `cwd` without blocking; on_done(code, stdout_lines, stderr_lines).
local function run_cli(args, cwd, on_done)
  local lsp = require("provenant.lsp")
  local exe = lsp.binary_path()
  if not exe then
    util.error("`" .. require("provenant.config").values.binary .. "` not found on $PATH")
    return
  end
  local out, err = {}, {}
  local function collect(into)
    return function(_, data)
      for _, l in ipairs(data or {}) do
        into[#into + 1] = l
      end
    end
  end
  local cmd = { exe }
  vim.list_extend(cmd, args)
  local job = vim.fn.jobstart(cmd, {
    cwd = cwd,
    stdout_buffered = true,
    stderr_buffered = true,
    on_stdout = collect(out),
    on_stderr = collect(err),
    on_exit = function(_, code)
      -- Buffered output ends with one empty element.
      if out[#out] == "" then
        out[#out] = nil
      end
      if err[#err] == "" then
        err[#err] = nil
      end
      vim.schedule(function()
        on_done(code, out, err)
      end)
    end,
  })
  if job <= 0 then
    util.error("could not run " .. exe)
  end
end

local function report_failure(what, code, err)
  util.error(("%s failed (exit %d): %s"):format(what, code, table.concat(err, "\n")))
end

function M.status()
  local bufnr = api.nvim_get_current_buf()
  local root = require("provenant.lsp").root(bufnr)
  run_cli({ "status" }, root, function(code, out, err)
    if code ~= 0 then
      return report_failure("provenant status", code, err)
    end
    scratch("provenant://status", #out > 0 and out or { "(no pending provenance)" })
  end)
end

function M.blame()
  local bufnr = api.nvim_get_current_buf()
  local file = api.nvim_buf_get_name(bufnr)
  if file == "" then
    return util.warn("this buffer has no file")
  end
  local root = require("provenant.lsp").root(bufnr)
  local rel = file
  if file:sub(1, #root + 1) == root .. "/" then
    rel = file:sub(#root + 2)
  end
  run_cli({ "blame", rel }, root, function(code, out, err)
    if code ~= 0 then
      return report_failure("provenant blame", code, err)
    end
    scratch("provenant://blame/" .. rel, out)
  end)
end

function M.toggle()
  local on = require("provenant.ui").toggle()
  util.notify("signs " .. (on and "on" or "off"))
end

--- Everything known about the current buffer, as lines (also used by the tests).
function M.info_lines(bufnr)
  bufnr = bufnr or api.nvim_get_current_buf()
  local lsp = require("provenant.lsp")
  local ui = require("provenant.ui")
  local lines = {}
  local client = lsp.client(bufnr)
  lines[#lines + 1] = "binary: " .. (lsp.binary_path() or "not found")
  if client then
    lines[#lines + 1] = ("client: %d (%s), root %s, encoding %s"):format(
      client.id,
      client.initialized and "running" or "starting",
      lsp.root(bufnr),
      client.offset_encoding or "?"
    )
    lines[#lines + 1] = "version: " .. tostring(util.buf_version(bufnr))
  else
    lines[#lines + 1] = "client: not attached to this buffer"
  end
  local st = ui.state[bufnr]
  if st and st.counts then
    local parts = {}
    for _, cls in ipairs({ "ai", "ai_modified", "human", "paste", "unknown", "blank" }) do
      parts[#parts + 1] = ("%s %d"):format(cls, st.counts[cls] or 0)
    end
    lines[#lines + 1] = "lines: " .. table.concat(parts, ", ")
  end
  local wrapped = vim.tbl_keys(require("provenant.wrap").wrapped)
  table.sort(wrapped)
  lines[#lines + 1] = "wrapped: " .. (#wrapped > 0 and table.concat(wrapped, ", ") or "none")
  return lines
end

function M.info()
  util.notify(table.concat(M.info_lines(), "\n"))
end

local subcommands = { "status", "toggle", "blame", "info" }

function M.complete(arglead)
  return vim.tbl_filter(function(s)
    return s:sub(1, #arglead) == arglead
  end, subcommands)
end

function M.run(fargs)
  local sub = fargs[1] or "info"
  if not vim.tbl_contains(subcommands, sub) then
    return util.error(("unknown subcommand '%s' (%s)"):format(sub, table.concat(subcommands, ", ")))
  end
  M[sub]()
end

return M
