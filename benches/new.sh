#!/usr/bin/env bash
# `git kep new` in a repository of 2,000 files with 200 proposals: median wall time of N runs,
# each undone before the next. Usage: benches/new.sh [N]   (default 21)
set -euo pipefail
runs=${1:-21}
source "$(dirname "$0")/common.sh"
times=()
for _ in $(seq 1 "$runs"); do
  stamp t; git kep new "Bench Idea" >/dev/null; stamp u; times+=($(( u - t )))
  git switch -q main && git branch -q -D kep/201-Bench-Idea && git rm -rq --cached proposals/201-Bench-Idea && rm -rf proposals/201-Bench-Idea
done
echo "git kep new, 2,000 files and 200 proposals, median of $runs: $(median "${times[@]}") us"
