-- provenant.nvim: registers :Provenant and the autocommands that attach file buffers (lazy).
if vim.g.loaded_provenant then
  return
end
vim.g.loaded_provenant = true

vim.api.nvim_create_user_command("Provenant", function(opts)
  require("provenant.commands").run(opts.fargs)
end, {
  nargs = "*",
  desc = "provenant: status | toggle | blame | info",
  complete = function(arglead)
    return require("provenant.commands").complete(arglead)
  end,
})

local group = vim.api.nvim_create_augroup("provenant", { clear = true })
-- Every file buffer gets the sidecar; `vim.g.provenant_enabled = false` opts out before startup.
vim.api.nvim_create_autocmd({ "BufReadPost", "BufNewFile", "BufFilePost", "BufWritePost" }, {
  group = group,
  callback = function(args)
    if vim.g.provenant_enabled ~= false then
      require("provenant").attach(args.buf)
    end
  end,
})
-- AI plugins are often lazy-loaded: look for them again when others announce themselves.
vim.api.nvim_create_autocmd({ "VimEnter", "User", "InsertEnter" }, {
  group = group,
  callback = function(args)
    if package.loaded["provenant"] then
      require("provenant").detect(args.event)
    end
  end,
})
