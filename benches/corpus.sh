#!/usr/bin/env bash
# The whole binary over the k8s corpus: wall time (median of 21) and peak memory of
# `git kep toc --check --style html` in a repository with kep.dir = keps.
# Usage: benches/corpus.sh   (needs ../shared; builds the release binary)
set -euo pipefail
# Times come from bash's own clock (EPOCHREALTIME): `$(date)` would add a process to each run.
cd "$(dirname "$0")/.."
archive=../shared/corpus/k8s-enhancements/keps-toc.tar.gz
[ -f "$archive" ] || { echo "skipped: $archive is not here"; exit 0; }
cargo build --release --quiet
bin=$PWD/target/release/git-kep
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
tar -xzf "$archive" -C "$work"
git -C "$work" init -q && git -C "$work" config kep.dir keps
times=()
for _ in $(seq 21); do
  start=${EPOCHREALTIME/[.,]/}
  (cd "$work" && "$bin" toc --check --style html >/dev/null 2>&1) || true
  end=${EPOCHREALTIME/[.,]/}; times+=($(( end - start )))
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 11p)
rss=$(cd "$work" && { /usr/bin/time -f %M "$bin" toc --check --style html 2>&1 >/dev/null || true; } | tail -n 1)
echo "git kep toc --check --style html over 663 KEPs (20.8 MB): median ${median} us wall, peak RSS ${rss} KB ($(nproc) cores)"

git -C "$work" config kep.tocStyle html
times=()
for _ in $(seq 21); do
  start=${EPOCHREALTIME/[.,]/}
  (cd "$work" && "$bin" check --format json >/dev/null 2>&1) || true
  end=${EPOCHREALTIME/[.,]/}; times+=($(( end - start )))
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 11p)
echo "git kep check --format json over the same corpus (kep.tocStyle = html): median ${median} us wall"
