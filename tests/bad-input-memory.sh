#!/usr/bin/env bash
# Peak memory (maximum resident set size) of `hybridsearch index` on the bad-input corpus against a clean manifest of
# the same good records (tests/HybridSearch.Tests/Ingestion/BadInputCorpus.cs writes both). The issue's bound: the bad
# corpus stays within 300 MB of the clean run. Needs Linux and GNU time (apt-get install time). Prints one JSON line last.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [[ ! -x /usr/bin/time ]]; then
  echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2
  exit 1
fi

dotnet build -c Release "$repo/src/HybridSearch.Cli" -o "$work/cli" > "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
HYBRIDSEARCH_BAD_CORPUS_DIR="$work/generated" dotnet test "$repo/tests/HybridSearch.Tests" \
  --filter "FullyQualifiedName~Writes_the_bad_input_corpus_for_the_memory_measurement" > "$work/generate.log" 2>&1 \
  || { cat "$work/generate.log" >&2; exit 1; }

declare -A rss exit_code seconds
for name in clean corpus; do
  set +e
  /usr/bin/time -v dotnet "$work/cli/HybridSearch.Cli.dll" index --index "$work/index-$name" \
    --manifest "$work/generated/corpus/$name.jsonl" > "$work/$name.out" 2> "$work/$name.err"
  exit_code[$name]=$?
  set -e
  rss[$name]=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$name.err")
  seconds[$name]=$(grep -o 'in [0-9.]* s' "$work/$name.out" | head -1 | tr -dc '0-9.')
  echo "$name: exit ${exit_code[$name]}, max RSS ${rss[$name]} KB, $(head -1 "$work/$name.out")" >&2
done

delta_mb=$(( (rss[corpus] - rss[clean]) / 1024 ))
within=$([[ $delta_mb -le 300 ]] && echo true || echo false)
echo "{\"clean_exit\":${exit_code[clean]},\"corpus_exit\":${exit_code[corpus]},\"clean_max_rss_kb\":${rss[clean]},\"corpus_max_rss_kb\":${rss[corpus]},\"delta_mb\":$delta_mb,\"within_300_mb\":$within,\"clean_seconds\":${seconds[clean]:-0},\"corpus_seconds\":${seconds[corpus]:-0}}"
