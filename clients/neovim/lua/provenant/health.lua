-- :checkhealth provenant: the binary, its version, and whether the current buffer is attached.
local M = {}

-- vim.health (0.8+: report_*; 0.10+: start/ok/...) or the `health` module of 0.7.
local function reporter()
  local h = vim.health or require("health")
  return {
    start = h.start or h.report_start,
    ok = h.ok or h.report_ok,
    info = h.info or h.report_info,
    warn = h.warn or h.report_warn,
    error = h.error or h.report_error,
  }
end

function M.check()
  local r = reporter()
  local lsp = require("provenant.lsp")
  local config = require("provenant.config")

  r.start("provenant: binary")
  local exe = lsp.binary_path()
  if not exe then
    r.error(("`%s` not found"):format(config.values.binary), {
      "Install provenant and put it on $PATH",
      "or set require('provenant').setup{ binary = '/path/to/provenant' }",
    })
  else
    r.ok("found " .. exe)
    local out = vim.fn.systemlist({ exe, "--version" })
    if vim.v.shell_error == 0 and out[1] then
      r.ok("version: " .. out[1])
    else
      r.warn("`" .. exe .. " --version` failed: " .. table.concat(out, " "))
    end
  end

  r.start("provenant: Neovim")
  if vim.lsp.start then
    r.ok("vim.lsp.start available")
  else
    r.info("vim.lsp.start missing: using vim.lsp.start_client (Neovim 0.7)")
  end
  if (vim.text and vim.text.diff) or vim.diff then
    r.ok("vim.diff available: accepts are annotated per changed hunk")
  else
    r.warn("vim.diff missing: accepts are annotated as one span")
  end

  -- :checkhealth runs in its own buffer: report every buffer we track instead of the current one.
  r.start("provenant: buffers")
  local any = false
  for bufnr in pairs(lsp.buffers) do
    local client = lsp.client(bufnr)
    if client and vim.api.nvim_buf_is_valid(bufnr) then
      any = true
      r.ok(("%s: client %d, %s, encoding %s, root %s"):format(
        vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":~:."),
        client.id,
        client.initialized and "initialized" or "starting",
        client.offset_encoding or "?",
        lsp.root(bufnr)
      ))
    end
  end
  if not any then
    r.info("no file buffer is attached to the sidecar")
  end
  local wrapped = vim.tbl_keys(require("provenant.wrap").wrapped)
  table.sort(wrapped)
  if #wrapped > 0 then
    r.ok("wrapped: " .. table.concat(wrapped, ", "))
  else
    r.info("no AI completion plugin or paste hook wrapped yet")
  end
end

return M
