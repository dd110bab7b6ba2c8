#!/usr/bin/env bash
# Two builds side by side on git-kep's own part of the hook (no `git commit` around it, so the
# machine's noise is the process's alone): `A pre-commit` and `B pre-commit` alternately on the
# same staged state (index and file restored before each run): a fresh TOC, and a stale one
# that is regenerated and restaged. Prints each one's median and the median of the paired
# differences. Usage: benches/alone-ab.sh A B [RUNS] (KEP=FILE TEMPLATE=FILE as in common.sh).
set -euo pipefail
a=$(realpath "$1"); b=$(realpath "$2"); runs=${3:-201}
source "$(dirname "$0")/common.sh"
# Fresh copies of both, made together: here a binary file copied long ago starts slower than a
# fresh copy of itself (more page faults: 120 against 103 for `--version`), which biased the
# paired differences of two identical builds by 0.4-0.7 ms.
copies="$bench_root/ab"; mkdir "$copies"; cp "$a" "$copies/a"; cp "$b" "$copies/b"; a=$copies/a; b=$copies/b
save_fresh_and_stale_states
run() { # $1 binary, $2 state: prints microseconds
  cp "$saved/index.$2" .git/index; cp "$saved/kep.$2" "$kep"
  stamp t; GIT_INDEX_FILE=.git/index "$1" pre-commit 2>/dev/null; stamp u; echo $(( u - t ))
}
for state in fresh stale; do
  xs=(); ys=(); ds=()
  for i in $(seq 1 "$runs"); do
    if (( i % 2 )); then x=$(run "$a" $state); y=$(run "$b" $state); else y=$(run "$b" $state); x=$(run "$a" $state); fi
    xs+=("$x"); ys+=("$y"); ds+=($(( y - x )))
  done
  echo "$state TOC, $files files, $runs pairs: A $(median "${xs[@]}") us, B $(median "${ys[@]}") us; median of the paired differences (B - A): $(median "${ds[@]}") us"
done
