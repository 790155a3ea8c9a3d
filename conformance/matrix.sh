#!/usr/bin/env bash
# Grade the real applications and gateways with gatecheck and write
# conformance/MATRIX.md: php-fpm (unix socket, pool started with -R),
# php-cgi and fcgiwrap (spawned by gatecheck on fd 0), and uWSGI's python3
# plugin over FastCGI, SCGI and uwsgi, each with the probe of
# conformance/probes (app mode); lighttpd as a FastCGI, SCGI, uwsgi, HTTP
# proxy and CGI gateway and nginx as a FastCGI, SCGI, uwsgi and HTTP proxy
# gateway, each wired by `gatecheck gateway P --print-config` (gateway
# mode); both as HTTP front ends proxying to gatecheck (http mode).
# Rerun any time:
#   conformance/matrix.sh [BUILD_DIR]      (default: build)
#   conformance/matrix.sh --smoke [BUILD_DIR]
# --smoke (make test): lighttpd FastCGI and nginx HTTP front end only,
# MATRIX.md untouched; fails if any FAIL/WARN lacks an explanation.
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
smoke=
if [ "${1:-}" = --smoke ]; then
	smoke=1
	shift
fi
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
# Gateways answer at once; 1.5 s per wait (6 s for a hanging backend,
# past the 3 s backend timeout --print-config sets) keeps a run short.
GT=${GC_GW_TIMEOUT:-${GC_TIMEOUT:-1500}}

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
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
wait_port() {
	for _ in $(seq 100); do
		(echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.05
	done
	echo "matrix: nothing listens on port $1" >&2
	return 1
}

# grade_peer lighttpd|nginx|gatehouse MODE PROTO: start the peer wired by
# --print-config, run gatecheck MODE (gateway PROTO, or http), stop it.
grade_peer() {
	local peer=$1 mode=$2 proto=$3 name pd port bport url be pid
	name="$peer-$proto"
	[ "$mode" = http ] && name="$peer-front"
	pd="$dir/$name"
	mkdir -p "$pd"
	chmod 755 "$pd"
	port=$(free_port)
	bport=$(free_port)
	url="http://127.0.0.1:$port/gc"
	be="127.0.0.1:$bport"
	if [ "$proto" = cgi ]; then
		url="http://127.0.0.1:$port/gc.gc"
		: >"$pd/gc.gc"
	fi
	"$gc" gateway "$proto" --print-config "$peer" --url "$url" \
		--backend "$be" --root "$pd" >"$pd/conf" || return 1
	if [ "$peer" = lighttpd ]; then
		/usr/sbin/lighttpd -D -f "$pd/conf" >"$pd/out.log" 2>&1 &
	elif [ "$peer" = gatehouse ]; then
		"$(dirname "$gc")/gatehouse" -D -f "$pd/conf" >"$pd/out.log" 2>&1 &
	else
		nginx -g 'daemon off;' -c "$pd/conf" >"$pd/out.log" 2>&1 &
	fi
	pid=$!
	pids+=("$pid")
	if wait_port "$port"; then
		if [ "$mode" = http ] && [ "$peer" = gatehouse ]; then
			# Gatehouse does not proxy HTTP yet (mod_proxy is
			# parsed, not served): grade its front end alone;
			# the cases that need a backend SKIP.
			T=$GT run "$name" http --url "$url"
		elif [ "$mode" = http ]; then
			T=$GT run "$name" http --url "$url" --backend "$be"
		else
			T=$GT run "$name" gateway "$proto" --url "$url" \
				--backend "$be"
		fi
	fi
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

if [ -n "$smoke" ]; then
	{
		echo "lighttpd=$(ver /usr/sbin/lighttpd -v)"
		echo "nginx=$(ver nginx -v)"
		echo "gatecheck=smoke"
	} >"$dir/versions"
	grade_peer lighttpd gateway fastcgi
	grade_peer nginx http http
	python3 "$repo/conformance/matrix_render.py" --check "$dir"
	exit $?
fi

{
	echo "php-fpm=$(ver php-fpm8.2 -v)"
	echo "php-cgi=$(ver php-cgi -v)"
	echo "fcgiwrap=fcgiwrap $(dpkg-query -W -f '${Version}' fcgiwrap 2>/dev/null)"
	echo "uwsgi=uWSGI $(uwsgi --version) (python3 plugin, probe_wsgi.py)"
	echo "lighttpd=$(ver /usr/sbin/lighttpd -v)"
	echo "nginx=$(ver nginx -v)"
	echo "gatehouse=$("$(dirname "$gc")/gatehouse" -v 2>&1 | head -1)"
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

for p in fastcgi scgi uwsgi http cgi; do
	grade_peer lighttpd gateway "$p"
done
for p in fastcgi scgi uwsgi http; do
	grade_peer nginx gateway "$p"
done
grade_peer lighttpd http http
grade_peer nginx http http
# Gatehouse itself, wired by the same --print-config (lighttpd syntax):
# the gateway protocols it serves so far, and its front end.
grade_peer gatehouse gateway fastcgi
grade_peer gatehouse http http

python3 "$repo/conformance/matrix_render.py" "$dir" \
	>"$repo/conformance/MATRIX.md"
echo "wrote conformance/MATRIX.md" >&2
