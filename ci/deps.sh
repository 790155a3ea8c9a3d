#!/usr/bin/env bash
# Install every Debian package that building and testing Gatehouse needs.
# Idempotent: when everything is present it prints nothing and exits 0.
# Run by `make test`; safe to run by hand (as root, or with sudo available).
set -euo pipefail

pkgs=(
	# build
	build-essential cmake clang clang-format clang-tidy
	# unit tests, sanitizers, coverage
	libcmocka-dev valgrind gcovr libclang-rt-14-dev
	# fuzzing
	afl++
	# end-to-end harness and mocks
	python3 python3-pytest curl iproute2 procps
	# real peers the tests drive
	lighttpd nginx-light php-fpm php-cgi fcgiwrap libfcgi-bin
	uwsgi-core uwsgi-plugin-python3
	# benchmarks
	wrk strace hyperfine
)

missing=()
for p in "${pkgs[@]}"; do
	case "$p" in \#*) continue ;; esac
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "ci/deps.sh: installing ${missing[*]}" >&2
# Packaged daemons (nginx, lighttpd, php-fpm) must not start on install: the
# tests start their own instances on free loopback ports. policy-rc.d exit
# code 101 means "action forbidden" to invoke-rc.d.
cleanup_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
	$SUDO chmod +x /usr/sbin/policy-rc.d
	cleanup_policy=1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
[ $cleanup_policy -eq 1 ] && $SUDO rm -f /usr/sbin/policy-rc.d
# Stop any packaged daemon that started anyway (no systemd here, so the
# SysV scripts are what ran); ignore failures: usually nothing is running.
for s in nginx lighttpd php8.2-fpm; do
	$SUDO service "$s" stop >/dev/null 2>&1 || true
done
exit 0
