#!/usr/bin/env bash
# `make test`: everything CI checks, stage by stage, with timings.
# Kept well under 20 minutes on 2 cores; long fuzzing runs live in `make fuzz`.
set -uo pipefail
cd "$(dirname "$0")/.."
. ci/lib.sh
T0=$(date +%s)

stage "deps (ci/deps.sh)" bash ci/deps.sh
stage "format check" bash ci/check-format.sh
stage "build release (gcc -Werror)" make -s all
stage "build asan+ubsan (clang -Werror)" make -s asan
stage "codec purity check" bash ci/check-purity.sh build
stage "independence check" bash ci/check-independence.sh
stage "unit tests (release)" bash ci/unit.sh build
stage "unit tests (asan+ubsan)" bash ci/unit.sh build-asan
stage "unit tests (valgrind)" bash ci/unit.sh build valgrind
stage "fuzz smoke" bash ci/fuzz-smoke.sh
if [ -d tests ] && ls tests/*/test_*.py >/dev/null 2>&1; then
	stage "pytest (tests/)" /usr/bin/python3 -m pytest -q -p no:cacheprovider tests
fi
stage_summary
echo "total: $(( $(date +%s) - T0 ))s"
