# Shared by the ci/ scripts: run a named stage and print how long it took.
# usage: stage NAME command args...   (fails the script if the command fails)
STAGE_TIMES=()
stage() {
	local name=$1 t0 t1 rc
	shift
	printf '\n==> %s\n' "$name"
	t0=$(date +%s%N)
	"$@"
	rc=$?
	t1=$(date +%s%N)
	local dt
	local ms=$(( (t1 - t0) / 1000000 ))
	dt=$(printf '%d.%d' $((ms / 1000)) $(((ms % 1000) / 100)))
	STAGE_TIMES+=("$(printf '%-28s %7ss  %s' "$name" "$dt" \
		"$([ $rc -eq 0 ] && echo ok || echo FAILED)")")
	printf '<== %s: %ss (%s)\n' "$name" "$dt" "$([ $rc -eq 0 ] && echo ok || echo "exit $rc")"
	if [ $rc -ne 0 ]; then
		stage_summary
		exit $rc
	fi
}
stage_summary() {
	printf '\n== stage times ==\n'
	printf '%s\n' "${STAGE_TIMES[@]}"
}
