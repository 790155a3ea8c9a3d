#!/usr/bin/env bash
# `make fuzz TARGET=name HOURS=8 [ENGINE=afl|libfuzzer]`: the overnight run.
# AFL++: one main and one secondary instance (one per core). libFuzzer: two
# jobs. Findings (crashes, hangs, the grown corpus) go to fuzz/findings/<name>/
# (git-ignored). See fuzz/README.md for minimising and replaying a crash.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: ci/fuzz.sh TARGET HOURS [afl|libfuzzer]}
hours=${2:-8}
engine=${3:-afl}
secs=$(awk -v h="$hours" 'BEGIN { printf "%d", h * 3600 }')
[ -f "fuzz/fz_$name.c" ] || { echo "no target fuzz/fz_$name.c" >&2; exit 1; }
/usr/bin/python3 fuzz/gen_corpus.py build-fuzz "$name" >/dev/null
find_dir=fuzz/findings/$name
mkdir -p "$find_dir"
seeds=build-fuzz/corpus/$name
[ -d "fuzz/corpus/$name" ] && cp -n fuzz/corpus/"$name"/* "$seeds"/ 2>/dev/null || true
dict=build-fuzz/dict/$name.dict

case "$engine" in
libfuzzer)
	make -s build-fuzz
	mkdir -p "$find_dir/corpus"
	build-fuzz/fuzz-"$name" -max_total_time="$secs" -jobs=2 -workers=2 \
		-dict="$dict" -max_len=262144 -artifact_prefix="$find_dir/" \
		"$find_dir/corpus" "$seeds"
	;;
afl)
	make -s build-afl
	export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
	afl-fuzz -S secondary -V "$secs" -i "$seeds" -o "$find_dir/afl" -x "$dict" \
		-- build-afl/fuzz-"$name" >"$find_dir/secondary.log" 2>&1 &
	sec=$!
	trap 'kill $sec 2>/dev/null || true' EXIT
	afl-fuzz -M main -V "$secs" -i "$seeds" -o "$find_dir/afl" -x "$dict" \
		-- build-afl/fuzz-"$name"
	wait $sec || true
	ls "$find_dir"/afl/*/crashes/ 2>/dev/null | grep -v README || echo "no crashes"
	;;
*)
	echo "ENGINE must be afl or libfuzzer" >&2
	exit 1
	;;
esac
