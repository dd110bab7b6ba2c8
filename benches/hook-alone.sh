#!/usr/bin/env bash
# git-kep's own part of the hook, without git commit around it: `git-kep pre-commit` run by hand
# on the same staged state N times (index and file restored before each run), for a staged
# proposal whose TOC is fresh and for one whose TOC is regenerated and restaged, next to
# `git-kep --version` (starting the process). Usage: benches/hook-alone.sh [N] [FILES]
# (default 201 runs, 2,000 files).
set -euo pipefail
runs=${1:-201}
files=${2:-2000}
source "$(dirname "$0")/common.sh"
save_fresh_and_stale_states
version=(); fresh=(); stale=()
for _ in $(seq 1 "$runs"); do
  stamp t; git-kep --version >/dev/null; stamp u; version+=($(( u - t )))
  for state in fresh stale; do
    cp "$saved/index.$state" .git/index; cp "$saved/kep.$state" "$kep"
    stamp t; GIT_INDEX_FILE=.git/index git-kep pre-commit 2>/dev/null; stamp u; took=$(( u - t ))
    if [ "$state" = fresh ]; then fresh+=("$took"); else stale+=("$took"); fi
  done
done
git diff --cached --quiet HEAD -- "$kep" && { echo "the stale TOC was not restaged" >&2; exit 1; }
echo "git-kep alone, $files files, median of $runs: --version $(median "${version[@]}") us;" \
  "pre-commit with a fresh TOC $(median "${fresh[@]}") us; with a stale TOC (restaged) $(median "${stale[@]}") us"
