#!/usr/bin/env bash
# Grade the real applications with gatecheck and write conformance/MATRIX.md:
# php-fpm (unix socket, pool started with -R), php-cgi and fcgiwrap (spawned
# by gatecheck on fd 0), and uWSGI's python3 plugin over FastCGI, SCGI and
# uwsgi, each with the probe of conformance/probes. Rerun any time:
#   conformance/matrix.sh [BUILD_DIR]      (default: build)
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
gc="$repo/${1:-build}/gatecheck"
[ -x "$gc" ] || { echo "matrix: $gc missing; run make first" >&2; exit 2; }
dir=$(mktemp -d /tmp/gh-matrix-XXXXXX)
chmod 755 "$dir"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	sleep 0.3
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$dir"
}
trap cleanup EXIT
probes="$repo/conformance/probes"
# 5 s: uWSGI closes a connection it gave up on only after its own 4 s
# socket timeout; a shorter wait would call that a hang.
T=${GC_TIMEOUT:-5000}

wait_sock() {
	for _ in $(seq 100); do [ -S "$1" ] && return 0; sleep 0.05; done
	echo "matrix: $1 never appeared" >&2
	return 1
}

run() { # name json-args...
	local name=$1
	shift
	echo "== $name" >&2
	"$gc" "$@" --timeout "$T" -q --json "$dir/$name.json" >"$dir/$name.txt" \
		2>&1
	tail -1 "$dir/$name.txt" >&2
}

ver() { "$@" 2>&1 | head -1 | tr -d '\r'; }
{
	echo "php-fpm=$(ver php-fpm8.2 -v)"
	echo "php-cgi=$(ver php-cgi -v)"
	echo "fcgiwrap=fcgiwrap $(dpkg-query -W -f '${Version}' fcgiwrap 2>/dev/null)"
	echo "uwsgi=uWSGI $(uwsgi --version) (python3 plugin, probe_wsgi.py)"
	echo "gatecheck=$(cd "$repo" && git rev-parse --short HEAD 2>/dev/null)"
} >"$dir/versions"

# php-fpm: a pool on a unix socket, in the foreground, allowed to run as root.
cat >"$dir/fpm.conf" <<CONF
[global]
error_log = $dir/fpm.log
pid = $dir/fpm.pid
daemonize = no
[gatecheck]
listen = $dir/fpm.sock
listen.mode = 0666
pm = static
pm.max_children = 2
CONF
php-fpm8.2 -F -R -y "$dir/fpm.conf" >/dev/null 2>&1 &
pids+=($!)
wait_sock "$dir/fpm.sock" &&
	run php-fpm fastcgi "unix:$dir/fpm.sock" --script "$probes/probe.php"

run php-cgi fastcgi --spawn "exec php-cgi" --script "$probes/probe.php"
run fcgiwrap fastcgi --spawn "exec fcgiwrap" --script "$probes/probe.sh"

for p in fastcgi scgi uwsgi; do
	uwsgi --plugin python3 --"$p"-socket "$dir/uw-$p.sock" \
		--chmod-socket=666 --wsgi-file "$probes/probe_wsgi.py" \
		--master --processes 1 --die-on-term \
		--logto "$dir/uwsgi-$p.log" >/dev/null 2>&1 &
	pids+=($!)
	disown
	wait_sock "$dir/uw-$p.sock" &&
		run "uwsgi-$p" "$p" "unix:$dir/uw-$p.sock" --path /probe
done

python3 "$repo/conformance/matrix_render.py" "$dir" \
	>"$repo/conformance/MATRIX.md"
echo "wrote conformance/MATRIX.md" >&2
