#!/usr/bin/env bash
# `make coverage`: line and branch coverage of ref/codec/ from the unit
# tests (gcc --coverage, gcovr). Targets: >= 95% lines, >= 90% branches.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-cov -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Debug \
	-DGH_COVERAGE=ON >/dev/null
cmake --build build-cov -j "$(nproc)" >/dev/null
find build-cov -name '*.gcda' -delete
bash ci/unit.sh build-cov >/dev/null
# Branch figures exclude the branches gcc adds for exception edges and
# unreachable-by-construction checks it cannot prove.
gcovr -r . --object-directory build-cov --filter 'ref/codec/' \
	--exclude-unreachable-branches --exclude-throw-branches \
	--print-summary -s --txt build-cov/coverage.txt --branches >/dev/null
gcovr -r . --object-directory build-cov --filter 'ref/codec/' \
	--exclude-unreachable-branches --exclude-throw-branches
gcovr -r . --object-directory build-cov --filter 'ref/codec/' \
	--exclude-unreachable-branches --exclude-throw-branches --branches
gcovr -r . --object-directory build-cov --filter 'ref/codec/' \
	--exclude-unreachable-branches --exclude-throw-branches --print-summary \
	-o /dev/null
