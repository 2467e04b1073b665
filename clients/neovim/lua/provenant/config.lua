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
  -- Lines around the cursor kept to find what an accept inserted (more is never needed).
  window = 1000,
  -- A file to append the plugin's debug log to (nil: no log).
  log_file = nil,
}

M.values = vim.deepcopy(M.defaults)

local function check(opts)
  local ok, err = pcall(vim.validate, {
    binary = { opts.binary, "string" },
    args = { opts.args, "table" },
    env = { opts.env, "table", true },
    signs = { opts.signs, "boolean" },
    sign_text = { opts.sign_text, "table" },
    refresh_ms = { opts.refresh_ms, "number" },
    wrap = { opts.wrap, "table" },
    paste = { opts.paste, "boolean" },
    window = { opts.window, "number" },
    log_file = { opts.log_file, "string", true },
  })
  return ok, err
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
