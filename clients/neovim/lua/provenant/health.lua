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

-- What scripts/test-neovim.sh runs, and on which Neovim. Keep in step with the suite.
M.tested_note = "scripts/test-neovim.sh runs on Debian 12's Neovim 0.7.2, the only one in Debian 12's "
  .. "archives (bookworm and bookworm-backports have no newer neovim); 0.10 and 0.11, which users "
  .. "run (current copilot.lua needs 0.10), are not tested here: their paths are feature-detected"
M.tested = {
  {
    path = "vim.lsp.start_client + vim.lsp.buf_attach_client (no vim.lsp.start)",
    versions = { "0.7.2" },
    active = function()
      return vim.lsp.start == nil
    end,
  },
  {
    path = "vim.lsp.start (0.8+)",
    active = function()
      return vim.lsp.start ~= nil
    end,
  },
  {
    path = "vim.paste wrapper (bracketed paste, headless and in a terminal)",
    versions = { "0.7.2" },
    active = function()
      return type(vim.paste) == "function"
    end,
  },
  {
    path = "copilot.lua, copilot.vim and neocodeium accept wrappers (against test doubles of their APIs)",
    versions = { "0.7.2" },
    active = function()
      return true
    end,
  },
  {
    path = "vim.lsp.inline_completion wrapper (0.12+)",
    active = function()
      return type(vim.lsp.inline_completion) == "table"
    end,
  },
}

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
  local v = vim.version()
  local this = ("%d.%d.%d"):format(v.major, v.minor, v.patch)
  if vim.lsp.start then
    r.ok("vim.lsp.start available")
  else
    r.info("vim.lsp.start missing: using vim.lsp.start_client (Neovim 0.7)")
  end
  -- Which of the paths this Neovim takes were tested end to end, and on which version.
  r.start("provenant: tested paths (Neovim " .. this .. ")")
  r.info(M.tested_note)
  for _, p in ipairs(M.tested) do
    if p.active() then
      local on = p.versions and table.concat(p.versions, ", ") or nil
      local here = false
      for _, tv in ipairs(p.versions or {}) do
        here = here or tv:match("^(%d+%.%d+)") == ("%d.%d"):format(v.major, v.minor)
      end
      if here then
        r.ok(("%s: in use, tested on %s"):format(p.path, on))
      elseif on then
        r.info(("%s: in use, tested on %s only, not on %s"):format(p.path, on, this))
      else
        r.info(("%s: in use, not tested end to end on any version (none installable here)"):format(p.path))
      end
    end
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
