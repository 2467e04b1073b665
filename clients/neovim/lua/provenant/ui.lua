-- Gutter signs for ai, ai_modified and paste lines, refreshed (debounced) from the sidecar's
-- `provenant/documentProvenance`, and the per-buffer figures :Provenant info and the status
-- line show. Main loop only; per-buffer state lives in M.state[bufnr].
local config = require("provenant.config")
local util = require("provenant.util")

local M = {}

local api = vim.api
local ns = api.nvim_create_namespace("provenant")
M.namespace = ns
M.state = {} -- bufnr -> { timer, lines, version, counts, pending }
M.enabled = nil -- nil: follow config.signs

local hl = { ai = "ProvenantAi", ai_modified = "ProvenantAiModified", paste = "ProvenantPaste" }

local function define_highlights()
  vim.cmd([[
    highlight default link ProvenantAi DiagnosticInfo
    highlight default link ProvenantAiModified DiagnosticHint
    highlight default link ProvenantPaste DiagnosticWarn
  ]])
end

function M.signs_enabled()
  if M.enabled == nil then
    return config.values.signs
  end
  return M.enabled
end

local function draw(bufnr, st)
  api.nvim_buf_clear_namespace(bufnr, ns, 0, -1)
  if not M.signs_enabled() or not st.lines then
    return
  end
  local n = api.nvim_buf_line_count(bufnr)
  local text = config.values.sign_text
  for i, cls in ipairs(st.lines) do
    if i > n then
      break
    end
    if hl[cls] then
      api.nvim_buf_set_extmark(bufnr, ns, i - 1, 0, {
        sign_text = text[cls] or "▍",
        sign_hl_group = hl[cls],
        priority = config.values.sign_priority,
      })
    end
  end
end

local function count(lines)
  local counts = {}
  for _, cls in ipairs(lines) do
    counts[cls] = (counts[cls] or 0) + 1
  end
  return counts
end

--- Asks the sidecar for the buffer's line classes now and redraws the signs.
function M.refresh(bufnr, on_done)
  local st = M.state[bufnr]
  if not st or not api.nvim_buf_is_valid(bufnr) then
    return
  end
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }
  local lsp = require("provenant.lsp")
  lsp.request(bufnr, "provenant/documentProvenance", params, function(err, result)
    if err or type(result) ~= "table" or type(result.lines) ~= "table" then
      util.log("documentProvenance failed: %s", vim.inspect(err))
      if on_done then
        on_done(false)
      end
      return
    end
    if not api.nvim_buf_is_valid(bufnr) or M.state[bufnr] ~= st then
      return
    end
    st.lines = result.lines
    st.version = result.version
    st.counts = count(result.lines)
    st.chars = result.chars
    draw(bufnr, st)
    if on_done then
      on_done(true)
    end
  end)
end

--- Refreshes after config.refresh_ms without further calls (one timer per buffer).
function M.schedule_refresh(bufnr)
  local st = M.state[bufnr]
  if not st then
    return
  end
  if not st.timer then
    st.timer = require("provenant.compat").uv.new_timer()
  end
  st.timer:stop()
  st.timer:start(config.values.refresh_ms, 0, vim.schedule_wrap(function()
    M.refresh(bufnr)
  end))
end

function M.attach(bufnr)
  if M.state[bufnr] then
    return
  end
  if next(M.state) == nil then
    define_highlights()
  end
  M.state[bufnr] = {}
  local group = api.nvim_create_augroup("provenant_buf_" .. bufnr, { clear = true })
  api.nvim_create_autocmd({ "TextChanged", "TextChangedI", "BufWritePost" }, {
    group = group,
    buffer = bufnr,
    callback = function()
      M.schedule_refresh(bufnr)
    end,
  })
  api.nvim_create_autocmd({ "BufWipeout", "BufUnload" }, {
    group = group,
    buffer = bufnr,
    callback = function()
      M.detach(bufnr)
    end,
  })
  M.schedule_refresh(bufnr)
end

function M.detach(bufnr)
  local st = M.state[bufnr]
  if not st then
    return
  end
  if st.timer then
    st.timer:stop()
    st.timer:close()
  end
  M.state[bufnr] = nil
  pcall(api.nvim_del_augroup_by_name, "provenant_buf_" .. bufnr)
  require("provenant.annotate").untrack(bufnr)
  require("provenant.lsp").detach(bufnr)
end

--- Turns the signs on or off in every tracked buffer.
function M.toggle()
  M.enabled = not M.signs_enabled()
  for bufnr, st in pairs(M.state) do
    if api.nvim_buf_is_valid(bufnr) then
      draw(bufnr, st)
    end
  end
  return M.enabled
end

--- "AI 42%" for the current buffer: ai and ai_modified lines over non-blank lines.
function M.statusline(bufnr)
  local st = M.state[bufnr or api.nvim_get_current_buf()]
  if not st or not st.counts then
    return ""
  end
  local c = st.counts
  local ai = (c.ai or 0) + (c.ai_modified or 0)
  local total = 0
  for cls, k in pairs(c) do
    if cls ~= "blank" then
      total = total + k
    end
  end
  if total == 0 then
    return ""
  end
  return ("AI %d%%"):format(math.floor(ai * 100 / total + 0.5))
end

return M
