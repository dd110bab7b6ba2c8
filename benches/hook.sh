#!/usr/bin/env bash
# The hook's cost on `git commit`: a repository of 2,000 files (200 proposals), one staged KEP,
# committed N times each way in alternation: with the hook and a stale TOC (the hook regenerates
# and restages it), with the hook and a fresh TOC (a text edit: checked, nothing to restage), and
# with --no-verify. Reports the medians and what the hook adds. Usage: benches/hook.sh [N]   (default 41)
set -euo pipefail
runs=${1:-41}
source "$(dirname "$0")/common.sh"
git kep install >/dev/null 2>&1
kep=proposals/001-proposal/README.md
stale=(); fresh=(); without=()
for i in $(seq 1 "$runs"); do
  printf '\n## Added %s\n' "$i" >> "$kep"; git add "$kep"
  t=$(now); git commit -q -m "stale TOC $i" 2>/dev/null; stale+=($(( ($(now) - t) / 1000 )))
  printf '\nMore text %s.\n' "$i" >> "$kep"; git add "$kep"
  t=$(now); git commit -q -m "fresh TOC $i" 2>/dev/null; fresh+=($(( ($(now) - t) / 1000 )))
  printf '\nPlain %s.\n' "$i" >> "$kep"; git add "$kep"
  t=$(now); git commit -q --no-verify -m "without hook $i"; without+=($(( ($(now) - t) / 1000 )))
done
a=$(median "${stale[@]}"); f=$(median "${fresh[@]}"); b=$(median "${without[@]}")
echo "git commit, 2,000 files, 1 staged KEP, median of $runs: without hook ${b} us;"
echo "  with hook, stale TOC (restaged): ${a} us, hook adds $(( a - b )) us"
echo "  with hook, fresh TOC (text edit): ${f} us, hook adds $(( f - b )) us"
