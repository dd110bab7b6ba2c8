# Sourced by the benchmark scripts: installs git-kep as ./install.sh does (same build) into a
# temporary root first on PATH, and creates a repository of $files files (default 2,000: 200
# proposals and the rest other files) in $repo, then cds into it. With KEP=FILE the first
# proposal starts as that file (a real KEP rather than a few lines), with TEMPLATE=FILE the
# repository has that template folder (proposals/NNNN-kep-template/README.md), as k8s does;
# STYLE=html sets kep.tocStyle (mdtoc's TOCs, as k8s's CI checks them).
KEP=${KEP:+$(realpath "$KEP")} TEMPLATE=${TEMPLATE:+$(realpath "$TEMPLATE")}
cd "$(dirname "$0")/.."
bench_root=$(mktemp -d)
CARGO_INSTALL_ROOT="$bench_root" ./install.sh >/dev/null
export PATH="$bench_root/bin:$PATH" GIT_CONFIG_NOSYSTEM=1 HOME=$(mktemp -d)
repo=$(mktemp -d); trap 'rm -rf "$repo" "$HOME" "$bench_root"' EXIT
cd "$repo"
git init -q -b main && git config user.name bench && git config user.email bench@example.com
if [ -n "${STYLE:-}" ]; then git config kep.tocStyle "$STYLE"; fi
for i in $(seq -w 1 200); do
  mkdir -p "proposals/$i-proposal"
  printf '# Proposal %s\n\n<!-- toc -->\n- [Proposal %s](#proposal-%s)\n  - [Summary](#summary)\n<!-- /toc -->\n\n## Summary\n\nText.\n' "$i" "$i" "$i" > "proposals/$i-proposal/README.md"
done
if [ -n "${KEP:-}" ]; then cp "$KEP" proposals/001-proposal/README.md; fi
if [ -n "${TEMPLATE:-}" ]; then mkdir -p proposals/NNNN-kep-template && cp "$TEMPLATE" proposals/NNNN-kep-template/README.md; fi
files=${files:-2000}
mkdir -p src; for i in $(seq 1 $(( files - 200 ))); do echo "file $i" > "src/file$i.txt"; done
git add -A && git commit -q -m init
# Let the file system write the repository just created out first: while it flushes those
# thousands of new files, creating any file costs ~1 ms instead of ~20 us, which would fall on
# whatever creates the most files (restaging creates three) and measure the set-up, not the hook.
sync
# Microseconds, into the variable named $1: bash's own clock (bash 5), so timing starts no process
# (`$(date +%s%N)` forks and execs, adding 1-2 ms to every interval measured).
stamp() { printf -v "$1" '%s' "${EPOCHREALTIME/[.,]/}"; }
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
# Saves two staged states of proposal 001 into $saved (index.STATE, kep.STATE): "fresh" (a text
# edit, TOC still right) and "stale" (a new section: the hook regenerates and restages).
kep=proposals/001-proposal/README.md
save_fresh_and_stale_states() {
  saved=$(mktemp -d); trap 'rm -rf "$repo" "$HOME" "$bench_root" "$saved"' EXIT
  printf '\nMore text.\n' >> "$kep"; git add "$kep"
  cp .git/index "$saved/index.fresh"; cp "$kep" "$saved/kep.fresh"
  git reset -q --hard
  printf '\n## Added\n' >> "$kep"; git add "$kep"
  cp .git/index "$saved/index.stale"; cp "$kep" "$saved/kep.stale"
}
