#!/usr/bin/env bash
# Every C file in the tree matches the checked-in .clang-format.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.c' '*.h')
[ -n "$files" ] || exit 0
if ! clang-format --dry-run -Werror $files; then
	echo "format check failed: run 'make format'" >&2
	exit 1
fi
echo "format ok: $(echo "$files" | wc -w) files"
