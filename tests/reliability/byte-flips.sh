#!/usr/bin/env bash
# Byte flips in every file of a committed index: each flip must be detected by `hybridsearch check` (exit 4, the
# file named) or be harmless (check clean and the same search results as before); no command may exit 3.
# Usage: tests/reliability/byte-flips.sh [MANIFEST] [WORKDIR]   (run `dotnet build` first)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CLI=(dotnet "$ROOT/src/HybridSearch.Cli/bin/Debug/net10.0/HybridSearch.Cli.dll")
WORK=${2:-$(mktemp -d)}
MANIFEST=${1:-$WORK/manifest.jsonl}
[ -f "$MANIFEST" ] || python3 "$ROOT/tests/reliability/make-manifest.py" 300 "$MANIFEST"
QUERIES=$WORK/queries.jsonl
printf '%s\n' '{"id":"q1","text":"river bridge"}' '{"id":"q2","text":"mountain lake at sunrise"}' '{"id":"q3","text":"market"}' > "$QUERIES"
rm -rf "$WORK/base" && "${CLI[@]}" index --index "$WORK/base" --manifest "$MANIFEST" --commit-every 25 >/dev/null 2>&1 || { echo "indexing failed"; exit 1; }
# took_ms differs run to run; everything else must be identical.
strip() { sed -E 's/"took_ms":[0-9.]+,//'; }
"${CLI[@]}" search --index "$WORK/base" --queries "$QUERIES" --top 10 2>/dev/null | strip > "$WORK/base.results" || { echo "baseline search failed"; exit 1; }
detected=0; harmless=0; bad=0; trials=0; search_silent_same=0; search_silent_different=0
for path in "$WORK"/base/*; do
  file=$(basename "$path")
  case "$file" in write.lock|hybridsearch-writer.*) continue;; esac
  size=$(stat -c %s "$path")
  [ "$size" -gt 0 ] || continue
  for offset in 0 $((size / 3)) $((size / 2)) $((size - 9)) $((size - 1)); do
    [ "$offset" -ge 0 ] || continue
    trials=$((trials + 1))
    rm -rf "$WORK/flip" && cp -r "$WORK/base" "$WORK/flip"
    python3 - "$WORK/flip/$file" "$offset" <<'PY'
import sys
p, o = sys.argv[1], int(sys.argv[2])
with open(p, 'r+b') as f:
    f.seek(o); b = f.read(1); f.seek(o); f.write(bytes([b[0] ^ 0xFF]))
PY
    check_out=$("${CLI[@]}" check --index "$WORK/flip" 2>&1); check=$?
    search_out=$("${CLI[@]}" search --index "$WORK/flip" --queries "$QUERIES" --top 10 2>"$WORK/search.err"); search=$?
    search_out=$(strip <<<"$search_out")
    stats_out=$("${CLI[@]}" stats --index "$WORK/flip" --json 2>&1); stats=$?
    verdict=BAD
    if [ $check -eq 4 ] && grep -qF "$file" <<<"$check_out"; then verdict=detected
    elif [ $check -eq 0 ] && [ $search -eq 0 ] && [ "$search_out" = "$(cat "$WORK/base.results")" ]; then verdict=harmless
    fi
    if [ $check -eq 3 ] || [ $search -eq 3 ] || [ $stats -eq 3 ]; then verdict=BAD; fi
    case $verdict in detected) detected=$((detected+1));; harmless) harmless=$((harmless+1));; *) bad=$((bad+1));; esac
    # Damage that `check` finds but a search does not touch: does the search still answer as before?
    if [ $verdict = detected ] && [ $search -eq 0 ]; then
      if [ "$search_out" = "$(cat "$WORK/base.results")" ]; then search_silent_same=$((search_silent_same+1)); else search_silent_different=$((search_silent_different+1)); fi
    fi
    echo "$file@$offset check=$check search=$search stats=$stats $verdict $( [ $search -ne 0 ] && head -c 160 "$WORK/search.err" | tr '\n' ' ')"
  done
done
echo "{\"trials\":$trials,\"detected\":$detected,\"harmless\":$harmless,\"bad\":$bad,\"detected_but_search_exit0_same_results\":$search_silent_same,\"detected_but_search_exit0_different_results\":$search_silent_different}"
