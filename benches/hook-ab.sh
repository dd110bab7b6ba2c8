#!/usr/bin/env bash
# Two builds of git-kep side by side: real `git commit`s with the hook of each, alternating (A B,
# then B A), in the repository of benches/common.sh; reports each one's median and the median of
# the paired differences, which the machine's drift from minute to minute mostly cancels out.
# Usage: benches/hook-ab.sh OLD_BINARY NEW_BINARY [heading|text|other] [PAIRS]
#   heading: a heading edit (the TOC is regenerated and restaged); text: a text edit (TOC fresh);
#   other: a commit that stages no proposal. Default heading, 41 pairs. KEP=FILE TEMPLATE=FILE as
#   in common.sh. An old binary: `git worktree add /tmp/old REV && CARGO_INSTALL_ROOT=/tmp/old-bin
#   /tmp/old/install.sh`, then /tmp/old-bin/bin/git-kep.
set -euo pipefail
old=$(realpath "$1"); new=$(realpath "$2"); mode=${3:-heading}; pairs=${4:-41}
source "$(dirname "$0")/common.sh"
# Fresh copies of both, made together: here a binary file copied long ago starts slower than a
# fresh copy of itself (more page faults: 120 against 103 for `--version`), which biased the
# paired differences of two identical builds by 0.4-0.7 ms.
copies="$bench_root/ab"; mkdir "$copies"; cp "$old" "$copies/a"; cp "$new" "$copies/b"; old=$copies/a; new=$copies/b
kep=proposals/001-proposal/README.md
hooks_of() {
  local dir; dir=$(mktemp -d)
  printf '#!/bin/sh\nexec %s pre-commit "$@"\n' "$1" > "$dir/pre-commit"; chmod +x "$dir/pre-commit"
  echo "$dir"
}
old_hooks=$(hooks_of "$old"); new_hooks=$(hooks_of "$new")
commit_with() {
  case "$mode" in
    heading) printf '\n## Heading %s\n' "$RANDOM" >> "$kep"; git add "$kep" ;;
    text) printf '\nText %s.\n' "$RANDOM" >> "$kep"; git add "$kep" ;;
    other) echo "other $RANDOM" >> src/file1.txt; git add src/file1.txt ;;
    *) echo "hook-ab.sh: unknown mode $mode" >&2; exit 2 ;;
  esac
  stamp t; git -c core.hooksPath="$1" commit -q -m "$mode" 2>/dev/null; stamp u
  echo $(( u - t ))
}
a=(); b=(); diff=()
for i in $(seq 1 "$pairs"); do
  if (( i % 2 )); then x=$(commit_with "$old_hooks"); y=$(commit_with "$new_hooks")
  else y=$(commit_with "$new_hooks"); x=$(commit_with "$old_hooks"); fi
  a+=("$x"); b+=("$y"); diff+=($(( y - x )))
done
rm -rf "$old_hooks" "$new_hooks"
echo "git commit with the hook, $mode, $files files, $pairs pairs: old $(median "${a[@]}") us, new $(median "${b[@]}") us; median of the paired differences (new - old): $(median "${diff[@]}") us"
