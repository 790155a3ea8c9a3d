#!/usr/bin/env python3
"""Hold N idle keep-alive connections (each has made one request) against
a server on 127.0.0.1:PORT and print the server's RSS growth per
connection: bench/idle.py PORT PID [N]. Part of bench/static.sh."""

import resource
import socket
import sys
import time


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for ln in f:
            if ln.startswith("VmRSS:"):
                return int(ln.split()[1])
    raise RuntimeError("no VmRSS")


def main():
    port, pid = int(sys.argv[1]), int(sys.argv[2])
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, n + 100),
                                                max(hard, n + 100)))
    before = rss_kib(pid)
    socks = []
    req = b"GET /small.html HTTP/1.1\r\nHost: b\r\n\r\n"
    drained = 0
    for i in range(n):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(req)
        socks.append(s)
        if len(socks) - drained == 500 or i == n - 1:
            for t in socks[drained:]:  # read the responses as we go
                t.settimeout(10)
                t.recv(65536)
            drained = len(socks)
    time.sleep(0.5)
    after = rss_kib(pid)
    alive = 0
    for s in socks:  # still open: a read would block rather than see EOF
        s.setblocking(False)
        try:
            s.recv(1)
        except BlockingIOError:
            alive += 1
        except OSError:
            pass
    for s in socks:
        s.close()
    print("connections %d, still open %d, RSS %.1f KiB per connection"
          % (n, alive, (after - before) / n))


main()
