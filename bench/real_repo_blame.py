#!/usr/bin/env python3
"""`provenant blame` against `git blame` on a real repository (docs/benchmarks.md).

Usage: bench/real_repo_blame.py PROVENANT_BINARY CLONE [files=10] [rounds=3] [report_rounds=rounds]

CLONE is a throwaway clone (this writes refs/notes/provenant in it). Every commit gets a
provenant note written directly (one `git fast-import`, no hooks) that marks the lines the
commit added (git's own diff, renames found) as `ai` (commits whose id starts with 0-7) or
`human` (the rest), so blame has classes to report. Then, on the FILES largest files at HEAD:
the median wall time of ROUNDS runs of `git blame --porcelain` and of `provenant blame --json`,
and the share of lines for which both name the same commit. Also the cold `provenant report`
against `git log --numstat` over all branches (medians, side by side in each round).

PROVENANT_BENCH_BASELINE=<another provenant binary> (an older build): timed in the same rounds,
side by side, with its own ratio to git blame and its own share of lines naming git's commit.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import time

HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def git(repo, *args, **kw):
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True, **kw)


def ranges(lines):
    out, start, prev = [], None, None
    for n in lines:
        if start is not None and n == prev + 1:
            prev = n
            continue
        if start is not None:
            out.append(f"{start}" if start == prev else f"{start}-{prev}")
        start = prev = n
    if start is not None:
        out.append(f"{start}" if start == prev else f"{start}-{prev}")
    return ",".join(out)


def notes_of(repo):
    """Yields (commit, note) for every commit with added lines (merges have no diff here)."""
    log = subprocess.Popen(
        ["git", "-C", repo, "log", "--all", "--format=C %H", "-p", "-U0", "--raw", "--no-abbrev",
         "-M", "--no-color", "--no-ext-diff", "--no-textconv"],
        stdout=subprocess.PIPE)
    commit, blobs, added, path = None, {}, {}, None

    def note():
        files = {}
        ai = int(commit[0], 16) < 8
        for p, lines in added.items():
            if not lines or p not in blobs:
                continue
            r = ranges(lines)
            entry = {"blob": blobs[p], "lines": {"ai" if ai else "human": r}}
            if ai:
                entry["by_origin"] = {"o1": r}
            files[p] = entry
        if not files:
            return None
        origins = {"o1": {"class": "ai", "tool": "claude-code", "kind": "agent",
                          "model": "claude-sonnet-4-5",
                          "tokens": {"input": 1000, "output": 200}}} if ai else {}
        return {"schema": "provenant/1", "commit": commit, "files": files, "origins": origins}

    for raw in log.stdout:
        line = raw.decode("utf-8", "surrogateescape").rstrip("\n")
        if line.startswith("C ") and len(line) == 42:
            if commit and (n := note()):
                yield commit, n
            commit, blobs, added, path = line[2:], {}, {}, None
        elif line.startswith(":"):
            meta, _, names = line.partition("\t")
            fields = meta.split()
            if fields[1] in ("100644", "100755"):
                blobs[names.split("\t")[-1]] = fields[3]
        elif line.startswith("+++ "):
            path = line[6:] if line.startswith("+++ b/") else None
            if path is not None:
                added.setdefault(path, [])
        elif line.startswith("@@") and path is not None:
            m = HUNK.match(line)
            if m:
                start, count = int(m.group(1)), int(m.group(2) or "1")
                added[path].extend(range(start, start + count))
    if commit and (n := note()):
        yield commit, n
    log.wait()


def write_notes(repo):
    fi = subprocess.Popen(["git", "-C", repo, "fast-import", "--quiet"], stdin=subprocess.PIPE)
    out = fi.stdin
    out.write(b"commit refs/notes/provenant\n"
              b"committer Bench <bench@example.com> 1767225600 +0000\ndata 5\nnotes\n")
    n = 0
    for commit, note in notes_of(repo):
        data = json.dumps(note).encode()
        out.write(f"N inline {commit}\ndata {len(data)}\n".encode() + data + b"\n")
        n += 1
    out.close()
    if fi.wait() != 0:
        sys.exit("fast-import failed")
    return n


def timed(argv, cwd):
    t0 = time.monotonic()
    r = subprocess.run(argv, cwd=cwd, check=True, capture_output=True)
    return (time.monotonic() - t0) * 1000, r.stdout


def git_blame_commits(porcelain):
    commits = []
    for line in porcelain.decode("utf-8", "surrogateescape").splitlines():
        fields = line.split(" ")
        if len(fields) >= 3 and len(fields[0]) == 40 and all(c in "0123456789abcdef" for c in fields[0]):
            commits.append(fields[0])
    return commits


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, repo = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    nfiles = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    report_rounds = int(sys.argv[5]) if len(sys.argv) > 5 else rounds
    env_note = subprocess.run(["git", "-C", repo, "rev-parse", "-q", "--verify",
                               "refs/notes/provenant"], capture_output=True)
    if env_note.returncode != 0:
        t0 = time.monotonic()
        n = write_notes(repo)
        print(f"notes: {n} written in {time.monotonic() - t0:.1f} s")
    commits = git(repo, "rev-list", "--count", "--all").stdout.decode().strip()
    print(f"repository: {commits} commits (all refs)")

    store = os.path.join(repo, ".git", "provenant", "analysis.sqlite")
    numstat, cold, ratio = [], [], []
    for _ in range(report_rounds):
        numstat.append(timed(["git", "log", "--all", "--numstat", "--format=%H"], repo)[0])
        if os.path.exists(store):
            os.remove(store)
        cold.append(timed([binary, "report", "--format", "json"], repo)[0])
        ratio.append(cold[-1] / numstat[-1])
    if report_rounds > 0:
        print(f"cold report {statistics.median(cold):.0f} ms, git log --all --numstat "
              f"{statistics.median(numstat):.0f} ms, median ratio {statistics.median(ratio):.2f}x")

    sizes = []
    for p in git(repo, "ls-files", "-z").stdout.decode().split("\0"):
        full = os.path.join(repo, p)
        if p and os.path.isfile(full) and not os.path.islink(full):
            with open(full, "rb") as f:
                data = f.read()
            if b"\0" not in data[:8000]:
                sizes.append((data.count(b"\n"), p))
    sizes.sort(reverse=True)
    baseline = os.environ.get("PROVENANT_BENCH_BASELINE")
    baseline = os.path.abspath(baseline) if baseline else None
    total_lines = total_same = total_base_same = 0
    if baseline:
        print("| file | lines | git blame | before | after | ratio before | ratio after "
              "| same commit before | after |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    else:
        print("| file | lines | git blame | provenant blame | ratio | same commit |")
        print("|---|---:|---:|---:|---:|---:|")

    def agree(theirs, js):
        ours = [line["commit"] for line in json.loads(js)]
        return sum(1 for a, b in zip(theirs, ours) if a == b), max(len(theirs), len(ours))

    for lines, p in sizes[:nfiles]:
        g, mine, base, porcelain, js, base_js = [], [], [], b"", b"", b""
        ratio, base_ratio = [], []
        for _ in range(rounds):
            t, porcelain = timed(["git", "blame", "--porcelain", "--", p], repo)
            g.append(t)
            t, js = timed([binary, "blame", "--json", p], repo)
            mine.append(t)
            ratio.append(mine[-1] / g[-1])
            if baseline:
                t, base_js = timed([baseline, "blame", "--json", p], repo)
                base.append(t)
                base_ratio.append(base[-1] / g[-1])
        theirs = git_blame_commits(porcelain)
        same, n = agree(theirs, js)
        total_lines += n
        total_same += same
        gm, pm = statistics.median(g), statistics.median(mine)
        if baseline:
            base_same, _ = agree(theirs, base_js)
            total_base_same += base_same
            print(f"| {p} | {n} | {gm:.0f} ms | {statistics.median(base):.0f} ms | {pm:.0f} ms | "
                  f"{statistics.median(base_ratio):.2f}x | {statistics.median(ratio):.2f}x | "
                  f"{100.0 * base_same / max(n, 1):.2f}% | {100.0 * same / max(n, 1):.2f}% |")
        else:
            print(f"| {p} | {n} | {gm:.0f} ms | {pm:.0f} ms | {pm / gm:.2f}x | "
                  f"{100.0 * same / max(n, 1):.2f}% |")
        sys.stdout.flush()
    print(f"all {nfiles} files: {total_same} of {total_lines} lines name the same commit "
          f"({100.0 * total_same / max(total_lines, 1):.2f}%)")
    if baseline:
        print(f"before: {total_base_same} of {total_lines} lines name the same commit "
              f"({100.0 * total_base_same / max(total_lines, 1):.2f}%)")


if __name__ == "__main__":
    main()
