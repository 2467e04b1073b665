-- Test double of neocodeium's accept API: inserts the suggestion at the cursor synchronously.
local M = {}

local pending = nil

function M.set_suggestion(text)
  pending = text
end

function M.visible()
  return pending ~= nil
end

local function insert(text)
  local row, col = unpack(vim.api.nvim_win_get_cursor(0))
  local lines = vim.split(text, "\n", { plain = true })
  vim.api.nvim_buf_set_text(0, row - 1, col, row - 1, col, lines)
  local last = row + #lines - 1
  local last_col = (#lines == 1 and col or 0) + #lines[#lines]
  vim.api.nvim_win_set_cursor(0, { last, last_col })
end

function M.accept()
  if pending then
    insert(pending)
    pending = nil
  end
end

function M.accept_word()
  if pending then
    insert(pending:match("^%s*[%w_]+") or pending)
    pending = nil
  end
end

function M.accept_line()
  if pending then
    insert(pending:match("^[^\n]*"))
    pending = nil
  end
end

return M
