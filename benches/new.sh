#!/usr/bin/env bash
# `git kep new` in a repository of 2,000 files with 200 proposals: median wall time of N runs,
# each undone before the next. Usage: benches/new.sh [N]   (default 21)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-21}
cargo build --release --quiet
export PATH="$PWD/target/release:$PATH" GIT_CONFIG_NOSYSTEM=1 HOME=$(mktemp -d)
repo=$(mktemp -d); trap 'rm -rf "$repo" "$HOME"' EXIT
cd "$repo"
git init -q -b main && git config user.name bench && git config user.email bench@example.com
for i in $(seq -w 1 200); do
  mkdir -p "proposals/$i-proposal"
  printf '# Proposal %s\n\n<!-- toc -->\n<!-- /toc -->\n' "$i" > "proposals/$i-proposal/README.md"
done
mkdir -p src; for i in $(seq 1 1800); do echo "file $i" > "src/file$i.txt"; done
git add -A && git commit -q -m init
times=()
for i in $(seq 1 "$runs"); do
  t=$(date +%s%N); git kep new "Bench Idea" >/dev/null; times+=($(( ($(date +%s%N) - t) / 1000 )))
  git switch -q main && git branch -q -D kep/201-Bench-Idea && git rm -rq --cached proposals/201-Bench-Idea && rm -rf proposals/201-Bench-Idea
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
echo "git kep new, 2,000 files and 200 proposals, median of $runs: ${median} us"
