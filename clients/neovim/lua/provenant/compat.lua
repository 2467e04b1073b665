-- Feature detection in one place: for each API the plugin uses that changed between Neovim 0.7
-- and 0.12, the path this Neovim takes, chosen by what exists (never by version number). The
-- rest of the plugin calls these, and :checkhealth provenant lists the same choices (M.paths),
-- so what health says is what the code does. Main loop only.
local M = {}

--- libuv: vim.uv since 0.10 (vim.loop is its old name).
M.uv = vim.uv or vim.loop

--- The line diff: vim.text.diff since 0.12 (vim.diff before, nil on builds without xdiff).
M.diff = (vim.text and vim.text.diff) or vim.diff

-- vim.str_utfindex(s, encoding, index) since 0.11; before, (s, index) -> utf32, utf16 (the old
-- form is deprecated from 0.11). The old one rejects a string index: probe once.
local utfindex_encoding = pcall(vim.str_utfindex, "", "utf-16", 0)

--- The column of byte `col` of `line` in `encoding` ("utf-16" or "utf-32"); nil when `col` is
--- outside the line.
function M.utfindex(line, col, encoding)
  if utfindex_encoding then
    local ok, idx = pcall(vim.str_utfindex, line, encoding, col)
    return ok and idx or nil
  end
  local ok, utf32, utf16 = pcall(vim.str_utfindex, line, col)
  if not ok then
    return nil
  end
  return encoding == "utf-32" and utf32 or utf16
end

--- The LSP clients matching `filter`: vim.lsp.get_clients since 0.10 (get_active_clients is
--- deprecated from 0.10).
function M.get_clients(filter)
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  return get(filter)
end

-- Client methods: 0.11 made them methods of the vim.lsp.Client class (`client:notify()`; the
-- `client.notify()` form warns from 0.12). 0.10 has a Client metatable too, but its instance
-- fields are closures that take no self, and the class has `_notify`, not `notify`. 0.7 clients
-- are plain tables of closures.
local function method_style(client)
  local mt = getmetatable(client)
  return type(mt) == "table" and type(rawget(mt, "notify")) == "function"
end

function M.client_notify(client, method, params)
  if method_style(client) then
    return client:notify(method, params)
  end
  return client.notify(method, params)
end

function M.client_request(client, method, params, handler, bufnr)
  if method_style(client) then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

-- The class of 0.11+ clients, looked up without starting one.
local function client_class_has_methods()
  local ok, Client = pcall(require, "vim.lsp.client")
  return ok and type(Client) == "table" and type(rawget(Client, "notify")) == "function"
end

--- :checkhealth's reporter: vim.health.start/ok/... since 0.10, report_* in 0.8 and 0.9, the
--- `health` module in 0.7.
function M.health()
  local h = vim.health or require("health")
  return {
    start = h.start or h.report_start,
    ok = h.ok or h.report_ok,
    info = h.info or h.report_info,
    warn = h.warn or h.report_warn,
    error = h.error or h.report_error,
  }
end

--- { id, path } for each feature: the path this Neovim takes. The ids are the keys of the
--- tested table in health.lua.
function M.paths()
  local h = vim.health
  return {
    { id = "start", path = vim.lsp.start and "vim.lsp.start" or "vim.lsp.start_client + vim.lsp.buf_attach_client" },
    { id = "client_methods", path = client_class_has_methods() and "client:notify() / client:request()"
      or "client.notify() / client.request()" },
    { id = "get_clients", path = vim.lsp.get_clients and "vim.lsp.get_clients" or "vim.lsp.get_active_clients" },
    { id = "uv", path = vim.uv and "vim.uv" or "vim.loop" },
    { id = "diff", path = (vim.text and vim.text.diff) and "vim.text.diff"
      or (vim.diff and "vim.diff" or "none: one span per accept") },
    { id = "utfindex", path = utfindex_encoding and "vim.str_utfindex(s, encoding, index)"
      or "vim.str_utfindex(s, index)" },
    { id = "on_bytes", path = "nvim_buf_attach on_bytes" },
    { id = "paste", path = "vim.paste wrapper" },
    { id = "plugins", path = "copilot.lua / copilot.vim / neocodeium accept wrappers" },
    { id = "inline_completion", path = type(vim.lsp.inline_completion) == "table"
      and "vim.lsp.inline_completion.get wrapper" or "none: no built-in inline completion" },
    { id = "health", path = (h and h.start) and "vim.health.start/ok/info"
      or (h and "vim.health.report_*" or "require('health').report_*") },
  }
end

return M
