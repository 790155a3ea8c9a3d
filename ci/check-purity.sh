#!/usr/bin/env bash
# ref/codec/ must stay pure (ARCHITECTURE.md): no I/O, allocation, env,
# clock or mutable global state. Checked on the compiled objects, so a
# macro or an inline wrapper cannot hide a call:
#  - the only undefined symbols allowed are the mem*/strlen builtins and
#    compiler-inserted helpers;
#  - no object may define writable data (.data/.bss: nm types D d B b).
# A source grep backs this up for the names the issue lists.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
allowed='^(memcpy|memmove|memset|memcmp|memchr|strlen|__stack_chk_fail|__assert_fail)$'
objs=$(find "$dir/CMakeFiles/gatecodec.dir" -name '*.o' | sort)
[ -n "$objs" ] || { echo "no codec objects under $dir" >&2; exit 1; }
bad=0
for o in $objs; do
	src=$(basename "$o" .o)
	while read -r sym; do
		if ! [[ $sym =~ $allowed ]]; then
			echo "impure: $src calls $sym"
			bad=1
		fi
	done < <(nm -u "$o" | awk '{print $2}')
	while read -r typ sym; do
		echo "impure: $src has mutable global $sym ($typ)"
		bad=1
	done < <(nm "$o" | awk '$2 ~ /^[DdBb]$/ {print $2, $3}')
done
if grep -nE '\b(malloc|calloc|realloc|free|read|write|printf|fprintf|getenv|time|clock_gettime|gettimeofday|fopen|open|close)[[:space:]]*\(' ref/codec/*.c ref/codec/*.h; then
	echo "impure: a forbidden call appears in ref/codec/ source" >&2
	bad=1
fi
[ $bad -eq 0 ] && echo "codec purity ok: $(echo "$objs" | wc -l) objects"
exit $bad
