-- Small helpers: notifications, the optional debug log, the LSP client calls and version.
local M = {}

--- Reports to the user through vim.notify (never print), prefixed with the plugin's name.
function M.notify(msg, level)
  vim.schedule(function()
    vim.notify("provenant: " .. msg, level or vim.log.levels.INFO)
  end)
end

function M.warn(msg)
  M.notify(msg, vim.log.levels.WARN)
end

function M.error(msg)
  M.notify(msg, vim.log.levels.ERROR)
end

--- Appends a line to config.log_file when one is set; silent otherwise.
function M.log(fmt, ...)
  local file = require("provenant.config").values.log_file
  if not file then
    return
  end
  local ok, line = pcall(string.format, fmt, ...)
  if not ok then
    line = fmt
  end
  local f = io.open(file, "a")
  if f then
    f:write(os.date("%H:%M:%S "), line, "\n")
    f:close()
  end
end

-- Client calls in the style of this Neovim (compat.lua says which).
M.client_notify = require("provenant.compat").client_notify
M.client_request = require("provenant.compat").client_request

--- The version the LSP client last sent (or is about to send) for the buffer.
function M.buf_version(bufnr)
  local versions = vim.lsp.util.buf_versions
  local v = versions and versions[bufnr]
  if v == nil then
    v = vim.api.nvim_buf_get_var(bufnr, "changedtick")
  end
  return v
end

return M
