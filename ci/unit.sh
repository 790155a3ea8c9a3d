#!/usr/bin/env bash
# Run every cmocka unit test of a build folder, optionally under valgrind.
# usage: ci/unit.sh BUILD_DIR [valgrind]
set -euo pipefail
dir=${1:-build}
mode=${2:-}
cd "$(dirname "$0")/.."
shopt -s nullglob
tests=("$dir"/test_*)
[ ${#tests[@]} -gt 0 ] || { echo "no unit tests in $dir" >&2; exit 1; }
fail=0
for t in "${tests[@]}"; do
	[ -x "$t" ] || continue
	if [ "$mode" = valgrind ]; then
		# --error-exitcode makes any memory error or leak fail the test.
		if ! valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite,indirect "$t" >"$t.log" 2>&1; then
			cat "$t.log"
			echo "FAIL (valgrind): $t"
			fail=1
		else
			echo "ok (valgrind): $t $(grep -c '^\[       OK' "$t.log") cases"
		fi
	elif ! "$t" >"$t.log" 2>&1; then
		cat "$t.log"
		echo "FAIL: $t"
		fail=1
	else
		echo "ok: $t $(grep -c '^\[       OK' "$t.log") cases"
	fi
done
exit $fail
