-- Starts `provenant lsp` (one client per root: the buffer's git root, else the cwd) and
-- attaches every file buffer to it. Feature-detects vim.lsp.start (0.8+) and falls back to
-- vim.lsp.start_client + vim.lsp.buf_attach_client (Debian's 0.7.2). Main loop only.
local config = require("provenant.config")
local util = require("provenant.util")

local M = {}

local uv = require("provenant.compat").uv
local clients = {} -- root -> client id
M.buffers = {} -- bufnr -> { root = string, client_id = number }

--- The directory holding `.git` (a directory, or a file for worktrees and submodules) above
--- `path`, else the current directory.
function M.root_of(path)
  local dir = vim.fn.fnamemodify(path, ":p:h")
  while dir and dir ~= "" do
    if uv.fs_stat(dir .. "/.git") then
      return dir
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      break
    end
    dir = parent
  end
  return uv.cwd()
end

--- Whether a buffer is a normal file buffer we should track.
function M.eligible(bufnr)
  if not vim.api.nvim_buf_is_loaded(bufnr) then
    return false
  end
  if vim.bo[bufnr].buftype ~= "" then
    return false
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == "" or name:match("^%a[%w+.-]*://") then
    return false
  end
  -- Commit messages and other files inside the git directory are not source.
  if name:find("/.git/", 1, true) then
    return false
  end
  return true
end

function M.binary_path()
  local exe = vim.fn.exepath(config.values.binary)
  if exe == "" then
    return nil
  end
  return exe
end

local function capabilities()
  local caps = vim.lsp.protocol.make_client_capabilities()
  caps.general = caps.general or {}
  -- LSP 3.17: byte offsets are what Neovim counts in; utf-16 is the fallback every server has.
  caps.general.positionEncodings = { "utf-8", "utf-16" }
  return caps
end

local function client_config(root)
  local cfg = config.values
  local cmd = { M.binary_path() or cfg.binary, "lsp" }
  vim.list_extend(cmd, cfg.args)
  return {
    name = "provenant",
    cmd = cmd,
    cmd_env = cfg.env,
    cmd_cwd = root,
    root_dir = root,
    capabilities = capabilities(),
    on_init = function(client, result)
      -- 0.7.2 does not negotiate encodings itself: take the server's choice before didOpen.
      local caps = result and result.capabilities or {}
      local enc = caps.positionEncoding or (result and result.offsetEncoding)
      if type(enc) == "string" then
        client.offset_encoding = enc
      end
      util.log("client %d initialized for %s, encoding %s", client.id, root, client.offset_encoding)
    end,
    on_exit = function(code, signal, client_id)
      if clients[root] == client_id then
        clients[root] = nil
      end
      util.log("client %d exited: code %s signal %s", client_id, tostring(code), tostring(signal))
    end,
  }
end

local warned_missing = false

--- Attaches the buffer to the client of its root, starting the client if needed.
--- Returns the client id, or nil when the sidecar cannot run.
function M.attach(bufnr)
  local state = M.buffers[bufnr]
  if state and vim.lsp.get_client_by_id(state.client_id) then
    return state.client_id
  end
  if not M.binary_path() then
    if not warned_missing then
      warned_missing = true
      local msg = "`%s` not found on $PATH: provenance is not tracked. Install provenant or set "
        .. "require('provenant').setup{ binary = '/path/to/provenant' }"
      util.warn(msg:format(config.values.binary))
    end
    return nil
  end
  local root = M.root_of(vim.api.nvim_buf_get_name(bufnr))
  local id = clients[root]
  if id and vim.lsp.get_client_by_id(id) then
    vim.lsp.buf_attach_client(bufnr, id)
  elseif vim.lsp.start then
    vim.api.nvim_buf_call(bufnr, function()
      id = vim.lsp.start(client_config(root), { bufnr = bufnr })
    end)
  else
    id = vim.lsp.start_client(client_config(root))
    if id then
      vim.lsp.buf_attach_client(bufnr, id)
    end
  end
  if not id then
    util.error("could not start `" .. config.values.binary .. " lsp`")
    return nil
  end
  clients[root] = id
  M.buffers[bufnr] = { root = root, client_id = id }
  return id
end

function M.detach(bufnr)
  M.buffers[bufnr] = nil
end

--- The client object of a buffer, or nil.
function M.client(bufnr)
  local state = M.buffers[bufnr]
  return state and vim.lsp.get_client_by_id(state.client_id) or nil
end

function M.root(bufnr)
  local state = M.buffers[bufnr]
  return state and state.root or M.root_of(vim.api.nvim_buf_get_name(bufnr))
end

--- Sends a request to the buffer's client; handler(err, result).
function M.request(bufnr, method, params, handler)
  local client = M.client(bufnr)
  if not client or not client.initialized then
    handler("provenant is not running for this buffer", nil)
    return
  end
  util.client_request(client, method, params, function(err, result)
    handler(err, result)
  end, bufnr)
end

return M
