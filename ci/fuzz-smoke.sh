#!/usr/bin/env bash
# `make fuzz-smoke` (part of `make test`): every fuzz target, briefly.
#  1. seeds and dictionaries from spec/vectors (fuzz/gen_corpus.py);
#  2. each libFuzzer target (clang, ASan+UBSan) runs SECONDS_PER_TARGET s,
#     two at a time, and its exec/s is printed;
#  3. the seeds, the checked-in regression corpora (fuzz/corpus/<name>/)
#     and what step 2 found are replayed by the plain replay build under
#     ASan+UBSan (build-asan/fuzz-<name>);
#  4. the AFL++ build of every target is made and one runs for a few
#     seconds, so the "one source, both engines" promise stays true.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${SECONDS_PER_TARGET:-10}
out=build-fuzz
shopt -s nullglob

names=()
for f in fuzz/fz_*.c; do
	n=$(basename "$f" .c)
	names+=("${n#fz_}")
done
[ ${#names[@]} -gt 0 ] || { echo "no fuzz targets" >&2; exit 1; }

make -s build-fuzz
make -s asan
/usr/bin/python3 fuzz/gen_corpus.py "$out" >/dev/null

run_one() {
	local n=$1 secs=$2 out=$3 work
	work=$out/work/$n
	rm -rf "$work"
	mkdir -p "$work" "$out/artifacts/$n"
	"$out/fuzz-$n" -max_total_time="$secs" -print_final_stats=1 \
		-dict="$out/dict/$n.dict" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$out/artifacts/$n/" "$work" "$out/corpus/$n" \
		>"$out/$n.log" 2>&1
	local rc=$? eps cov
	eps=$(awk '/stat::average_exec_per_sec/ {print $2}' "$out/$n.log")
	cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$out/$n.log" | tail -1)
	printf '%-16s %8s exec/s  %-22s %s\n' "$n" "${eps:-?}" "$cov" \
		"$([ $rc -eq 0 ] && echo ok || echo "FAILED (see $out/$n.log)")"
	return $rc
}
export -f run_one
echo "libFuzzer, ${secs}s per target:"
printf '%s\n' "${names[@]}" | xargs -P 2 -I{} bash -c "run_one {} $secs $out"

echo "replay (build-asan, ASan+UBSan):"
for n in "${names[@]}"; do
	dirs=("$out/corpus/$n" "$out/work/$n")
	[ -d "fuzz/corpus/$n" ] && dirs+=("fuzz/corpus/$n")
	printf '%-16s ' "$n"
	build-asan/fuzz-"$n" "${dirs[@]}"
done

echo "AFL++ build and a short run:"
make -s build-afl >/dev/null
for n in "${names[@]}"; do
	[ -x build-afl/fuzz-"$n" ] || { echo "AFL++ build of $n missing" >&2; exit 1; }
done
n=${names[0]}
rm -rf "$out/afl-smoke"
AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
	AFL_NO_AFFINITY=1 AFL_QUIET=1 timeout 60 afl-fuzz -V 5 -i "$out/corpus/$n" \
	-o "$out/afl-smoke" -x "$out/dict/$n.dict" -- build-afl/fuzz-"$n" >"$out/afl-smoke.log" 2>&1 || {
	tail -30 "$out/afl-smoke.log"; echo "AFL++ run failed" >&2; exit 1; }
execs=$(awk -F: '/^execs_done/ {gsub(/ /,"",$2); print $2}' "$out"/afl-smoke/default/fuzzer_stats)
crashes=$(awk -F: '/^saved_crashes/ {gsub(/ /,"",$2); print $2}' "$out"/afl-smoke/default/fuzzer_stats)
echo "afl-fuzz $n: $execs execs in 5 s, $crashes crashes"
[ "${crashes:-0}" = 0 ]
