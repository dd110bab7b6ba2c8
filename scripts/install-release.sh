#!/bin/sh
# Installs a released git-kep binary: downloads the archive for this platform, checks its SHA-256
# against the release's SHA256SUMS, and only then puts git-kep into DIR. The GitHub Action
# (action.yml) runs it for its own ref and builds from source when it exits 3.
#
#   sh install-release.sh [--ref vX.Y.Z] [--target TRIPLE] [--to DIR]
#
# --ref      a release tag (vX.Y.Z, or X.Y.Z); any other ref (a branch, a commit, empty) has no
#            release (default: GIT_KEP_VERSION if set, else the newest release)
# --target   the archive's target triple (default: this machine's; static musl builds on Linux)
# --to       where git-kep goes (default: ~/.local/bin)
#
# GIT_KEP_RELEASE_URL: where the releases are, TAG/FILE below it (default
# https://github.com/git-kep/git-kep/releases/download); a directory, or a file:// URL, works too.
#
# Exit status: 0 installed; 3 no release for this ref or platform (nothing installed: build from
# source); 1 a download failed, or the archive does not match its checksum, or holds no runnable
# git-kep (nothing installed); 2 usage.
set -eu

say() { printf 'install-release.sh: %s\n' "$*" >&2; }
no_release() { say "no release: $*"; exit 3; }
fail() { say "$*"; exit 1; }

ref=${GIT_KEP_VERSION:-}
ref_given=${GIT_KEP_VERSION:+yes}
target=
to="${HOME:-.}/.local/bin"
while [ $# -gt 0 ]; do
  case "$1" in
    --ref) [ $# -ge 2 ] || { say "--ref needs a value"; exit 2; }; ref=$2; ref_given=yes; shift 2 ;;
    --target) [ $# -ge 2 ] || { say "--target needs a value"; exit 2; }; target=$2; shift 2 ;;
    --to) [ $# -ge 2 ] || { say "--to needs a value"; exit 2; }; to=$2; shift 2 ;;
    -h|--help) sed -n '2,19s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) say "unknown argument $1 (see --help)"; exit 2 ;;
  esac
done

base=${GIT_KEP_RELEASE_URL:-https://github.com/git-kep/git-kep/releases/download}
case "$ref" in
  '') [ -z "$ref_given" ] || no_release "no ref given"; tag=latest ;;
  v[0-9]*.*) tag=$ref ;;
  [0-9]*.*) tag=v$ref ;;
  refs/tags/v[0-9]*.*) tag=${ref#refs/tags/} ;;
  *) no_release "$ref is not a release tag (vX.Y.Z)" ;;
esac
if [ "$tag" = latest ]; then
  # GitHub serves the newest release's files under .../releases/latest/download/FILE.
  case "$base" in
    */releases/download) url_of() { printf '%s/latest/download/%s' "${base%/download}" "$1"; } ;;
    *) fail "--ref is needed with GIT_KEP_RELEASE_URL=$base" ;;
  esac
else
  url_of() { printf '%s/%s/%s' "$base" "$tag" "$1"; }
fi

if [ -z "$target" ]; then
  case "$(uname -m)" in
    x86_64|amd64) arch=x86_64 ;;
    aarch64|arm64) arch=aarch64 ;;
    *) no_release "no build for the processor $(uname -m)" ;;
  esac
  case "$(uname -s)" in
    Linux) target=$arch-unknown-linux-musl ;;
    Darwin) target=$arch-apple-darwin ;;
    MINGW*|MSYS*|CYGWIN*|Windows_NT)
      [ "$arch" = x86_64 ] || no_release "no Windows build for $arch"
      target=x86_64-pc-windows-msvc ;;
    *) no_release "no build for $(uname -s)" ;;
  esac
fi
case "$target" in
  *-windows-*) archive=git-kep-$target.zip exe=git-kep.exe ;;
  *) archive=git-kep-$target.tar.gz exe=git-kep ;;
esac

work=$(mktemp -d 2>/dev/null || mktemp -d -t git-kep)
trap 'rm -rf "$work"' EXIT
trap 'exit 1' HUP INT TERM

# fetch FILE: copies it from the release into $work; 0 copied, 3 not there, 1 any other failure.
fetch() {
  url=$(url_of "$1")
  case "$url" in
    file://*) url=${url#file://} ;;
  esac
  case "$url" in
    *://*)
      if command -v curl >/dev/null 2>&1; then
        code=$(curl --silent --show-error --location --retry 3 --proto '=https,http' \
          --output "$work/$1" --write-out '%{http_code}' "$url") || return 1
        case "$code" in
          200) return 0 ;;
          404) return 3 ;;
          *) say "$url: HTTP $code"; return 1 ;;
        esac
      elif command -v wget >/dev/null 2>&1; then
        # wget exits 8 for any error the server answered (404 among them).
        wget_status=0
        wget --quiet --tries=3 --output-document="$work/$1" "$url" || wget_status=$?
        case "$wget_status" in
          0) return 0 ;;
          8) return 3 ;;
          *) return 1 ;;
        esac
      else
        say "neither curl nor wget is installed"; return 1
      fi ;;
    *)
      [ -f "$url" ] || return 3
      cp "$url" "$work/$1" ;;
  esac
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  elif command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 -r "$1" | cut -d' ' -f1
  else
    say "no sha256sum, shasum or openssl to check the download with"; return 1
  fi
}

status=0
fetch SHA256SUMS || status=$?
case "$status" in
  0) ;;
  3) no_release "$tag has no SHA256SUMS at $(url_of SHA256SUMS)" ;;
  *) fail "cannot download $(url_of SHA256SUMS)" ;;
esac
status=0
fetch "$archive" || status=$?
case "$status" in
  0) ;;
  3) no_release "$tag has no $archive" ;;
  *) fail "cannot download $(url_of "$archive")" ;;
esac

# A line of SHA256SUMS: the digest, then the file name (after a space and ' ' or '*').
expected=$(awk -v name="$archive" '$2 == name || $2 == "*" name { print tolower($1); exit }' "$work/SHA256SUMS")
[ -n "$expected" ] || fail "SHA256SUMS of $tag lists no $archive: refusing an unverified binary"
actual=$(sha256 "$work/$archive") || exit 1
if [ "$actual" != "$expected" ]; then
  fail "checksum mismatch for $archive: SHA256SUMS says $expected, the download is $actual; nothing installed"
fi

mkdir "$work/unpacked"
case "$archive" in
  *.zip)
    if command -v unzip >/dev/null 2>&1; then
      unzip -q "$work/$archive" -d "$work/unpacked" || fail "cannot unpack $archive"
    else
      # Windows without unzip: PowerShell, with Windows paths (cygpath, in Git Bash and MSYS2).
      zip_path=$(cygpath -w "$work/$archive" 2>/dev/null || printf '%s' "$work/$archive")
      out_path=$(cygpath -w "$work/unpacked" 2>/dev/null || printf '%s' "$work/unpacked")
      powershell -NoProfile -Command "Expand-Archive -LiteralPath '$zip_path' -DestinationPath '$out_path'" \
        || fail "cannot unpack $archive"
    fi ;;
  *) tar -xzf "$work/$archive" -C "$work/unpacked" || fail "cannot unpack $archive" ;;
esac
bin="$work/unpacked/git-kep-$target/bin/$exe"
[ -f "$bin" ] || fail "$archive holds no git-kep-$target/bin/$exe"
chmod +x "$bin"
version=$("$bin" --version 2>/dev/null) || fail "the git-kep in $archive does not run here ($target)"

mkdir -p "$to"
cp "$bin" "$to/.$exe.tmp.$$"
mv -f "$to/.$exe.tmp.$$" "$to/$exe"
say "installed $version ($tag, $target, sha256 $actual) as $to/$exe"
