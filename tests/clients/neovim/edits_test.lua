-- End-to-end in headless Neovim with the real `provenant lsp`: lines moved by a filter
-- (`:%!sort`) keep their classes, through the undo and the redo (issue 9 §5), and a file
-- renamed with vim.lsp.util.rename (which sends no LSP notification: the sidecar sees the new
-- name opened, then the old one closed, with the same text) keeps its pending provenance under
-- the new name and nothing under the old one (§6).
-- Run by scripts/test-neovim.sh, which makes the repository and isolates the environment.
local H = dofile(vim.env.PROVENANT_NVIM_TESTS .. "/harness.lua")

local api = vim.api

local function feed(keys)
  api.nvim_feedkeys(api.nvim_replace_termcodes(keys, true, false, true), "xt", false)
end

local function request(bufnr, method, params)
  local done, res = false, nil
  require("provenant.lsp").request(bufnr, method, params, function(_, r)
    done, res = true, r
  end)
  H.wait(10000, function()
    return done
  end, method)
  return res
end

local function classes(bufnr)
  local prov = request(bufnr, "provenant/documentProvenance", { textDocument = { uri = vim.uri_from_bufnr(bufnr) } })
  return type(prov) == "table" and prov.lines or {}
end

local function attached(bufnr, what)
  return H.wait(15000, function()
    local c = require("provenant.lsp").client(bufnr)
    return c ~= nil and c.initialized == true
  end, what)
end

-- The journal's entries: repository-relative path -> text.
local function journal(repo)
  local out = {}
  local dir = repo .. "/.git/provenant/journal"
  for _, file in ipairs(vim.fn.glob(dir .. "/*.json", false, true)) do
    local f = io.open(file, "r")
    if f then
      local ok, e = pcall(vim.json.decode, f:read("*a"))
      f:close()
      if ok and type(e) == "table" and e.path then
        out[e.path] = e.snapshot and e.snapshot.text or ""
      end
    end
  end
  return out
end

H.run("neovim-edits", function()
  local repo = vim.env.PROVENANT_TEST_REPO
  vim.cmd("cd " .. vim.fn.fnameescape(repo))
  local copilot = require("copilot.suggestion")
  copilot.setup_keymaps()
  vim.keymap.set("i", "<F2>", function()
    copilot.set_suggestion("zeta_ai = compute(1, 2, 3)")
  end)

  -- An ai line (a copilot.lua accept), a paste line (vim.paste), a human line (typed).
  vim.cmd("edit sorted.py")
  local bufnr = api.nvim_get_current_buf()
  if not attached(bufnr, "sorted.py to attach") then
    return
  end
  feed("i<F2><M-l><Esc>")
  H.wait(5000, function()
    return copilot.accepted == 1
  end, "the copilot.lua insertion")
  feed("G$")
  vim.paste({ "", "beta_paste = 2" }, -1)
  feed("Gomid_human = 1<Esc>")
  local original = { "zeta_ai = compute(1, 2, 3)", "beta_paste = 2", "mid_human = 1" }
  H.eq(api.nvim_buf_get_lines(bufnr, 0, -1, false), original, "the three lines")
  H.eq(classes(bufnr), { "ai", "paste", "human" }, "before the sort: ai, paste, human")

  -- Vim inserts the filter's output before deleting the originals: the core matches inserted
  -- lines against whole lines the same didChange batch deletes (docs/journal.md, moved lines).
  vim.cmd("let &undolevels = &undolevels") -- the filter is an undo step of its own
  vim.cmd("silent %!sort")
  local sorted = { "beta_paste = 2", "mid_human = 1", "zeta_ai = compute(1, 2, 3)" }
  H.eq(api.nvim_buf_get_lines(bufnr, 0, -1, false), sorted, ":%!sort sorted the lines")
  local got = classes(bufnr)
  H.eq(got, { "paste", "human", "ai" }, ":%!sort keeps each moved line's class")
  vim.cmd("silent undo")
  H.eq(api.nvim_buf_get_lines(bufnr, 0, -1, false), original, "undo brings the order back")
  H.eq(classes(bufnr), { "ai", "paste", "human" }, "the undo of the sort brings every class back")
  vim.cmd("silent redo")
  H.eq(api.nvim_buf_get_lines(bufnr, 0, -1, false), sorted, "redo sorts again")
  got = classes(bufnr)
  H.eq(got, { "paste", "human", "ai" }, "the redo of :%!sort keeps each line's class")

  -- A file with pending work renamed by vim.lsp.util.rename.
  vim.cmd("edit renamed_from.py")
  local b2 = api.nvim_get_current_buf()
  if not attached(b2, "renamed_from.py to attach") then
    return
  end
  feed("i<F2><M-l><Esc>")
  H.wait(5000, function()
    return copilot.accepted == 2
  end, "the second copilot.lua insertion")
  feed("Gotyped_here = 1<Esc>")
  H.eq(classes(b2), { "ai", "human" }, "pending work before the rename: ai, human")
  vim.cmd("silent write")
  request(b2, "provenant/sync", vim.empty_dict())
  H.check(journal(repo)["renamed_from.py"] ~= nil, "the journal has the old name before the rename")

  local old, new = repo .. "/renamed_from.py", repo .. "/renamed_to.py"
  vim.lsp.util.rename(old, new)
  local b3 = vim.fn.bufnr(new)
  H.check(b3 ~= -1 and (vim.uv or vim.loop).fs_stat(old) == nil and (vim.uv or vim.loop).fs_stat(new) ~= nil,
    "vim.lsp.util.rename renamed the file and its buffer")
  if b3 == -1 or not attached(b3, "renamed_to.py to attach") then
    return
  end
  request(b3, "provenant/sync", vim.empty_dict())
  H.eq(classes(b3), { "ai", "human" }, "after the rename the new name has the pending provenance")
  local entries = journal(repo)
  H.check(entries["renamed_to.py"] ~= nil and entries["renamed_from.py"] == nil,
    "the journal entry moved to the new name; none is left under the old one", vim.inspect(vim.tbl_keys(entries)))
end)
