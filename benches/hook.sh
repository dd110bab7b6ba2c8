#!/usr/bin/env bash
# The hook's cost on `git commit`: a repository of 2,000 files (200 proposals), one staged KEP
# whose TOC is stale, committed with the hook and with --no-verify in alternation, N times each.
# Reports the median of each and the difference. Usage: benches/hook.sh [N]   (default 41)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-41}
cargo build --release --quiet
export PATH="$PWD/target/release:$PATH" GIT_CONFIG_NOSYSTEM=1 HOME=$(mktemp -d)
repo=$(mktemp -d); trap 'rm -rf "$repo" "$HOME"' EXIT
cd "$repo"
git init -q -b main && git config user.name bench && git config user.email bench@example.com
for i in $(seq -w 1 200); do
  mkdir -p "proposals/$i-proposal"
  printf '# Proposal %s\n\n<!-- toc -->\n- [Proposal %s](#proposal-%s)\n  - [Summary](#summary)\n<!-- /toc -->\n\n## Summary\n\nText.\n' "$i" "$i" "$i" > "proposals/$i-proposal/README.md"
done
mkdir -p src; for i in $(seq 1 1800); do echo "file $i" > "src/file$i.txt"; done
git add -A && git commit -q -m init
git kep install >/dev/null 2>&1
kep=proposals/001-proposal/README.md
now() { date +%s%N; }
with=(); without=()
for i in $(seq 1 "$runs"); do
  printf '\n## Added %s\n' "$i" >> "$kep"; git add "$kep"
  t=$(now); git commit -q -m "with hook $i" 2>/dev/null; with+=($(( ($(now) - t) / 1000 )))
  printf '\n## Plain %s\n' "$i" >> "$kep"; git add "$kep"
  t=$(now); git commit -q --no-verify -m "without hook $i"; without+=($(( ($(now) - t) / 1000 )))
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
a=$(median "${with[@]}"); b=$(median "${without[@]}")
echo "git commit, 2,000 files, 1 staged KEP, median of $runs: with hook ${a} us, without ${b} us, hook adds $(( a - b )) us (ratio $(awk "BEGIN{printf \"%.2f\", $a/$b}"))"
