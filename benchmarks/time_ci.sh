#!/usr/bin/env bash
# A clean CI run timed: clones the committed HEAD of this repository into a fresh folder and runs
# `bash .ci/run` there (venv, npm assets, JupyterLab, every test, the book, the browser suite), as CI
# does. Prints the wall time, the time of each phase (from the time stamp of each output line) and
# the load average before and after; the full log is kept. Chromium and Node.js should already be
# installed (.ci/install-system-deps then installs nothing). pip's and npm's caches stay warm.
# Usage, from the repository root:  bash benchmarks/time_ci.sh [log file]
set -euo pipefail
cd "$(dirname "$0")/.."
log="${1:-$(mktemp /tmp/relulab-ci-XXXX.log)}"
dir=$(mktemp -d)
git clone --quiet --no-hardlinks . "$dir/clone"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start=${EPOCHREALTIME/./}   # microseconds
set +e
(cd "$dir/clone" && CI=true bash .ci/run 2>&1) | while IFS= read -r line; do
  now=${EPOCHREALTIME/./}
  printf '%5d.%d %s\n' $(((now - start) / 1000000)) $(((now - start) / 100000 % 10)) "$line"
done > "$log"
status=${PIPESTATUS[0]}
set -e
end=${EPOCHREALTIME/./}
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
rm -rf "$dir"
printf 'clean .ci/run: %d s, exit %s (load average before: %s, after: %s); log: %s\n' \
  $(((end - start) / 1000000)) "$status" "$load_before" "$load_after" "$log"
echo "phases (seconds since the start when the line was printed):"
grep -E "passed|failed|jupyter-book build|build succeeded|npm ci|postBuild:|install-system-deps:|make\[1\]: (Entering|Leaving)" "$log" \
  | grep -vE "^ *[0-9.]+ +(PASSED|FAILED) " | head -40
exit "$status"
