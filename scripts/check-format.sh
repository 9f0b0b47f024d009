#!/usr/bin/env bash
# Fails when a C++ source of the repository is not formatted as .clang-format says, naming each
# file (`make format` fixes them). Seconds: clang-format only, no build.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "check-format: clang-format missing (run scripts/install-deps.sh)" >&2; exit 2; }
status=0
while IFS= read -r file; do
  if ! clang-format --dry-run --Werror "$file" 2>/dev/null; then
    echo "check-format: $file is not formatted (make format)" >&2
    status=1
  fi
done < <(git ls-files 'src/*.cpp' 'src/*.h' 'fuzz/*.cpp' 'fuzz/*.h' 'bench/*.cpp' 'bench/*.h')
((status)) || echo "check-format: every C++ source follows .clang-format"
exit $status
