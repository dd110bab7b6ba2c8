#!/usr/bin/env bash
# `git kep check` on one document with N links whose anchors no heading has (each a finding),
# for N = 10k, 40k, 80k and 100k: inline links, reference definitions, and links to another
# file of 10,000 headings. Linear in the links: 100k take a few tenths of a second (issue 26:
# 41 s before). Prints wall time and peak memory of each run (GNU time).
# Usage: benches/check-links.sh [BINARY]   (default: a release build of this tree)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-}
if [ -z "$bin" ]; then cargo build --release -q && bin=$PWD/target/release/git-kep; fi
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
python3 - "$dir" <<'PY'
import sys, os
d = sys.argv[1]
with open(os.path.join(d, "other.md"), "w") as f:
    f.write("# Other\n\n" + "".join(f"## Heading {i}\n\n" for i in range(10000)))
for n in (10000, 40000, 80000, 100000):
    head = "# Q\n\n<!-- toc -->\n- [Q](#q)\n<!-- /toc -->\n\n"
    with open(os.path.join(d, f"inline-{n}.md"), "w") as f:
        f.write(head + "".join(f"See [x{i}](#nowhere-{i}).\n" for i in range(n)))
    with open(os.path.join(d, f"reference-{n}.md"), "w") as f:
        f.write(head + "".join(f"[r{i}]: #nowhere-{i}\n" for i in range(n)))
    with open(os.path.join(d, f"other-file-{n}.md"), "w") as f:
        f.write(head + "".join(f"See [x{i}](other.md#headin-{i}).\n" for i in range(n)))
PY
printf '| links | inline | reference definitions | to another file (10k headings) |\n| --- | --- | --- | --- |\n'
for n in 10000 40000 80000 100000; do
  row="| $n"
  for kind in inline reference other-file; do
    # Exit 1: the links are findings.
    /usr/bin/time -o "$dir/time" -f '%e s, %M KB' "$bin" check "$dir/$kind-$n.md" >/dev/null 2>&1 || true
    row="$row | $(tail -1 "$dir/time")"
  done
  echo "$row |"
done
