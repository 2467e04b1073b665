-- A minimal test harness for headless Neovim: named checks, a summary line that CI reads
-- ("N passed, N failed"), and an exit code. Output goes to stdout (print is not shown headless).
local H = { passed = 0, failed = 0, xfailed = 0, name = "nvim", notes = {} }

-- Notifications are recorded (and checked by tests) instead of cluttering the report.
vim.notify = function(msg, level)
  H.notes[#H.notes + 1] = { msg = msg, level = level }
end

local function out(s)
  io.stdout:write(s, "\n")
  io.stdout:flush()
end

function H.log(s)
  out("  . " .. s)
end

function H.check(cond, what, detail)
  if cond then
    H.passed = H.passed + 1
    out("  ok   " .. what)
  else
    H.failed = H.failed + 1
    out("  FAIL " .. what .. (detail and (": " .. detail) or ""))
  end
  return cond
end

--- A check that fails today for a known defect outside the plugin: reported visibly (XFAIL,
--- with the reason), not counted as a failure unless PROVENANT_STRICT_XFAIL=1; XPASS when it
--- starts passing, so it can be made a plain check.
function H.xfail(cond, what, reason, detail)
  if vim.env.PROVENANT_STRICT_XFAIL == "1" then
    return H.check(cond, what, detail)
  end
  if cond then
    H.passed = H.passed + 1
    out("  XPASS " .. what .. " (passes now: make it a plain check; " .. reason .. ")")
  else
    H.xfailed = H.xfailed + 1
    out("  XFAIL " .. what .. ": expected to fail: " .. reason .. (detail and ("; " .. detail) or ""))
  end
  return cond
end

function H.eq(got, want, what)
  return H.check(vim.deep_equal(got, want), what, "got " .. vim.inspect(got) .. ", want " .. vim.inspect(want))
end

--- Waits for cond() (processing events meanwhile); a failed check when it times out.
function H.wait(ms, cond, what)
  local ok = vim.wait(ms, cond, 10)
  if not ok then
    H.check(false, "waited for " .. what, "timed out after " .. ms .. " ms")
  end
  return ok
end

--- Runs the test function, reports, and exits Neovim with the result.
function H.run(name, fn)
  H.name = name
  out("== " .. name)
  local ok, err = xpcall(fn, debug.traceback)
  if not ok then
    H.check(false, "test raised an error", err)
  end
  out(("%s: %d passed, %d failed%s"):format(name, H.passed, H.failed,
    H.xfailed > 0 and (", %d expected to fail (XFAIL above)"):format(H.xfailed) or ""))
  vim.cmd((H.failed == 0 and "qall!" or "cquit! 1"))
end

return H
