#!/usr/bin/env bash
# Cold book build: the environment (.venv) is kept, the build directory and its execution cache are
# removed, then `make book` runs as a reader's first build would. Prints the wall time in seconds.
# Usage, from the repository root:  bash benchmarks/time_book.sh   (RELULAB_SEED=s works too)
set -euo pipefail
cd "$(dirname "$0")/.."
make --no-print-directory .venv/.requirements-installed > /dev/null
rm -rf _build
log=$(mktemp)
load=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date +%s%N)
make --no-print-directory book > "$log" 2>&1 || { tail -40 "$log"; exit 1; }
end=$(date +%s%N)
rm -f "$log"
tenths=$(( (end - start) / 100000000 ))
printf 'cold make book: %d.%d s (load average before: %s)\n' $((tenths / 10)) $((tenths % 10)) "$load"
