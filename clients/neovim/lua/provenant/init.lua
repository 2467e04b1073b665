-- provenant.nvim: the public entry points (setup, attach, detect, statusline).
local config = require("provenant.config")
local util = require("provenant.util")

local M = {}

local initialized = false

local function init()
  if initialized then
    return
  end
  initialized = true
  require("provenant.wrap").detect()
end

--- Optional: require("provenant").setup{ ... } (see :help provenant-config). Works with zero
--- configuration; calling it again replaces the options.
function M.setup(opts)
  local ok, err = config.set(opts)
  if not ok then
    util.error("invalid option: " .. tostring(err))
    return
  end
  init()
  -- Buffers opened before setup (e.g. `nvim file`) are attached now.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    M.attach(bufnr)
  end
end

--- Attaches a buffer to the sidecar if it is a normal file buffer (idempotent).
function M.attach(bufnr)
  if bufnr == 0 then
    bufnr = vim.api.nvim_get_current_buf()
  end
  local lsp = require("provenant.lsp")
  if not lsp.eligible(bufnr) then
    return
  end
  init()
  if not lsp.attach(bufnr) then
    return
  end
  require("provenant.annotate").track(bufnr)
  require("provenant.ui").attach(bufnr)
end

--- Looks for AI completion plugins loaded since the last look and wraps them. `event` is the
--- autocommand that asks (InsertEnter asks often and gets a cheaper look).
function M.detect(event)
  if initialized then
    require("provenant.wrap").detect(event)
  end
end

--- A short status-line string for the current buffer ("AI 42%"), "" when unknown.
function M.statusline()
  if not initialized then
    return ""
  end
  return require("provenant.ui").statusline()
end

return M
