-- :checkhealth provenant: the binary, its version, the paths this Neovim takes and the versions
-- they were tested on, and the buffers attached to the sidecar.
local M = {}

-- Which Neovims scripts/test-neovim.sh runs every suite on (CI runs them all): Debian 12's own
-- and the newer ones scripts/neovim-versions.sh unpacks from Debian's newer suites. Debian has
-- no 0.11 in any suite (trixie has 0.10, forky and sid 0.12), so 0.11 is not tested.
M.versions = {
  { version = "0.7.2", from = "Debian 12 bookworm" },
  { version = "0.10.4", from = "Debian 13 trixie" },
  { version = "0.12.4", from = "Debian forky" },
}

-- For each feature of compat.paths(), the path each tested version takes: the suites exercise
-- every one of them end to end (the e2e, edits and TUI suites; the health suite checks that this
-- table names the path compat.lua picks on the version it runs on). Keep in step with the suites.
local start_client = "vim.lsp.start_client + vim.lsp.buf_attach_client"
local old_methods, new_methods = "client.notify() / client.request()", "client:notify() / client:request()"
M.tested = {
  start = { ["0.7"] = start_client, ["0.10"] = "vim.lsp.start", ["0.12"] = "vim.lsp.start" },
  client_methods = { ["0.7"] = old_methods, ["0.10"] = old_methods, ["0.12"] = new_methods },
  get_clients = { ["0.7"] = "vim.lsp.get_active_clients", ["0.10"] = "vim.lsp.get_clients",
    ["0.12"] = "vim.lsp.get_clients" },
  uv = { ["0.7"] = "vim.loop", ["0.10"] = "vim.uv", ["0.12"] = "vim.uv" },
  diff = { ["0.7"] = "vim.diff", ["0.10"] = "vim.diff", ["0.12"] = "vim.text.diff" },
  utfindex = { ["0.7"] = "vim.str_utfindex(s, index)", ["0.10"] = "vim.str_utfindex(s, index)",
    ["0.12"] = "vim.str_utfindex(s, encoding, index)" },
  on_bytes = { ["0.7"] = "nvim_buf_attach on_bytes", ["0.10"] = "nvim_buf_attach on_bytes",
    ["0.12"] = "nvim_buf_attach on_bytes" },
  paste = { ["0.7"] = "vim.paste wrapper", ["0.10"] = "vim.paste wrapper", ["0.12"] = "vim.paste wrapper" },
  plugins = {
    ["0.7"] = "copilot.lua / copilot.vim / neocodeium accept wrappers",
    ["0.10"] = "copilot.lua / copilot.vim / neocodeium accept wrappers",
    ["0.12"] = "copilot.lua / copilot.vim / neocodeium accept wrappers",
  },
  inline_completion = { ["0.7"] = "none: no built-in inline completion",
    ["0.10"] = "none: no built-in inline completion", ["0.12"] = "vim.lsp.inline_completion.get wrapper" },
  health = { ["0.7"] = "require('health').report_*", ["0.10"] = "vim.health.start/ok/info",
    ["0.12"] = "vim.health.start/ok/info" },
}

--- "0.10": the major.minor of a version string or of this Neovim.
function M.minor(version)
  if version then
    return version:match("^(%d+%.%d+)")
  end
  local v = vim.version()
  return ("%d.%d"):format(v.major, v.minor)
end

-- The full versions, in order, on which `path` of feature `id` was tested.
local function tested_on(id, path)
  local on = {}
  for _, v in ipairs(M.versions) do
    if (M.tested[id] or {})[M.minor(v.version)] == path then
      on[#on + 1] = v.version
    end
  end
  return on
end

--- The lines about tested paths, as { level = "ok"|"info"|"warn", text } (also for the tests).
function M.path_report()
  local this = M.minor()
  local out = {}
  for _, p in ipairs(require("provenant.compat").paths()) do
    local on = tested_on(p.id, p.path)
    local text = ("%s: %s"):format(p.id, p.path)
    local here = (M.tested[p.id] or {})[this] == p.path
    if here then
      out[#out + 1] = { level = "ok", text = ("%s (tested on %s)"):format(text, table.concat(on, ", ")) }
    elseif #on > 0 then
      out[#out + 1] = { level = "info", text = ("%s (tested on %s, not on %s)"):format(text, table.concat(on, ", "), this) }
    else
      out[#out + 1] = { level = "warn", text = ("%s (not tested on any version)"):format(text) }
    end
  end
  return out
end

function M.check()
  local r = require("provenant.compat").health()
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

  local v = vim.version()
  r.start(("provenant: the paths Neovim %d.%d.%d takes"):format(v.major, v.minor, v.patch))
  local versions = {}
  for _, v in ipairs(M.versions) do
    versions[#versions + 1] = ("%s (%s)"):format(v.version, v.from)
  end
  r.info("scripts/test-neovim.sh runs every suite on " .. table.concat(versions, ", "))
  for _, line in ipairs(M.path_report()) do
    r[line.level](line.text)
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
