-- Loaded by the terminal test (scripts/test-neovim.sh drives a real Neovim TUI inside tmux):
-- writes $PROVENANT_TUI_DIR/ready once the sidecar runs for the buffer, and defines
-- :ProvenantTestDump, which writes the sidecar's class of every line to
-- $PROVENANT_TUI_DIR/dump ("<line> <class>" per line, 1-based) once it has answered.
local dir = vim.env.PROVENANT_TUI_DIR

local function write(name, text)
  local f = assert(io.open(dir .. "/" .. name .. ".tmp", "w"))
  f:write(text)
  f:close()
  os.rename(dir .. "/" .. name .. ".tmp", dir .. "/" .. name)
end

local timer = (vim.uv or vim.loop).new_timer()
timer:start(20, 20, vim.schedule_wrap(function()
  local lsp = package.loaded["provenant.lsp"]
  local c = lsp and lsp.client(vim.api.nvim_get_current_buf())
  if c and c.initialized then
    timer:stop()
    write("ready", "ok\n")
  end
end))

vim.api.nvim_create_user_command("ProvenantTestDump", function()
  local bufnr = vim.api.nvim_get_current_buf()
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }
  require("provenant.lsp").request(bufnr, "provenant/documentProvenance", params, function(err, res)
    local out = {}
    if err or not res then
      out[1] = "error " .. vim.inspect(err)
    else
      for i, cls in ipairs(res.lines) do
        out[#out + 1] = ("%d %s"):format(i, cls)
      end
    end
    -- What Neovim showed the person (errors, deprecation warnings): checked by the script.
    write("messages", vim.fn.execute("messages") .. "\n")
    write("dump", table.concat(out, "\n") .. "\n")
  end)
end, {})
