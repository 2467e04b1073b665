-- Options of provenant.nvim: defaults, validation and the merged values everyone reads.
local M = {}

---@class provenant.Config
M.defaults = {
  -- The provenant executable (a name looked up on $PATH, or a path).
  binary = "provenant",
  -- Extra arguments after `provenant lsp`.
  args = {},
  -- Extra environment for the sidecar process.
  env = nil,
  -- Gutter signs for ai, ai_modified and paste lines.
  signs = true,
  sign_text = { ai = "▍", ai_modified = "▍", paste = "▍" },
  sign_priority = 5,
  -- Milliseconds between the last edit and the refresh of the signs.
  refresh_ms = 250,
  -- Which AI completion plugins to wrap (true: every one that is installed).
  wrap = {
    copilot_lua = true, -- require("copilot.suggestion").accept / accept_word / accept_line
    copilot_vim = true, -- copilot#Accept / AcceptWord / AcceptLine expr mappings
    codeium_vim = true, -- codeium#Accept / AcceptNextWord / AcceptNextLine expr mappings
    neocodeium = true, -- require("neocodeium").accept / accept_word / accept_line
    builtin = true, -- vim.lsp.inline_completion (Neovim 0.12+)
  },
  -- Annotate text that arrives through vim.paste (terminal bracketed paste) as `paste`.
  paste = true,
  -- Lines kept on each side of the cursor to find what an accept inserted. An accept that also
  -- edits further away is not annotated (an insertion at the cursor may be of any size).
  window = 200,
  -- A file to append the plugin's debug log to (nil: no log).
  log_file = nil,
}

M.values = vim.deepcopy(M.defaults)

-- Type checks by hand: vim.validate's table form is deprecated in newer Neovim.
local types = {
  binary = "string",
  args = "table",
  signs = "boolean",
  sign_text = "table",
  sign_priority = "number",
  refresh_ms = "number",
  wrap = "table",
  paste = "boolean",
  window = "number",
}
local optional = { env = "table", log_file = "string" }

local function check(opts)
  for key, want in pairs(types) do
    if type(opts[key]) ~= want then
      return false, ("%s: expected %s, got %s"):format(key, want, type(opts[key]))
    end
  end
  for key, want in pairs(optional) do
    if opts[key] ~= nil and type(opts[key]) ~= want then
      return false, ("%s: expected %s or nil, got %s"):format(key, want, type(opts[key]))
    end
  end
  for key in pairs(opts) do
    if types[key] == nil and optional[key] == nil then
      return false, ("unknown option '%s'"):format(key)
    end
  end
  return true
end

--- Merges user options over the defaults. Returns false and a message when an option is invalid
--- (the previous values stay in force).
function M.set(user)
  local merged = vim.tbl_deep_extend("force", vim.deepcopy(M.defaults), user or {})
  local ok, err = check(merged)
  if not ok then
    return false, err
  end
  M.values = merged
  return true
end

return M
