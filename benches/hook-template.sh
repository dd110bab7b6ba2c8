#!/usr/bin/env bash
# The hook on a one-line commit in a repository whose template folder holds a large asset
# (default 400 MB, a sparse file): wall time and peak memory of `git-kep pre-commit`, median of
# N runs. Only the template's README.md is read (issue 26: the whole folder was, 415 MB of memory).
# Usage: benches/hook-template.sh [BINARY] [N] [SIZE]   (default: a release build of this tree, 5, 400M)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-}; runs=${2:-5}; size=${3:-400M}
if [ -z "$bin" ]; then cargo build --release -q && bin=$PWD/target/release/git-kep; fi
HOME=$(mktemp -d); export GIT_CONFIG_NOSYSTEM=1 HOME
repo=$(mktemp -d); trap 'rm -rf "$repo" "$HOME"' EXIT
cd "$repo"
git init -q -b main && git config user.name bench && git config user.email bench@example.com
git config kep.dir proposals
mkdir -p proposals/NNNN-kep-template proposals/001-proposal
printf '# Title\n\n<!-- toc -->\n<!-- /toc -->\n\n## Summary\n\n## Motivation\n' > proposals/NNNN-kep-template/README.md
truncate -s "$size" proposals/NNNN-kep-template/asset.bin
printf '# P\n\n<!-- toc -->\n- [P](#p)\n  - [Summary](#summary)\n<!-- /toc -->\n\n## Summary\n\nText.\n' > proposals/001-proposal/README.md
git add -A && git commit -q -m init
printf 'More text.\n' >> proposals/001-proposal/README.md && git add -A
times=(); memory=()
for _ in $(seq 1 "$runs"); do
  rm -f .git/git-kep-template-sections.json   # the sections cache: read the template each run
  /usr/bin/time -o "$HOME/time" -f '%e %M' "$bin" pre-commit >/dev/null 2>&1 || true
  read -r seconds kb < "$HOME/time"; times+=("$seconds"); memory+=("$kb")
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
echo "hook, one-line commit, template folder with a $size asset, median of $runs: $(median "${times[@]}") s, $(median "${memory[@]}") KB peak"
