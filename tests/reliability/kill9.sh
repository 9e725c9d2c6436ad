#!/usr/bin/env bash
# kill -9 mid-ingest, TRIALS times: every record committed before the kill survives, the survivor is exactly a
# commit (base + a multiple of --commit-every), `check` is clean (no orphan children), and the index is writable
# again at once.   Usage: tests/reliability/kill9.sh [TRIALS] [WORKDIR]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CLI=(dotnet "$ROOT/src/HybridSearch.Cli/bin/Debug/net10.0/HybridSearch.Cli.dll")
TRIALS=${1:-20}
WORK=${2:-$(mktemp -d)}
EVERY=50
python3 "$ROOT/tests/reliability/make-manifest.py" 300 "$WORK/base.jsonl"
python3 "$ROOT/tests/reliability/make-manifest.py" 1000 "$WORK/more.jsonl.tmp" && sed 's/"id": "r/"id": "m/' "$WORK/more.jsonl.tmp" > "$WORK/more.jsonl"
rm -rf "$WORK/base" && "${CLI[@]}" index --index "$WORK/base" --manifest "$WORK/base.jsonl" >/dev/null 2>&1 || { echo "indexing the base failed"; exit 1; }
records() { "${CLI[@]}" stats --index "$1" --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["records"])'; }
lost=0; clean=0; at_commit=0; writable=0
for trial in $(seq 1 "$TRIALS"); do
  idx="$WORK/trial"; rm -rf "$idx" && cp -r "$WORK/base" "$idx"
  "${CLI[@]}" index --index "$idx" --manifest "$WORK/more.jsonl" --commit-every $EVERY >/dev/null 2>"$WORK/writer.err" &
  writer=$!
  sleep $(python3 -c "import random; print(random.uniform(3, 12))")
  before=$(records "$idx")        # committed before the kill (a reader sees the last commit)
  kill -9 $writer; wait $writer 2>/dev/null
  after=$(records "$idx")
  [ "${after:-0}" -lt "${before:-0}" ] && lost=$((lost + before - after))
  [ $(( (${after:-1} - 300) % EVERY )) -eq 0 ] && at_commit=$((at_commit+1))
  "${CLI[@]}" check --index "$idx" >"$WORK/check.out" 2>&1 && clean=$((clean+1))
  "${CLI[@]}" delete --index "$idx" --id r00000 >/dev/null 2>&1 && writable=$((writable+1))
  echo "trial $trial: committed before kill $before, after $after; check: $(head -1 "$WORK/check.out")"
done
echo "{\"trials\":$TRIALS,\"committed_records_lost\":$lost,\"survivor_at_a_commit\":$at_commit,\"check_clean\":$clean,\"writable_after\":$writable}"
