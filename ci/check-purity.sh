#!/usr/bin/env bash
# ref/codec/ must stay pure (ARCHITECTURE.md): no I/O, allocation, env,
# clock or mutable global state. Checked on the compiled objects, so a
# macro or an inline wrapper cannot hide a call:
#  - the only undefined symbols allowed are the mem*/strlen builtins,
#    compiler-inserted helpers and functions of other codec files;
#  - no object may define writable data (objects in .data/.bss).
# A source grep backs this up for the names the issue lists.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
allowed='^(memcpy|memmove|memset|memcmp|bcmp|memchr|strlen|__stack_chk_fail|__assert_fail)$'
objs=$(find "$dir/CMakeFiles/gatecodec.dir" -name '*.o' | sort)
[ -n "$objs" ] || { echo "no codec objects under $dir" >&2; exit 1; }
bad=0
# Calls between codec files are fine: the symbols gatecodec itself defines.
defined=$(nm --defined-only $objs | awk '$2 ~ /^[TtRr]$/ {print $3}' | sort -u)
for o in $objs; do
	src=$(basename "$o" .o)
	while read -r sym; do
		if ! [[ $sym =~ $allowed ]] && ! grep -qxF "$sym" <<<"$defined"; then
			echo "impure: $src calls $sym"
			bad=1
		fi
	done < <(nm -u "$o" | awk '{print $2}')
	# Writable data lives in .data, .bss and their thread-local twins;
	# .data.rel.ro (const tables of pointers under PIE) is read-only after
	# relocation and is allowed.
	while read -r sec sym; do
		echo "impure: $src has mutable global $sym (in $sec)"
		bad=1
	done < <(objdump -t "$o" | awk '$NF != "" && ($(NF-2) ~ /^(\.data|\.bss|\.tdata|\.tbss|\.data\.rel|\.data\.rel\.local)(\.|$)/ || $(NF-2) == "*COM*") && $(NF-2) !~ /\.rel\.ro/ && $0 ~ / O / {print $(NF-2), $NF}')
done
# The source check runs on comment-stripped text (gcc -fpreprocessed), so
# prose such as "ignored on read (FCGI-REC-3)" is not mistaken for a call.
forbidden='\b(malloc|calloc|realloc|free|read|write|printf|fprintf|getenv|time|clock_gettime|gettimeofday|fopen|open|close)[[:space:]]*\('
for f in ref/codec/*.c ref/codec/*.h; do
	if gcc -fpreprocessed -dD -E -P -x c "$f" 2>/dev/null | grep -nE "$forbidden"; then
		echo "impure: a forbidden call appears in $f" >&2
		bad=1
	fi
done
[ $bad -eq 0 ] && echo "codec purity ok: $(echo "$objs" | wc -l) objects"
exit $bad
