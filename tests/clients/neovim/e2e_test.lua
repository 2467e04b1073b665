-- End-to-end: headless Neovim with provenant.nvim and the real `provenant lsp` in a real git
-- repository. Types through feedkeys, accepts completions through a copilot.lua double (same
-- accept API) and a copilot.vim double (same <expr> mapping), pastes through vim.paste, saves,
-- commits with the git CLI and reads the note with `provenant show --json`.
-- Run by scripts/test-neovim.sh, which makes the repository and isolates the environment.
local H = dofile(vim.env.PROVENANT_NVIM_TESTS .. "/harness.lua")

local api = vim.api

local function feed(keys)
  api.nvim_feedkeys(api.nvim_replace_termcodes(keys, true, false, true), "xt", false)
end

-- Sends a request to the buffer's sidecar and waits for the answer.
local function request(bufnr, method, params)
  local done, res, err = false, nil, nil
  require("provenant.lsp").request(bufnr, method, params, function(e, r)
    done, res, err = true, r, e
  end)
  H.wait(10000, function()
    return done
  end, method)
  return res, err
end

local function system(cmd)
  local out = vim.fn.system(cmd)
  return vim.v.shell_error, out
end

-- "1-3,7" -> { [1]=true, [2]=true, [3]=true, [7]=true }
local function expand(ranges)
  local set = {}
  for part in (ranges or ""):gmatch("[^,]+") do
    local a, b = part:match("^(%d+)-(%d+)$")
    if a then
      for i = tonumber(a), tonumber(b) do
        set[i] = true
      end
    else
      set[tonumber(part)] = true
    end
  end
  return set
end

local function sorted_keys(set)
  local keys = vim.tbl_keys(set)
  table.sort(keys)
  return keys
end

H.run("neovim-e2e", function()
  local repo = vim.env.PROVENANT_TEST_REPO
  vim.cmd("cd " .. vim.fn.fnameescape(repo))

  -- The AI plugin doubles, set up the way their real plugins set themselves up.
  local copilot = require("copilot.suggestion")
  copilot.setup_keymaps()
  vim.g.loaded_copilot = 1 -- what copilot.vim's plugin file sets
  vim.cmd([[imap <silent><script><expr> <C-J> copilot#Accept("")]])
  -- Test-only keys that make a suggestion appear (what the AI servers would do).
  vim.keymap.set("i", "<F2>", function()
    copilot.set_suggestion("):\n    doubled = [i * 2 for i in items]\n    return sum(doubled)")
  end)
  vim.keymap.set("i", "<F3>", function()
    copilot.set_suggestion("max(first, second)")
  end)
  vim.keymap.set("i", "<F4>", function()
    vim.fn["copilot#SetSuggestion"]("len(items) + 42")
  end)

  vim.cmd("edit app.py")
  local bufnr = api.nvim_get_current_buf()
  local lsp = require("provenant.lsp")
  H.wait(15000, function()
    local c = lsp.client(bufnr)
    return c ~= nil and c.initialized == true
  end, "the sidecar to initialize")
  local client = lsp.client(bufnr)
  if not H.check(client ~= nil, "a provenant client is attached to the file buffer") then
    return
  end
  H.eq(client.offset_encoding, "utf-8", "utf-8 positions negotiated")
  H.check(client.config.root_dir == (vim.uv or vim.loop).fs_realpath(repo) or client.config.root_dir == repo,
    "client root is the git root", client.config.root_dir)

  -- 2: typed by a person.
  feed("Gox = compute(1)<Esc>")
  -- 3-5: typed prefix, then a multi-line copilot.lua accept through <M-l> (a closure mapping).
  feed("odef total(items<F2><M-l><Esc>")
  H.wait(5000, function()
    return copilot.accepted == 1
  end, "the scheduled copilot.lua insertion")
  -- 6: accept_word through <M-w>, mapped to the original function before we wrapped it.
  feed("Goy = <F3><M-w><Esc>")
  H.wait(5000, function()
    return copilot.accepted == 2
  end, "the accept_word insertion")
  -- 7: copilot.vim's <expr> accept.
  feed("Goz = <F4><C-J><Esc>")
  -- 8-9: a paste (vim.paste, what the UI calls for bracketed paste) after the last character.
  feed("G$")
  vim.paste({ "", "PASTED_A = 1", "PASTED_B = 2" }, -1)

  local want_text = {
    "import os",
    "x = compute(1)",
    "def total(items):",
    "    doubled = [i * 2 for i in items]",
    "    return sum(doubled)",
    "y = max",
    "z = len(items) + 42",
    "PASTED_A = 1",
    "PASTED_B = 2",
  }
  H.eq(api.nvim_buf_get_lines(bufnr, 0, -1, false), want_text, "buffer text after the edits")

  -- 6 and 7: mostly AI characters, but a person typed "y = " / "z = " on them: ai_modified.
  local want = { [2] = "human", [3] = "human", [4] = "ai", [5] = "ai", [6] = "ai_modified",
    [7] = "ai_modified", [8] = "paste", [9] = "paste" }
  local prov = request(bufnr, "provenant/documentProvenance", { textDocument = { uri = vim.uri_from_bufnr(bufnr) } })
  if H.check(type(prov) == "table" and type(prov.lines) == "table", "documentProvenance answers") then
    for line, cls in pairs(want) do
      H.eq(prov.lines[line], cls, ("sidecar line %d is %s"):format(line, cls))
    end
    H.eq(prov.version, require("provenant.util").buf_version(bufnr), "sidecar saw the buffer's last version")
  end

  -- Signs, after the debounced refresh.
  local ui = require("provenant.ui")
  local function signed_lines()
    local rows = {}
    for _, m in ipairs(api.nvim_buf_get_extmarks(bufnr, ui.namespace, 0, -1, {})) do
      rows[m[2] + 1] = true
    end
    return sorted_keys(rows)
  end
  H.wait(5000, function()
    return #signed_lines() == 6
  end, "signs on the ai and paste lines")
  H.eq(signed_lines(), { 4, 5, 6, 7, 8, 9 }, "signs mark exactly the ai and paste lines")
  vim.cmd("Provenant toggle")
  H.eq(signed_lines(), {}, ":Provenant toggle hides the signs")
  vim.cmd("Provenant toggle")
  H.eq(#signed_lines(), 6, ":Provenant toggle shows them again")
  H.eq(require("provenant").statusline(), "AI 44%", "status line: 4 AI lines of 9 non-blank")
  local info = table.concat(require("provenant.commands").info_lines(bufnr), "\n")
  H.check(info:find("copilot.suggestion.accept", 1, true) ~= nil, ":Provenant info lists the wrapped accept", info)
  H.check(info:find("ai 2, ai_modified 2, human 2, paste 2", 1, true) ~= nil, ":Provenant info counts lines per class", info)

  -- :checkhealth provenant runs and finds the binary and this buffer.
  vim.cmd("silent checkhealth provenant")
  local health = table.concat(api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  H.check(health:find("found ", 1, true) ~= nil, ":checkhealth provenant finds the binary", health)
  H.check(health:find("app.py: client", 1, true) ~= nil, ":checkhealth provenant lists the attached buffer", health)
  H.check(health:find("ERROR", 1, true) == nil, ":checkhealth provenant reports no error", health)
  vim.cmd("tabclose")

  -- Save, let the sidecar finish writing its journal, then commit with the git CLI.
  vim.cmd("silent write")
  request(bufnr, "provenant/sync", vim.empty_dict())

  -- A second file in the same repository: same client; a synchronous (neocodeium-style) accept
  -- and a streamed paste (phases 1, 2, 3 as the UI sends a long bracketed paste).
  vim.cmd("edit other.txt")
  local b2 = api.nvim_get_current_buf()
  H.wait(5000, function()
    local c = lsp.client(b2)
    return c ~= nil and c.initialized == true
  end, "the second buffer to attach")
  H.eq(lsp.buffers[b2] and lsp.buffers[b2].client_id, client.id, "one client per root: the second file joins it")
  local neocodeium = require("neocodeium")
  vim.keymap.set("i", "<F5>", function()
    neocodeium.set_suggestion("compute_all(items)")
  end)
  vim.keymap.set("i", "<F6>", function()
    require("neocodeium").accept()
  end)
  feed("iw = <F5><F6><Esc>")
  feed("G$")
  vim.paste({ "", "streamed alpha" }, 1)
  vim.paste({ " beta", "streamed gamma" }, 2)
  vim.paste({ "" }, 3)
  H.eq(api.nvim_buf_get_lines(b2, 0, -1, false), { "w = compute_all(items)", "streamed alpha beta", "streamed gamma" },
    "second buffer text")
  local p2 = request(b2, "provenant/documentProvenance", { textDocument = { uri = vim.uri_from_bufnr(b2) } })
  if H.check(type(p2) == "table" and type(p2.lines) == "table", "documentProvenance of the second buffer") then
    H.eq({ p2.lines[1], p2.lines[2], p2.lines[3] }, { "ai_modified", "paste", "paste" },
      "neocodeium accept is AI, the streamed paste is paste")
    -- lineOrigins index the origins array from 0 (the shape of status --json)
    local id = p2.lineOrigins and p2.lineOrigins[1]
    local origin = type(id) == "number" and p2.origins and p2.origins[id + 1] or {}
    H.eq({ origin.tool, origin.kind }, { "codeium", "completion" }, "the accepted line names codeium")
  end
  vim.cmd("buffer " .. bufnr)
  local code, out = system({ "git", "-C", repo, "add", "app.py" })
  H.check(code == 0, "git add", out)
  code, out = system({ "git", "-C", repo, "commit", "-q", "-m", "edits from neovim" })
  H.check(code == 0, "git commit (the hooks write the note)", out)
  code, out = system({ "provenant", "show", "--json", "HEAD" })
  if not H.check(code == 0, "provenant show --json HEAD", out) then
    return
  end
  local ok, note = pcall(vim.json.decode, out)
  if not H.check(ok and type(note) == "table", "the note is JSON", out) then
    return
  end
  local file = note.files and note.files["app.py"]
  if not H.check(type(file) == "table" and type(file.lines) == "table", "the note lists app.py's lines", out) then
    return
  end
  local got = {}
  for cls, ranges in pairs(file.lines) do
    for line in pairs(expand(ranges)) do
      got[line] = cls
    end
  end
  H.eq(got, want, "note classes of the committed lines (typed human, completions ai / ai_modified, paste paste)")
  local tools = {}
  for id, ranges in pairs(file.by_origin or {}) do
    local origin = note.origins and note.origins[id] or {}
    for line in pairs(expand(ranges)) do
      tools[line] = origin.tool .. "/" .. tostring(origin.kind)
    end
  end
  H.eq(tools, { [4] = "copilot/completion", [5] = "copilot/completion", [6] = "copilot/completion",
    [7] = "copilot/completion" }, "AI lines name copilot completions")

  -- :Provenant blame and status show the CLI's answers in scratch splits, errors as notifications.
  local function errors()
    local list = {}
    for _, n in ipairs(H.notes) do
      if n.level == vim.log.levels.ERROR then
        list[#list + 1] = n.msg
      end
    end
    return list
  end
  local function scratch_lines(name)
    local b = vim.fn.bufnr(name)
    return b ~= -1 and api.nvim_buf_get_lines(b, 0, -1, false) or nil
  end
  vim.cmd("Provenant blame")
  H.wait(10000, function()
    return scratch_lines("provenant://blame/app.py") ~= nil or #errors() > 0
  end, ":Provenant blame")
  local blame = scratch_lines("provenant://blame/app.py") or {}
  H.check(#blame >= #want_text, ":Provenant blame shows a line per line of the file", vim.inspect({ blame, errors() }))
  H.check(table.concat(blame, "\n"):find("copilot", 1, true) ~= nil, ":Provenant blame names copilot", vim.inspect(blame))
  vim.cmd("Provenant status")
  H.wait(10000, function()
    return scratch_lines("provenant://status") ~= nil or #errors() > 0
  end, ":Provenant status")
  H.check(scratch_lines("provenant://status") ~= nil, ":Provenant status opens its split", vim.inspect(errors()))
  local before = #errors()
  vim.cmd("Provenant nonsense")
  H.wait(2000, function()
    return #errors() > before
  end, "the error notification")
  local last = errors()[#errors()] or ""
  H.check(last:find("unknown subcommand", 1, true) ~= nil,
    ":Provenant with an unknown subcommand reports an error", vim.inspect(errors()))
end)
