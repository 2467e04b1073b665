-- Test double of copilot.lua's `copilot.suggestion` module: the same accept API, and the same
-- way of inserting (a scheduled apply_text_edits that replaces the line from column 0 with the
-- line's prefix plus the suggestion), with a suggestion the test sets instead of a server's.
local M = {}

local pending = nil
M.accepted = 0

--- Makes `text` the suggestion shown at the cursor (what copilot's server would return);
--- `col` (bytes) overrides the cursor column (normal mode cannot sit past the last character).
function M.set_suggestion(text, col)
  local row, ccol = unpack(vim.api.nvim_win_get_cursor(0))
  col = col or ccol
  local line = vim.api.nvim_get_current_line()
  pending = {
    -- copilot.lua's suggestions start at column 0 and repeat the line's prefix.
    text = line:sub(1, col) .. text,
    range = { start = { line = row - 1, character = 0 }, ["end"] = { line = row - 1, character = col } },
  }
end

function M.is_visible()
  return pending ~= nil
end

function M.accept(modifier)
  local suggestion = pending
  if not suggestion then
    return
  end
  pending = nil
  if type(modifier) == "function" then
    suggestion = modifier(suggestion)
  end
  local range, text = suggestion.range, suggestion.text
  vim.schedule_wrap(function()
    local bufnr = vim.api.nvim_get_current_buf()
    vim.lsp.util.apply_text_edits({ { range = range, newText = text } }, bufnr, "utf-16")
    M.accepted = M.accepted + 1
  end)()
end

function M.accept_word()
  M.accept(function(suggestion)
    local _, idx = suggestion.text:find("%s*%p*[^%s%p]*%s*", suggestion.range["end"].character + 1)
    if idx then
      suggestion.text = suggestion.text:sub(1, idx)
    end
    return suggestion
  end)
end

function M.accept_line()
  M.accept(function(suggestion)
    local idx = suggestion.text:find("\n", suggestion.range["end"].character + 1, true)
    if idx then
      suggestion.text = suggestion.text:sub(1, idx)
    end
    return suggestion
  end)
end

--- Like copilot.lua's setup: maps <M-l> through a closure and <M-w> to the function itself.
function M.setup_keymaps()
  vim.keymap.set("i", "<M-l>", function()
    M.accept()
  end, { silent = true })
  vim.keymap.set("i", "<M-w>", M.accept_word, { silent = true })
end

return M
