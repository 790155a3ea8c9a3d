#!/usr/bin/env bash
# conformance/ (gatecheck) and backends-mock/ are independent readings of
# the specs: they never include or link ref/ (STYLE.md). Fail if any
# source there names a ref/ path or a codec header.
set -euo pipefail
cd "$(dirname "$0")/.."
bad=0
for d in conformance backends-mock; do
	[ -d "$d" ] || continue
	# Code only: prose in README files may name ref/codec to explain this.
	if grep -rnE --exclude='*.md' --exclude='*.txt' \
		'(#include[[:space:]]*["<](\.\./)*(ref/|codec/))|(\.\./)+ref/|\bgatecodec\b|ref/codec' "$d"; then
		echo "$d/ must not use ref/ (see STYLE.md)" >&2
		bad=1
	fi
done
[ $bad -eq 0 ] && echo "independence ok"
exit $bad
