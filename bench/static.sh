#!/usr/bin/env bash
# Static small-file benchmark: gatehouse vs lighttpd vs nginx (one worker),
# side by side in one run (issue 6, "Tests and figures").
#
#   bench/static.sh            # release build in build/ (make first)
#   RUNS=3 SECS=10 CONNS=50 SIZE=1024 bench/static.sh
#
# For each server: requests/s (median of RUNS wrk runs of SECS seconds,
# CONNS keep-alive connections, wrk pinned to CPU 0 and the server to CPU
# 1), system calls per request (strace -c over one wrk run) and
# instructions per request (callgrind: the difference between a run of
# 2*N and of N requests, divided by N, so start-up cost cancels out).
# Then IDLE (default 10000) idle keep-alive connections are held against
# each server (bench/idle.py) and the server's RSS growth per connection is
# reported. Prints a Markdown table. Needs wrk, strace, valgrind, taskset, lighttpd,
# nginx. Servers listen on 127.0.0.1 only and are stopped on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
GH=${GATEHOUSE_BIN:-$ROOT/build/gatehouse}
RUNS=${RUNS:-3}
SECS=${SECS:-10}
CONNS=${CONNS:-50}
SIZE=${SIZE:-1024}
NREQ=${NREQ:-2000}
IDLE=${IDLE:-10000}
CPU_CLIENT=${CPU_CLIENT:-0}
CPU_SERVER=${CPU_SERVER:-1}

for t in wrk strace valgrind taskset lighttpd nginx python3; do
	command -v "$t" >/dev/null || { echo "bench: $t not found" >&2; exit 1; }
done
[ -x "$GH" ] || { echo "bench: $GH missing (run make)" >&2; exit 1; }

FDS=$(ulimit -Hn)
[ "$FDS" = unlimited ] && FDS=65536
if [ $((IDLE + 200)) -gt "$FDS" ]; then
	echo "bench: IDLE=$IDLE needs a hard fd limit of $((IDLE + 200))" >&2
	exit 1
fi
ulimit -n "$FDS"

W=$(mktemp -d /tmp/gh-bench.XXXXXX)
PIDS=()
cleanup() {
	for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$W"
}
trap cleanup EXIT

mkdir -p "$W/www"
head -c "$SIZE" /dev/zero | tr '\0' 'x' >"$W/www/small.html"

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

conf_gatehouse() { # port
	cat >"$W/gh-$1.conf" <<EOC
server.document-root = "$W/www"
server.bind = "127.0.0.1"
server.port = $1
server.max-keep-alive-requests = 1000000
server.max-keep-alive-idle = 120
server.max-fds = $FDS
server.max-connections = $((IDLE + 100))
mimetype.assign = (".html" => "text/html")
EOC
	echo "$GH -D -f $W/gh-$1.conf"
}

conf_lighttpd() {
	cat >"$W/lt-$1.conf" <<EOC
server.document-root = "$W/www"
server.bind = "127.0.0.1"
server.port = $1
server.max-keep-alive-requests = 1000000
server.errorlog = "$W/lt-$1.err"
server.max-keep-alive-idle = 120
server.max-fds = $FDS
server.max-connections = $((IDLE + 100))
mimetype.assign = (".html" => "text/html")
EOC
	echo "lighttpd -D -f $W/lt-$1.conf"
}

conf_nginx() {
	mkdir -p "$W/ng-$1"
	cat >"$W/ng-$1.conf" <<EOC
daemon off;
master_process off;
worker_processes 1;
user root;
error_log $W/ng-$1/error.log;
pid $W/ng-$1/nginx.pid;
worker_rlimit_nofile $FDS;
events { worker_connections $((IDLE + 100)); }
http {
	access_log off;
	keepalive_requests 1000000;
	keepalive_timeout 120s;
	client_body_temp_path $W/ng-$1;
	proxy_temp_path $W/ng-$1;
	fastcgi_temp_path $W/ng-$1;
	uwsgi_temp_path $W/ng-$1;
	scgi_temp_path $W/ng-$1;
	types { text/html html; }
	sendfile on;
	server { listen 127.0.0.1:$1; root $W/www; }
}
EOC
	echo "nginx -p $W/ng-$1 -c $W/ng-$1.conf"
}

wait_port() {
	for _ in $(seq 200); do
		python3 -c "import socket; socket.create_connection(('127.0.0.1',$1),1)" \
			2>/dev/null && return 0
		sleep 0.05
	done
	echo "bench: nothing listening on $1" >&2
	return 1
}

start() { # wrapper cmd...: starts on the server CPU, sets PID
	"$@" >/dev/null 2>&1 &
	PID=$!
	PIDS+=("$PID")
}

stop() {
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

wrk_rps() { # port secs -> "rps requests"
	taskset -c "$CPU_CLIENT" wrk -t1 -c"$CONNS" -d"$2"s \
		"http://127.0.0.1:$1/small.html" |
		awk '/requests in/ {n=$1} /Requests\/sec/ {r=$2} END {print r, n}'
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# keep-alive client for callgrind: n requests on one connection
client() { # port n
	python3 - "$1" "$2" <<'EOP'
import socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
s = socket.create_connection(("127.0.0.1", port))
req = b"GET /small.html HTTP/1.1\r\nHost: b\r\n\r\n"
buf = b""
for i in range(n):
    s.sendall(req)
    while True:
        h = buf.find(b"\r\n\r\n")
        if h >= 0:
            cl = int(buf[:h].lower().split(b"content-length:")[1].split(b"\r\n")[0])
            if len(buf) >= h + 4 + cl:
                buf = buf[h + 4 + cl:]
                break
        buf += s.recv(65536)
s.close()
EOP
}

instr() { # name n -> total instructions of a callgrind run serving n
	local port cmd out
	port=$(free_port)
	cmd=$(conf_"$1" "$port")
	out="$W/cg-$1-$2.out"
	# shellcheck disable=SC2086
	start valgrind --tool=callgrind --callgrind-out-file="$out" $cmd
	wait_port "$port"
	client "$port" "$2"
	stop "$PID"
	awk '/^summary:|^totals:/ {print $2; exit}' "$out"
}

# All three run at once and the wrk runs rotate between them, so drift in
# machine load hits every server alike.
declare -A PORT SPID RPS CALLS INSTR
NAMES="gatehouse lighttpd nginx"
for name in $NAMES; do
	PORT[$name]=$(free_port)
	cmd=$(conf_$name "${PORT[$name]}")
	# shellcheck disable=SC2086
	start taskset -c "$CPU_SERVER" $cmd
	SPID[$name]=$PID
	wait_port "${PORT[$name]}"
	wrk_rps "${PORT[$name]}" 1 >/dev/null # warm up
done
for _ in $(seq "$RUNS"); do
	for name in $NAMES; do
		RPS[$name]+="$(wrk_rps "${PORT[$name]}" "$SECS" | cut -d' ' -f1) "
	done
done
declare -A RSS
for name in $NAMES; do
	RSS[$name]=$(python3 "$ROOT/bench/idle.py" "${PORT[$name]}" \
		"${SPID[$name]}" "$IDLE" | awk '{o=$5; sub(",", "", o); print $(NF-3) " (" o " open)"}')
done
for name in $NAMES; do
	# syscalls: strace the server during one wrk run
	strace -c -f -p "${SPID[$name]}" -o "$W/st-$name.txt" 2>/dev/null &
	tpid=$!
	sleep 0.5
	n=$(wrk_rps "${PORT[$name]}" 3 | cut -d' ' -f2)
	kill -INT "$tpid" 2>/dev/null || true
	wait "$tpid" 2>/dev/null || true
	CALLS[$name]=$(echo "$(awk '/total$/ {print $4}' "$W/st-$name.txt") / $n" | bc -l)
	stop "${SPID[$name]}"
done
for name in $NAMES; do
	i1=$(instr "$name" "$NREQ")
	i2=$(instr "$name" $((2 * NREQ)))
	INSTR[$name]=$(((i2 - i1) / NREQ))
done

printf '| server | requests/s (median of %s x %ss, %s conns) | syscalls/request | instructions/request | RSS KiB per idle conn (%s held) |\n' \
	"$RUNS" "$SECS" "$CONNS" "$IDLE"
printf '|---|---|---|---|---|\n'
for name in $NAMES; do
	printf '| %s | %.0f | %.2f | %d | %s |\n' "$name" \
		"$(echo "${RPS[$name]}" | tr ' ' '\n' | grep . | median)" \
		"${CALLS[$name]}" "${INSTR[$name]}" "${RSS[$name]}"
done
