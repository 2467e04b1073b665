#!/usr/bin/env bash
# The whole loop on a fresh machine: set up, build, then in a throw-away repository replay a
# scripted editing session (a person typing, an accepted AI completion, a paste) through the
# real `provenant lsp`, show the pending provenance, commit, and read the note, the blame and the report.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [[ -n "${PROVENANT_BIN:-}" ]]; then # a binary you already built
  bin=$PROVENANT_BIN
else
  "$root/scripts/setup.sh"
  "$root/scripts/build.sh" "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
  bin="$root/build/provenant"
fi

demo=$(mktemp -d "${TMPDIR:-/tmp}/provenant-demo-XXXXXX")
echo; echo "== demo repository: $demo"
cd "$demo"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
git init -q -b main .
git config user.name "Demo Developer"
git config user.email "dev@example.com"
"$bin" install

cat > app.py <<'PY'
def greet(name):
    return "Hello " + name
PY
git add app.py && git commit -q -m "Initial greet" && echo "committed the starting file"

uri="file://$demo/app.py"
# JSON-RPC with LSP framing; Content-Length counts bytes.
frame() { local body=$1; printf 'Content-Length: %d\r\n\r\n%s' "$(printf '%s' "$body" | wc -c)" "$body"; }
json_escape() { sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | awk 'BEGIN{ORS="\\n"} {print}' | sed 's/\\n$//'; }
initial=$(json_escape < app.py)
completion='def clamp(value, low, high):\n    return max(low, min(value, high))\n'
{
  frame '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":"file://'"$demo"'","capabilities":{"general":{"positionEncodings":["utf-8","utf-16"]}}}}'
  frame '{"jsonrpc":"2.0","method":"initialized","params":{}}'
  frame '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"'"$uri"'","languageId":"python","version":1,"text":"'"$initial"'\n"}}}'
  # A person types a new line at the end, one keystroke at a time.
  v=1; col=0; line=2
  typed='# greeting helpers'
  frame '{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"'"$uri"'","version":2},"contentChanges":[{"range":{"start":{"line":2,"character":0},"end":{"line":2,"character":0}},"text":"\n"}]}}'
  v=2; line=3
  for ((i = 0; i < ${#typed}; i++)); do
    v=$((v + 1)); ch=${typed:i:1}
    frame '{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"'"$uri"'","version":'$v'},"contentChanges":[{"range":{"start":{"line":'$line',"character":'$col'},"end":{"line":'$line',"character":'$col'}},"text":"'"$ch"'"}]}}'
    col=$((col + 1))
  done
  v=$((v + 1))
  frame '{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"'"$uri"'","version":'$v'},"contentChanges":[{"range":{"start":{"line":'$line',"character":'$col'},"end":{"line":'$line',"character":'$col'}},"text":"\n"}]}}'
  # An accepted AI completion: the edit, then the client's annotation of its range.
  v=$((v + 1)); line=$((line + 1))
  frame '{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"'"$uri"'","version":'$v'},"contentChanges":[{"range":{"start":{"line":'$line',"character":0},"end":{"line":'$line',"character":0}},"text":"'"$completion"'"}]}}'
  frame '{"jsonrpc":"2.0","method":"provenant/annotate","params":{"textDocument":{"uri":"'"$uri"'","version":'$v'},"origin":{"class":"ai","tool":"copilot","kind":"completion","model":"gpt-4.1"},"ranges":[{"start":{"line":'$line',"character":0},"end":{"line":'$((line + 2))',"character":0}}]}}'
  # A paste of three lines, annotated by the client.
  v=$((v + 1)); line=$((line + 2))
  frame '{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"'"$uri"'","version":'$v'},"contentChanges":[{"range":{"start":{"line":'$line',"character":0},"end":{"line":'$line',"character":0}},"text":"LIMITS = {\n    \"low\": 0, \"high\": 10,\n}\n"}]}}'
  frame '{"jsonrpc":"2.0","method":"provenant/annotate","params":{"textDocument":{"uri":"'"$uri"'","version":'$v'},"origin":{"class":"paste"},"ranges":[{"start":{"line":'$line',"character":0},"end":{"line":'$((line + 3))',"character":0}}]}}'
  frame '{"jsonrpc":"2.0","id":2,"method":"provenant/documentProvenance","params":{"textDocument":{"uri":"'"$uri"'"}}}'
  frame '{"jsonrpc":"2.0","method":"textDocument/didSave","params":{"textDocument":{"uri":"'"$uri"'"}}}'
  frame '{"jsonrpc":"2.0","id":3,"method":"provenant/sync","params":null}'
  frame '{"jsonrpc":"2.0","id":4,"method":"shutdown","params":null}'
  frame '{"jsonrpc":"2.0","method":"exit","params":null}'
} > session.lsp

# What the editor saved: the same text the session produced.
cat >> app.py <<'PY'

# greeting helpers
def clamp(value, low, high):
    return max(low, min(value, high))
LIMITS = {
    "low": 0, "high": 10,
}
PY
echo; echo "== replaying $(grep -c 'Content-Length' session.lsp) LSP messages through provenant lsp"
"$bin" lsp < session.lsp > lsp-replies.txt
echo "the sidecar answered $(grep -o 'Content-Length' lsp-replies.txt | wc -l) requests"
rm session.lsp lsp-replies.txt

echo; echo "== provenant status (pending provenance)"
"$bin" status
echo; echo "== git commit (the post-commit hook queues the commit; a background provenant writes its note)"
git add app.py && git commit -q -m "Add clamp and limits"
git log -1 --format='%h %s'
echo; echo "== provenant show"
"$bin" show
echo; echo "== provenant blame app.py"
"$bin" blame app.py
echo; echo "== provenant report (how much of it is AI, and how far it got)"
"$bin" report --by tool
"$bin" report --format html --output report.html
echo "the same report as a page: $demo/report.html (opens with no network)"
echo; echo "demo repository left at $demo"
