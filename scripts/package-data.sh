#!/bin/sh
# Writes what the packages ship beside the binary: the man page and the shell completions, as
# the binary prints them, under packaging/wheel/data/share/ (the wheel's data directory, see
# pyproject.toml; the release archives carry the same files). They are committed, so that
# `pip install` from a source distribution and the cross-compiled wheels need no step of their
# own; tests/packaging.rs fails when they differ from what the binary prints. Run it after a
# change to the command line, the man page or the version:
#   sh scripts/package-data.sh                    # builds with cargo
#   sh scripts/package-data.sh target/release/git-kep
set -eu
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then
  bin=$1
else
  cargo build --quiet --locked
  bin=target/debug/git-kep
fi
share=packaging/wheel/data/share
mkdir -p "$share/man/man1" "$share/bash-completion/completions" "$share/zsh/site-functions" \
  "$share/fish/vendor_conf.d"
"$bin" man > "$share/man/man1/git-kep.1"
"$bin" completions bash > "$share/bash-completion/completions/git-kep"
"$bin" completions zsh > "$share/zsh/site-functions/_git-kep"
"$bin" completions fish > "$share/fish/vendor_conf.d/git-kep.fish"
echo "package-data.sh: wrote $share from $("$bin" --version)"
