-- :checkhealth provenant on the Neovim this runs on (scripts/test-neovim.sh runs it on each
-- version): the report names, for every feature, the path compat.lua picks here and says it was
-- tested on this version. So health.lua's table must list every version the script runs, with
-- the path that version really takes; a version added to CI without the table fails here.
local H = dofile(vim.env.PROVENANT_NVIM_TESTS .. "/harness.lua")

local api = vim.api

H.run("neovim-health", function()
  vim.cmd("cd " .. vim.fn.fnameescape(vim.env.PROVENANT_TEST_REPO))
  vim.cmd("edit h.py")
  local bufnr = api.nvim_get_current_buf()
  local lsp = require("provenant.lsp")
  H.wait(15000, function()
    local c = lsp.client(bufnr)
    return c ~= nil and c.initialized == true
  end, "the sidecar to initialize")
  local client = lsp.client(bufnr)

  local health = require("provenant.health")
  local compat = require("provenant.compat")
  local this = health.minor()
  local full
  for _, v in ipairs(health.versions) do
    if health.minor(v.version) == this then
      full = v.version
    end
  end
  H.check(full ~= nil, "health.lua lists Neovim " .. H.version() .. " as tested", vim.inspect(health.versions))

  -- The paths compat.lua reports are the ones this Neovim's API offers (checked independently).
  local paths = {}
  for _, p in ipairs(compat.paths()) do
    paths[p.id] = p.path
  end
  H.eq(paths.start == "vim.lsp.start", vim.lsp.start ~= nil, "start: vim.lsp.start exactly when it exists")
  if client then
    local mt = getmetatable(client)
    local has_methods = type(mt) == "table" and type(rawget(mt, "notify")) == "function"
    H.eq(paths.client_methods == "client:notify() / client:request()", has_methods,
      "client_methods: client:notify() exactly when the live client's class has it")
  end
  H.eq(paths.uv == "vim.uv", vim.uv ~= nil, "uv: vim.uv exactly when it exists")
  H.eq(paths.get_clients == "vim.lsp.get_clients", vim.lsp.get_clients ~= nil,
    "get_clients: vim.lsp.get_clients exactly when it exists")

  vim.cmd("silent checkhealth provenant")
  local lines = api.nvim_buf_get_lines(0, 0, -1, false)
  local text = table.concat(lines, "\n")
  local function line_with(s)
    for _, l in ipairs(lines) do
      if l:find(s, 1, true) then
        return l
      end
    end
  end
  H.check(line_with("runs every suite on") ~= nil, "health says which versions the suites run on", text)
  for _, p in ipairs(compat.paths()) do
    local l = line_with(("%s: %s (tested on "):format(p.id, p.path))
    local ok = l ~= nil and l:find("OK", 1, true) ~= nil and l:find(full or "?", 1, true) ~= nil
      and l:find(", not on", 1, true) == nil
    H.check(ok, ("health: %s takes %s, tested on %s"):format(p.id, p.path, H.version()), l or text)
  end
  H.check(line_with("h.py: client") ~= nil, "health lists the attached buffer", text)
  H.check(text:find("ERROR", 1, true) == nil and text:find("WARNING", 1, true) == nil,
    "health reports no error and no warning", text)
  vim.cmd("tabclose")
end)
