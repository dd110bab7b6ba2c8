#!/usr/bin/env bash
# The hook's cost on `git commit`: a repository of 2,000 files (200 proposals), one staged KEP,
# committed N times each way in alternation: with the hook and a stale TOC (the hook regenerates
# and restages it), with the hook and a fresh TOC (a text edit: checked, nothing to restage),
# with --no-verify, with a hook that does nothing; and a commit of another file, with and without
# the hook. Reports the medians, what the hook adds and the ratio.
# Usage: benches/hook.sh [N] [FILES]   (default 41 runs, 2,000 files; try 20000 to see what grows
# with the size of the repository). KEP=FILE TEMPLATE=FILE: a real proposal and template (see
# benches/common.sh) instead of a few generated lines and the built-in template; STYLE=html.
# The issue's figure is what git-kep's hook adds over a hook that does nothing; the same with
# every check off shows what refreshing and restaging alone cost.
set -euo pipefail
runs=${1:-41}
files=${2:-2000}
source "$(dirname "$0")/common.sh"
git kep install >/dev/null 2>&1
kep=proposals/001-proposal/README.md
stale=(); fresh=(); without=(); empty=(); other=(); other_without=(); unchecked=()
no_checks="broken-anchor,missing-section,toc-link-target,metadata,metadata-values"
# What any hook costs git (it re-reads the index after the hook): a hook that does nothing.
empty_hook=$(mktemp -d); printf '#!/bin/sh\nexit 0\n' > "$empty_hook/pre-commit"; chmod +x "$empty_hook/pre-commit"
for i in $(seq 1 "$runs"); do
  printf '\n## Added %s\n' "$i" >> "$kep"; git add "$kep"
  stamp t; git commit -q -m "stale TOC $i" 2>/dev/null; stamp u; stale+=($(( u - t )))
  printf '\nMore text %s.\n' "$i" >> "$kep"; git add "$kep"
  stamp t; git commit -q -m "fresh TOC $i" 2>/dev/null; stamp u; fresh+=($(( u - t )))
  printf '\nPlain %s.\n' "$i" >> "$kep"; git add "$kep"
  stamp t; git commit -q --no-verify -m "without hook $i"; stamp u; without+=($(( u - t )))
  echo "other $i" >> src/file1.txt; git add src/file1.txt
  stamp t; git commit -q -m "no proposal $i" 2>/dev/null; stamp u; other+=($(( u - t )))
  echo "other again $i" >> src/file1.txt; git add src/file1.txt
  stamp t; git commit -q --no-verify -m "no proposal, no hook $i"; stamp u; other_without+=($(( u - t )))
  printf '\nEmpty hook %s.\n' "$i" >> "$kep"; git add "$kep"
  stamp t; git -c core.hooksPath="$empty_hook" commit -q -m "empty hook $i"; stamp u; empty+=($(( u - t )))
  printf '\n## Unchecked %s\n' "$i" >> "$kep"; git add "$kep"
  stamp t; git -c kep.checkDisable="$no_checks" commit -q -m "stale TOC, checks off $i" 2>/dev/null; stamp u; unchecked+=($(( u - t )))
done
rm -rf "$empty_hook"
# The machine's speed right now, to compare runs by: this VM's speed moves a lot (a busy host
# makes every process start and every system call slower, and the hook is mostly those).
calibration=()
for i in $(seq 1 "$runs"); do stamp t; /bin/true; stamp u; calibration+=($(( u - t ))); done
a=$(median "${stale[@]}"); f=$(median "${fresh[@]}"); c=$(median "${unchecked[@]}"); b=$(median "${without[@]}"); e=$(median "${empty[@]}"); o=$(median "${other[@]}"); ob=$(median "${other_without[@]}")
ratio() { awk -v x="$1" -v y="$2" 'BEGIN { printf "%.2f", x / y }'; }
echo "git commit, $files files, 1 staged KEP, median of $runs: without hook ${b} us;"
echo "  with a hook that does nothing: ${e} us, any hook adds $(( e - b )) us"
echo "  with hook, stale TOC (restaged): ${a} us, hook adds $(( a - b )) us (ratio $(ratio "$a" "$b"))"
echo "  with hook, fresh TOC (text edit): ${f} us, hook adds $(( f - b )) us (ratio $(ratio "$f" "$b"))"
echo "  over the hook that does nothing: stale TOC +$(( a - e )) us, fresh TOC +$(( f - e )) us;" \
  "stale TOC with every check off +$(( c - e )) us"
echo "another file staged, no proposal: without hook ${ob} us, with hook ${o} us, hook adds $(( o - ob )) us (ratio $(ratio "$o" "$ob"))"
echo "machine speed: starting /bin/true takes $(median "${calibration[@]}") us (median of $runs)"
