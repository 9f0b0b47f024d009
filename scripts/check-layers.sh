#!/usr/bin/env bash
# Fails when a file of src/<domain>/ includes a header of a domain declared on the same or a
# higher layer of src/LAYERS (docs/architecture.md), naming the file, the line and both layers.
# Usage: scripts/check-layers.sh [SRC_DIR]  (default: src/ of this checkout). Takes well under
# a second: grep and awk over the sources, no build.
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:-src}
src=${src%/}
layers="$src/LAYERS"
[[ -f $layers ]] || { echo "check-layers: $layers not found" >&2; exit 2; }

# Every domain folder must be declared: a new folder is placed in the order on purpose.
status=0
for dir in "$src"/*/; do
  domain=$(basename "$dir")
  if ! grep -v '^#' "$layers" | tr -s ' \t' '\n' | grep -qx "$domain"; then
    echo "$dir: domain \"$domain\" is not declared in $layers" >&2
    status=1
  fi
done

# One line per include of another folder of src/: FILE:LINE:HEADER.
includes=$(grep -rnE --include='*.h' --include='*.cpp' '^[[:space:]]*#[[:space:]]*include[[:space:]]+"[a-z0-9_]+/' \
  "$src"/*/ || true)
awk -v layers="$layers" -v src="$src/" '
  BEGIN {
    n = 0
    while ((getline line < layers) > 0) {
      if (line ~ /^[[:space:]]*(#|$)/) continue
      n++
      count = split(line, names, /[[:space:]]+/)
      for (i = 1; i <= count; i++) if (names[i] != "") level[names[i]] = n
    }
    bad = 0
  }
  $0 == "" { next }
  {
    # FILE:LINE:#include "domain/header.h"
    first = index($0, ":"); file = substr($0, 1, first - 1); rest = substr($0, first + 1)
    second = index(rest, ":"); lineno = substr(rest, 1, second - 1); text = substr(rest, second + 1)
    relative = substr(file, length(src) + 1); sub(/\/\/+/, "/", relative)
    split(relative, parts, "/"); from = parts[1]
    match(text, /"[a-z0-9_]+\//); to = substr(text, RSTART + 1, RLENGTH - 2)
    if (from == to) next
    if (!(to in level)) next  # not a folder of src/ (reported above if it is one)
    if (!(from in level)) next
    if (level[to] >= level[from]) {
      how = level[to] == level[from] ? "the same layer" : "a higher layer"
      printf "%s:%s: %s (layer %d) includes %s (layer %d, %s): %s\n", file, lineno, from, level[from], to, level[to], how, text
      bad = 1
    }
  }
  END { exit bad }
' <<<"$includes" || status=1
if ((status)); then
  echo "check-layers: dependencies against the order of $layers (docs/architecture.md)" >&2
else
  echo "check-layers: every include of src/*/ follows $layers"
fi
exit $status
