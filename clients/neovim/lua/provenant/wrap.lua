-- Wraps the accept functions of AI completion plugins and vim.paste so that what they insert is
-- annotated. Each wrapper calls the original and never changes what it does or returns;
-- detection is by package.loaded / exists(), so nothing happens when a plugin is absent.
-- Main loop only.
local annotate = require("provenant.annotate")
local config = require("provenant.config")
local util = require("provenant.util")

local M = {}

local api = vim.api
local originals = {} -- wrapper -> original function
M.wrapped = {} -- "copilot.suggestion.accept" -> true, for :Provenant info and health

local function completion(tool)
  return { class = "ai", tool = tool, kind = "completion" }
end

-- Mappings made with the original function as their callback keep calling it after we replace
-- the module field (copilot.lua maps accept_word that way): point them at the wrapper too.
local function rebind_keymaps(orig, wrapper)
  local function rebind(maps, buffer)
    for _, m in ipairs(maps) do
      if m.callback == orig then
        vim.keymap.set(m.mode ~= "" and m.mode or "i", m.lhs, wrapper, {
          buffer = buffer,
          expr = m.expr == 1,
          silent = m.silent == 1,
          nowait = m.nowait == 1,
          remap = m.noremap ~= 1,
          desc = m.desc,
        })
      end
    end
  end
  for _, mode in ipairs({ "i", "n", "s" }) do
    rebind(api.nvim_get_keymap(mode), nil)
    rebind(api.nvim_buf_get_keymap(0, mode), 0)
  end
end

local function wrap_function(tbl, key, label, origin)
  local f = tbl[key]
  if type(f) ~= "function" or originals[f] then
    return
  end
  local wrapper = function(...)
    return annotate.run(origin(), f, ...)
  end
  originals[wrapper] = f
  tbl[key] = wrapper
  rebind_keymaps(f, wrapper)
  M.wrapped[label] = true
  util.log("wrapped %s", label)
end

local function wrap_module(modname, names, tool)
  local mod = package.loaded[modname]
  if type(mod) ~= "table" then
    return
  end
  for _, name in ipairs(names) do
    wrap_function(mod, name, modname .. "." .. name, function()
      return completion(tool)
    end)
  end
end

-- copilot.vim and codeium.vim accept through <expr> mappings whose keys insert the suggestion
-- with <C-R><C-O>=. We re-map them to an expression that evaluates the original and brackets
-- the returned keys with <Cmd> calls that open and close a capture.
local expr_tools = {
  { pattern = "copilot#Accept", tool = "copilot", option = "copilot_vim" },
  { pattern = "codeium#Accept", tool = "codeium", option = "codeium_vim" },
}

local function termcodes(s)
  return api.nvim_replace_termcodes(s, true, false, true)
end

--- Called from the re-mapped expressions: `keys` is what the plugin's accept returned.
function M.expr_keys(tool, keys)
  if type(keys) ~= "string" then
    return keys
  end
  -- Only an accept inserts through the expression register; a fallback (<Tab>) does not.
  if not (keys:find("\18\15=", 1, true) or keys:find("\18\18=", 1, true)) then
    return keys
  end
  return termcodes("<Cmd>lua require'provenant.wrap'._open('" .. tool .. "')<CR>")
    .. keys
    .. termcodes("<Cmd>lua require'provenant.wrap'._close()<CR>")
end

function M._open(tool)
  local c = annotate.open(completion(tool))
  if c then
    -- If the keys fail half-way, the close never comes: drop the capture once input is idle.
    vim.schedule(function()
      annotate.abandon(c)
    end)
  end
end

function M._close()
  annotate.close()
end

local function wrap_expr_map(m)
  for _, t in ipairs(expr_tools) do
    if config.values.wrap[t.option] and m.rhs:find(t.pattern, 1, true) then
      api.nvim_set_keymap("i", m.lhs, ("v:lua.ProvenantExprKeys('%s', %s)"):format(t.tool, m.rhs), {
        expr = true,
        silent = m.silent == 1,
        nowait = m.nowait == 1,
        noremap = true,
      })
      M.wrapped["mapping " .. m.lhs .. " (" .. t.pattern .. ")"] = true
      util.log("wrapped expr mapping %s", m.lhs)
      return true
    end
  end
  return false
end

-- Returns whether any accept mapping is (now) wrapped.
local function wrap_expr_maps()
  local found = false
  for _, m in ipairs(api.nvim_get_keymap("i")) do
    if m.expr == 1 and type(m.rhs) == "string" then
      if m.rhs:find("ProvenantExprKeys", 1, true) or wrap_expr_map(m) then
        found = true
      end
    end
  end
  return found
end

-- The tool of the built-in inline completion is the name of the client that serves it.
local function builtin_origin()
  local tool = "unknown"
  local ok, list = pcall(require("provenant.compat").get_clients, { bufnr = api.nvim_get_current_buf() })
  if ok and type(list) == "table" then
    for _, client in ipairs(list) do
      local caps = client.server_capabilities or {}
      if caps.inlineCompletionProvider then
        tool = client.name
        break
      end
    end
  end
  return completion(tool)
end

local function wrap_paste()
  if not config.values.paste or M.wrapped["vim.paste"] then
    return
  end
  local original = vim.paste
  -- An AI plugin may insert its suggestion through nvim_paste, which calls vim.paste (Neovim's
  -- inline completion does for an item without a range): inside the accept's capture, the text
  -- is the accept's, not a person's paste.
  local nested = false
  vim.paste = function(lines, phase)
    if phase == -1 or phase == 1 then
      nested = annotate.capturing()
      if not nested then
        annotate.open({ class = "paste" })
      end
    end
    local ok, res = pcall(original, lines, phase)
    if phase == -1 or phase == 3 or not ok or res == false then
      if not nested then
        annotate.close()
      end
      nested = false
    end
    if not ok then
      error(res, 0)
    end
    return res
  end
  M.wrapped["vim.paste"] = true
end

-- Whether copilot.vim or codeium.vim is there (their plugin files set g:loaded_*; their
-- autoload functions exist once called). Scanning mappings costs about a millisecond, so it
-- is done only for them.
local function vim_plugins_present()
  local w = config.values.wrap
  return (w.copilot_vim and (vim.g.loaded_copilot ~= nil or vim.fn.exists("*copilot#Accept") == 1))
    or (w.codeium_vim and (vim.g.loaded_codeium ~= nil or vim.fn.exists("*codeium#Accept") == 1))
end

local expr_scanned = false

--- Looks for AI plugins and wraps what it finds. `event` "InsertEnter" (which happens often)
--- rescans mappings only until one was wrapped; other events always rescan.
function M.detect(event)
  local w = config.values.wrap
  if w.copilot_lua then
    wrap_module("copilot.suggestion", { "accept", "accept_word", "accept_line" }, "copilot")
  end
  if w.neocodeium then
    wrap_module("neocodeium", { "accept", "accept_word", "accept_line" }, "codeium")
  end
  if w.builtin and type(vim.lsp.inline_completion) == "table" then
    wrap_function(vim.lsp.inline_completion, "get", "vim.lsp.inline_completion.get", builtin_origin)
  end
  if not (event == "InsertEnter" and expr_scanned) and vim_plugins_present() then
    expr_scanned = wrap_expr_maps() or expr_scanned
  end
  wrap_paste()
end

_G.ProvenantExprKeys = M.expr_keys

return M
