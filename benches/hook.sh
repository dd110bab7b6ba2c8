#!/usr/bin/env bash
# The hook's cost on `git commit`: a repository of 2,000 files (200 proposals), one staged KEP
# whose TOC is stale, committed with the hook and with --no-verify in alternation, N times each.
# Reports the median of each and the difference. Usage: benches/hook.sh [N]   (default 41)
set -euo pipefail
runs=${1:-41}
source "$(dirname "$0")/common.sh"
git kep install >/dev/null 2>&1
kep=proposals/001-proposal/README.md
with=(); without=()
for i in $(seq 1 "$runs"); do
  printf '\n## Added %s\n' "$i" >> "$kep"; git add "$kep"
  t=$(now); git commit -q -m "with hook $i" 2>/dev/null; with+=($(( ($(now) - t) / 1000 )))
  printf '\n## Plain %s\n' "$i" >> "$kep"; git add "$kep"
  t=$(now); git commit -q --no-verify -m "without hook $i"; without+=($(( ($(now) - t) / 1000 )))
done
a=$(median "${with[@]}"); b=$(median "${without[@]}")
echo "git commit, 2,000 files, 1 staged KEP, median of $runs: with hook ${a} us, without ${b} us, hook adds $(( a - b )) us (ratio $(awk "BEGIN{printf \"%.2f\", $a/$b}"))"
