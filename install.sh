#!/bin/sh
# Installs git-kep (idempotent): builds and installs the binary, checks that `git kep` resolves,
# installs the man page, and with --hook (or when asked) the pre-commit hook in this repository.
set -eu
start_dir=$(pwd)
cd "$(dirname "$0")"

want_hook=no
for arg in "$@"; do
  case "$arg" in
    --hook) want_hook=yes ;;
    -h|--help) echo "usage: ./install.sh [--hook]   (--hook: also install the pre-commit hook in the current repository)"; exit 0 ;;
    *) echo "install.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

command -v cargo >/dev/null 2>&1 || { echo "install.sh: cargo is needed: https://rustup.rs" >&2; exit 1; }
# On Linux with glibc, link statically (a static-pie: still randomized): the hook starts on every
# commit, and without the dynamic loader git-kep starts sooner (measured side by side,
# benches/README.md: 0.8-0.9 ms of every commit). Naming the target keeps the flag off build
# scripts and proc macros, which must stay dynamic libraries.
echo "Building git-kep with cargo (a minute or two the first time; prebuilt instead: pipx install git-kep)..."
host=$(rustc -vV 2>/dev/null | sed -n 's/^host: //p')
case "$host" in
  *-linux-gnu)
    RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }-C target-feature=+crt-static"
    export RUSTFLAGS
    cargo install --path . --locked --quiet --target "$host" ;;
  *) cargo install --path . --locked --quiet ;;
esac

bin_dir="${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin"
if command -v git-kep >/dev/null 2>&1 && git kep --version >/dev/null 2>&1 && [ "$(command -v git-kep)" = "$bin_dir/git-kep" ]; then
  echo "git kep is ready: $(git kep --version)"
else
  echo "git-kep was installed to $bin_dir, which is not on your PATH. Add this line to your shell profile:"
  echo "  export PATH=\"$bin_dir:\$PATH\""
  PATH="$bin_dir:$PATH"
  export PATH
fi

# man finds pages in ../share/man next to every bin directory on PATH.
man_dir="$(dirname "$bin_dir")/share/man/man1"
if mkdir -p "$man_dir" && "$bin_dir/git-kep" man > "$man_dir/git-kep.1.tmp"; then
  mv "$man_dir/git-kep.1.tmp" "$man_dir/git-kep.1"
  echo "Installed the man page: $man_dir/git-kep.1 (git kep --help opens it)"
fi

# The hook goes into the repository of the directory install.sh was started from, unless that is
# git-kep's own clone (its sources are not proposals).
own_top=$(git rev-parse --show-toplevel 2>/dev/null || true)
if top=$(cd "$start_dir" && git rev-parse --show-toplevel 2>/dev/null); then
  if [ "$top" = "$own_top" ]; then
    echo "This is git-kep's own repository: no hook here. Run $0 --hook from your proposals repository."
  elif [ "$want_hook" = yes ]; then
    echo "Installing the pre-commit hook in $top"
    (cd "$top" && "$bin_dir/git-kep" install)
  else
    echo "To refresh TOCs on every commit in $top, run there: git kep install   (or ./install.sh --hook)"
  fi
elif [ "$want_hook" = yes ]; then
  echo "install.sh: --hook needs to be run from inside a git repository (cd into it, then run $0 --hook)" >&2
  exit 1
fi
