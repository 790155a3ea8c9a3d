# Gatehouse front door. Each build flavour has its own folder:
#   build/        release (gcc, -O2 -g, warnings as errors)   `make`
#   build-asan/   ASan+UBSan (clang)                          `make asan`
#   build-cov/    gcov instrumented (gcc)                     `make coverage`
#   build-fuzz/   libFuzzer targets (clang)                   `make fuzz-smoke`, `make fuzz`
#   build-afl/    AFL++ targets (afl-clang-fast)              `make fuzz ENGINE=afl`
# `make test` is what CI runs (.ci/run); see README.md.

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE ?= cmake
TARGET ?= fcgi_records
HOURS ?= 8
ENGINE ?= afl
SECONDS_PER_TARGET ?= 10
# No per-file progress lines: warnings and errors are what a reader needs.
QUIET ?= -DCMAKE_RULE_MESSAGES=OFF

.PHONY: all asan build-fuzz build-afl test unit fuzz-smoke fuzz coverage \
	format check-format check-purity clean run deps matrix

all:
	@$(CMAKE) -S . -B build -DCMAKE_C_COMPILER=gcc \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo $(QUIET) >/dev/null
	@$(CMAKE) --build build -j $(JOBS)

asan:
	@$(CMAKE) -S . -B build-asan -DCMAKE_C_COMPILER=clang \
		-DCMAKE_BUILD_TYPE=Debug -DGH_SANITIZE=ON $(QUIET) >/dev/null
	@$(CMAKE) --build build-asan -j $(JOBS)

build-fuzz:
	@$(CMAKE) -S . -B build-fuzz -DCMAKE_C_COMPILER=clang \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo -DGH_TESTS=OFF \
		-DGH_FUZZ_ENGINE=libfuzzer $(QUIET) >/dev/null
	@$(CMAKE) --build build-fuzz -j $(JOBS)

build-afl:
	@AFL_QUIET=1 AFL_USE_ASAN=1 AFL_USE_UBSAN=1 $(CMAKE) -S . -B build-afl \
		-DCMAKE_C_COMPILER=afl-clang-fast -DCMAKE_BUILD_TYPE=Release \
		-DGH_TESTS=OFF -DGH_FUZZ_ENGINE=afl -DGH_WERROR=OFF $(QUIET) >/dev/null
	@AFL_QUIET=1 AFL_USE_ASAN=1 AFL_USE_UBSAN=1 $(CMAKE) --build build-afl -j $(JOBS)

deps:
	@bash ci/deps.sh

test:
	@bash ci/test.sh

unit: all asan
	@bash ci/unit.sh

fuzz-smoke:
	@SECONDS_PER_TARGET=$(SECONDS_PER_TARGET) bash ci/fuzz-smoke.sh

fuzz:
	@bash ci/fuzz.sh $(TARGET) $(HOURS) $(ENGINE)

coverage:
	@bash ci/coverage.sh

# Grade the real apps (and gateways) with gatecheck; writes conformance/MATRIX.md.
matrix: all
	@bash conformance/matrix.sh build

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

check-format:
	@bash ci/check-format.sh

check-purity: all
	@bash ci/check-purity.sh build

# Build, then serve the demo site (demo/gatehouse.conf) on 127.0.0.1:8080 in
# the foreground; Ctrl-C (SIGINT) stops it gracefully.
run: all
	./build/gatehouse -D -f demo/gatehouse.conf

clean:
	rm -rf build build-asan build-cov build-fuzz build-afl
