#!/usr/bin/env python3
"""The HTML report on a big generated history: its size, and how long headless Chromium takes
to parse it and draw every chart (docs/benchmarks.md, "The HTML report").

The history: `git fast-import`, one branch, commits an hour apart, each touching 1-3 files
(a line replaced, lines appended, sometimes lines deleted), a provenant note on every commit
(two of three commits' lines ai, from three tools and models in turn, with tokens; the others
human), a tag every 1,000 commits.

Usage: bench/report_html.py PROVENANT [commits=20000] [files=2000] [chromium=/usr/bin/chromium]
PROVENANT_BENCH_REPO=<dir>: an existing repository instead of a generated one (commits and
files are then ignored), e.g. the report bench's 100,000 commits kept with PROVENANT_BENCH_KEEP.
Only its store (.git/provenant/analysis.sqlite) is written; with a store already there the
"cold" report is warm.
Prints: the history, the report's wall times (cold, then warm as JSON and as HTML), the
page's size (and of its embedded data), and the browser's times (median of 5 loads):
navigation start to the end of the page's own script (every chart drawn), and to the load
event.
"""
import hashlib
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time

ORIGINS = [("claude-code", "claude-sonnet-4-5"), ("codex", "gpt-5.4"), ("cursor", "composer-1")]


def blob_hex(text: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(text) + text).hexdigest()


def data(out, payload: bytes):
    out.write(b"data %d\n" % len(payload))
    out.write(payload)
    out.write(b"\n")


def generate(repo: str, commits: int, files: int):
    subprocess.run(["git", "init", "-q", "-b", "main", repo], check=True)
    proc = subprocess.Popen(["git", "-C", repo, "fast-import", "--quiet"], stdin=subprocess.PIPE)
    out = proc.stdin
    rng = random.Random(42)
    content = [[] for _ in range(files)]
    notes = []
    t0 = 1735689600  # 2025-01-01
    line_no = 0
    for c in range(1, commits + 1):
        count = min(files, 50) if c == 1 else rng.randint(1, 3)
        touched = sorted({k if c == 1 else rng.randrange(files) for k in range(count)})
        out.write(b"commit refs/heads/main\nmark :%d\n" % c)
        out.write(b"committer Bench <bench%d@example.com> %d +0000\n" % (c % 7, t0 + c * 3600))
        data(out, b"commit %d" % c)
        if c > 1:
            out.write(b"from :%d\n" % (c - 1))
        ai = c % 3 != 0
        note_files = {}
        for f in touched:
            lines = content[f]
            added = []
            roll = rng.random()
            if len(lines) > 8 and roll < 0.15:
                del lines[rng.randrange(len(lines))]
            elif len(lines) > 5 and roll < 0.6:
                at = rng.randrange(len(lines))
                line_no += 1
                lines[at] = "line %d of commit %d" % (line_no, c)
                added.append(at + 1)
            else:
                for _ in range(rng.randint(1, 8)):
                    line_no += 1
                    lines.append("line %d of commit %d" % (line_no, c))
                    added.append(len(lines))
            text = "".join(l + "\n" for l in lines).encode()
            path = "dir%d/file%d.txt" % (f % 100, f)
            out.write(b"M 100644 inline %s\n" % path.encode())
            data(out, text)
            if not added:
                continue
            ranges = ",".join(str(l) for l in added)
            entry = {"blob": blob_hex(text), "lines": {"ai" if ai else "human": ranges}}
            if ai:
                entry["by_origin"] = {"o1": ranges}
            note_files[path] = entry
        origins = {}
        if ai:
            tool, model = ORIGINS[c % len(ORIGINS)]
            origins["o1"] = {"class": "ai", "tool": tool, "kind": "agent", "model": model,
                             "tokens": {"input": 1000, "output": 200}}
        notes.append(json.dumps({"schema": "provenant/1", "commit": "0" * 40,
                                 "files": note_files, "origins": origins}).encode())
        if c % 1000 == 0:
            out.write(b"tag v%d\nfrom :%d\ntagger Bench <bench@example.com> %d +0000\n"
                      % (c // 1000, c, t0 + c * 3600))
            data(out, b"release")
    out.write(b"commit refs/notes/provenant\ncommitter Bench <bench@example.com> %d +0000\n"
              % (t0 + (commits + 1) * 3600))
    data(out, b"notes")
    for c, note in enumerate(notes, 1):
        out.write(b"N inline :%d\n" % c)
        data(out, note)
    out.close()
    if proc.wait() != 0:
        sys.exit("bench: fast-import failed")
    subprocess.run(["git", "-C", repo, "checkout", "-q", "main"], check=True)


TIMING = ("<script>(function(){var t=performance.now();window.addEventListener('load',function(){"
          "var p=document.createElement('pre');p.id='bench';p.textContent=JSON.stringify({drawn:t,"
          "load:performance.now(),charts:document.querySelectorAll('canvas').length});"
          "document.body.appendChild(p);});})();</script>")


def load_times(chromium: str, page: str, tmp: str):
    with open(page, encoding="utf-8") as f:
        html = f.read()
    timed = os.path.join(tmp, "timed.html")
    with open(timed, "w", encoding="utf-8") as f:
        f.write(html.replace("</body>", TIMING + "</body>"))
    runs = []
    for i in range(5):
        profile = os.path.join(tmp, "profile%d" % i)
        r = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                            "--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND",
                            "--user-data-dir=" + profile, "--window-size=1280,2400",
                            "--dump-dom", "file://" + timed],
                           capture_output=True, text=True, timeout=300)
        m = re.search(r'<pre id="bench">([^<]*)</pre>', r.stdout)
        if not m:
            sys.exit("bench: the page did not report its timings: " + r.stderr[-2000:])
        runs.append(json.loads(m.group(1)))
    return runs


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    provenant = os.path.abspath(sys.argv[1])
    commits = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    files = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    chromium = sys.argv[4] if len(sys.argv) > 4 else "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.environ.get("PROVENANT_BENCH_REPO")
        if repo:
            repo = os.path.abspath(repo)
            count = subprocess.run(["git", "-C", repo, "rev-list", "--count", "--all"],
                                   check=True, capture_output=True, text=True).stdout.strip()
            stored = os.path.exists(os.path.join(repo, ".git", "provenant", "analysis.sqlite"))
            print("history: %s (%s commits; %s)"
                  % (repo, count, "a store was there: the first report is warm" if stored
                     else "no store: the first report walks"))
        else:
            repo = os.path.join(tmp, "repo")
            t = time.monotonic()
            generate(repo, commits, files)
            print("history: %d commits over %d files (generated in %.1f s)"
                  % (commits, files, time.monotonic() - t))
        sys.stdout.flush()
        page = os.path.join(tmp, "report.html")
        base = [provenant, "report", "-C", repo, "--release", "v*"]

        def timed(args):
            t = time.monotonic()
            subprocess.run(base + args, check=True, stdout=subprocess.DEVNULL)
            return time.monotonic() - t
        cold = timed(["--format", "json"])
        warm_json = min(timed(["--format", "json"]) for _ in range(3))
        warm_html = min(timed(["--format", "html", "--output", page]) for _ in range(3))
        print("report: cold (json, fills the store) %.2f s; warm json %.3f s; warm html %.3f s "
              "(the page computes the report four times: as asked, by tool, by tool and model, "
              "by week or month)" % (cold, warm_json, warm_html))
        size = os.path.getsize(page)
        with open(page, encoding="utf-8") as f:
            m = re.search(r'<script type="application/json" id="report-data">(.*?)</script>',
                          f.read(), re.S)
        print("page: %d bytes (%.0f KiB); embedded data %d bytes"
              % (size, size / 1024, len(m.group(1)) if m else -1))
        runs = load_times(chromium, page, tmp)
        print("headless Chromium, median of %d loads: charts drawn %.0f ms, load event %.0f ms "
              "after navigation start (%d charts)"
              % (len(runs), statistics.median(r["drawn"] for r in runs),
                 statistics.median(r["load"] for r in runs), runs[0]["charts"]))


if __name__ == "__main__":
    main()
