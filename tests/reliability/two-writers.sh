#!/usr/bin/env bash
# Two writers: TRIALS times, a second `delete` or `index` is started on an index while an `index` run writes to it.
# Every second writer must be refused (exit 1, naming the index and the holder's PID), no record lost, the index
# must open and `check` clean afterwards.   Usage: tests/reliability/two-writers.sh [TRIALS] [WORKDIR]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CLI=(dotnet "$ROOT/src/HybridSearch.Cli/bin/Debug/net10.0/HybridSearch.Cli.dll")
TRIALS=${1:-20}
WORK=${2:-$(mktemp -d)}
python3 "$ROOT/tests/reliability/make-manifest.py" 300 "$WORK/base.jsonl"
python3 "$ROOT/tests/reliability/make-manifest.py" 400 "$WORK/more.jsonl.tmp" && sed 's/"id": "r/"id": "m/' "$WORK/more.jsonl.tmp" > "$WORK/more.jsonl"
rm -rf "$WORK/base" && "${CLI[@]}" index --index "$WORK/base" --manifest "$WORK/base.jsonl" >/dev/null 2>&1 || { echo "indexing the base failed"; exit 1; }
records() { "${CLI[@]}" stats --index "$1" --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["records"])'; }
refused=0; lost=0; opens=0; clean=0
for trial in $(seq 1 "$TRIALS"); do
  idx="$WORK/trial"; rm -rf "$idx" && cp -r "$WORK/base" "$idx"
  "${CLI[@]}" index --index "$idx" --manifest "$WORK/more.jsonl" --commit-every 50 >"$WORK/writer.out" 2>"$WORK/writer.err" &
  writer=$!
  # The writer holds the lock once it has written its PID; start the second writer then.
  for _ in $(seq 1 600); do [ "$(cat "$idx/hybridsearch-writer.owner" 2>/dev/null)" = "$writer" ] && break; sleep 0.05; done
  if [ $((trial % 2)) -eq 1 ]; then second=(delete --index "$idx" --id r00001); else second=(index --index "$idx" --manifest "$WORK/base.jsonl"); fi
  msg=$("${CLI[@]}" "${second[@]}" 2>&1); code=$?
  running=$(kill -0 $writer 2>/dev/null && echo yes || echo no)
  wait $writer; wcode=$?
  if [ $code -eq 1 ] && grep -q "locked by another writer (process $writer)" <<<"$msg" && grep -qF "$idx" <<<"$msg"; then refused=$((refused+1)); fi
  n=$(records "$idx"); [ -n "$n" ] && opens=$((opens+1))
  expected=700; [ "${n:-0}" -lt $expected ] && lost=$((lost + expected - ${n:-0}))
  "${CLI[@]}" check --index "$idx" >/dev/null 2>&1 && clean=$((clean+1))
  echo "trial $trial: second '${second[0]}' exit $code (writer still running: $running, writer exit $wcode), records $n of $expected: $(head -c 150 <<<"$msg")"
done
echo "{\"trials\":$TRIALS,\"refused\":$refused,\"records_lost\":$lost,\"index_opens\":$opens,\"check_clean\":$clean}"
