-- Accepts that insert through vim.paste, and Neovim's built-in inline completion
-- (vim.lsp.inline_completion, 0.12+) against an in-process language server that offers one
-- suggestion, beside the real `provenant lsp` in a real git repository. On every version: an AI
-- plugin whose accept calls nvim_paste gets one ai annotation (the paste wrapper must not take
-- it for a person's paste). On 0.12+: an accepted suggestion is `ai` whether Neovim inserts it
-- with nvim_buf_set_text (an item with a range) or with nvim_paste (without). On older Neovims
-- the path must be absent and not wrapped.
local H = dofile(vim.env.PROVENANT_NVIM_TESTS .. "/harness.lua")

local api = vim.api

local function feed(keys, mode)
  api.nvim_feedkeys(api.nvim_replace_termcodes(keys, true, false, true), mode or "xt", false)
end

-- A language server in this process (vim.lsp.start's cmd as a function, 0.10+): it answers
-- initialize with inlineCompletionProvider and each inlineCompletion request with `item()`.
local function fake_server(item)
  local server = { requests = 0 }
  server.cmd = function(dispatchers)
    local closing, id = false, 0
    return {
      request = function(method, _, callback)
        id = id + 1
        local result
        if method == "initialize" then
          result = { capabilities = { inlineCompletionProvider = true }, serverInfo = { name = "fake-ai" } }
        elseif method == "textDocument/inlineCompletion" then
          server.requests = server.requests + 1
          result = { items = { item() } }
        elseif method == "shutdown" then
          result = vim.NIL
        end
        vim.schedule(function()
          callback(nil, result)
        end)
        return true, id
      end,
      notify = function(method)
        if method == "exit" then
          closing = true
          dispatchers.on_exit(0, 0)
        end
        return true
      end,
      is_closing = function()
        return closing
      end,
      terminate = function()
        closing = true
      end,
    }
  end
  return server
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

-- The annotations the plugin's log says it sent, in order ("ai", "paste").
local function sent(log)
  local out = {}
  if vim.fn.filereadable(log) == 1 then
    for _, l in ipairs(vim.fn.readfile(log)) do
      local cls = l:match("annotate (%a+) v")
      if cls then
        out[#out + 1] = cls
      end
    end
  end
  return out
end

local function open_file(name)
  vim.cmd("edit " .. name)
  local bufnr = api.nvim_get_current_buf()
  local lsp = require("provenant.lsp")
  H.wait(15000, function()
    local c = lsp.client(bufnr)
    return c ~= nil and c.initialized == true
  end, "the sidecar to initialize")
  return bufnr
end

H.run("neovim-inline", function()
  local compat = require("provenant.compat")
  local wrap = require("provenant.wrap")
  -- The plugin's log lists every annotation it sends.
  local log = vim.fn.tempname()
  require("provenant").setup({ log_file = log })
  vim.cmd("cd " .. vim.fn.fnameescape(vim.env.PROVENANT_TEST_REPO))

  -- On every version: an AI plugin whose accept inserts through nvim_paste (which calls
  -- vim.paste) gets one ai annotation, and the paste wrapper stays out of it.
  local nb = open_file("nested.py")
  local accept = function()
    api.nvim_paste("answer = compute_the_answer(question, context)", false, -1)
  end
  require("provenant.annotate").run({ class = "ai", tool = "test-double", kind = "completion" }, accept)
  local nested = request(nb, "provenant/documentProvenance", { textDocument = { uri = vim.uri_from_bufnr(nb) } })
  H.eq(nested and nested.lines and nested.lines[1], "ai", "an accept that pastes is ai")
  H.eq(sent(log), { "ai" }, "an accept that pastes: one ai annotation, no paste annotation")
  vim.cmd("silent write")

  if type(vim.lsp.inline_completion) ~= "table" then
    local path
    for _, p in ipairs(compat.paths()) do
      if p.id == "inline_completion" then
        path = p.path
      end
    end
    H.eq(path, "none: no built-in inline completion", "no vim.lsp.inline_completion: health says so")
    H.check(not wrap.wrapped["vim.lsp.inline_completion.get"], "nothing wrapped on Neovim " .. H.version())
    return
  end

  local bufnr = open_file("app.py")
  -- The suggestion for the current line: the rest of it after "total = ", with or without range.
  local with_range = true
  local server = fake_server(function()
    local row, col = unpack(api.nvim_win_get_cursor(0))
    local text = "sum(price * quantity for price, quantity in rows)"
    if with_range then
      return { insertText = text, range = { start = { line = row - 1, character = col },
        ["end"] = { line = row - 1, character = col } } }
    end
    return { insertText = text }
  end)
  local id = vim.lsp.start({ name = "fake-ai", cmd = server.cmd, root_dir = vim.fn.getcwd() }, { bufnr = bufnr })
  H.check(id ~= nil, "the in-process inline completion server starts")
  -- Neovim asks only servers already attached when Insert mode starts.
  H.wait(5000, function()
    local c = id and vim.lsp.get_client_by_id(id)
    return c ~= nil and c.initialized == true and vim.lsp.buf_is_attached(bufnr, id)
  end, "the inline completion server to attach")
  vim.lsp.inline_completion.enable(true, { bufnr = bufnr })
  vim.keymap.set("i", "<F5>", function()
    vim.lsp.inline_completion.get()
  end, { buffer = bufnr })
  require("provenant").detect("User")
  H.check(wrap.wrapped["vim.lsp.inline_completion.get"] == true, "vim.lsp.inline_completion.get is wrapped")

  -- One key sequence, as a person types it: the suggestion arrives while Insert mode waits
  -- (the <Cmd> waits process Neovim's events), <F5> accepts it, and the accept (scheduled by
  -- Neovim) runs before <Esc>.
  local function accept_on_new_line(prefix)
    local before = server.requests
    local line = api.nvim_buf_line_count(bufnr) + 1
    -- Shown: Neovim draws the suggestion as virtual text in its own namespace.
    local ns = api.nvim_get_namespaces()["nvim.lsp.inline_completion"]
    _G.ProvenantTestWaitSuggestion = function()
      H.wait(5000, function()
        return server.requests > before and ns ~= nil and #api.nvim_buf_get_extmarks(bufnr, ns, 0, -1, {}) > 0
      end, "the suggestion to be shown")
    end
    _G.ProvenantTestWaitAccept = function()
      H.wait(5000, function()
        return #(api.nvim_buf_get_lines(bufnr, line - 1, line, false)[1] or "") > #prefix
      end, "the accepted suggestion")
    end
    feed("Go" .. prefix .. "<Cmd>lua ProvenantTestWaitSuggestion()<CR><F5><Cmd>lua ProvenantTestWaitAccept()<CR><Esc>")
    return line
  end

  -- Each on a line of its own, so that the whole line is the AI's (a typed prefix would make
  -- it ai_modified, as the model says).
  local ranged = accept_on_new_line("")
  with_range = false
  local pasted = accept_on_new_line("")
  local text = api.nvim_buf_get_lines(bufnr, 0, -1, false)
  H.eq(text[ranged], "sum(price * quantity for price, quantity in rows)", "the ranged item is inserted")
  H.eq(text[pasted], "sum(price * quantity for price, quantity in rows)",
    "the item without range is inserted (through vim.paste)")

  local prov = request(bufnr, "provenant/documentProvenance", { textDocument = { uri = vim.uri_from_bufnr(bufnr) } })
  if H.check(type(prov) == "table" and type(prov.lines) == "table", "documentProvenance answers") then
    H.eq(prov.lines[ranged], "ai", "an accepted ranged suggestion is ai")
    H.eq(prov.lines[pasted], "ai", "an accepted suggestion inserted through vim.paste is ai, not paste")
  end
  -- Not even a paste annotation that a later ai one overrules: the sidecar must get one claim.
  H.eq(sent(log), { "ai", "ai", "ai" }, "one ai annotation per accept, no paste annotation")
  vim.lsp.get_client_by_id(id):stop()
end)
