"""Command line and signals, as lighttpd's: -v, -h, -t/-tt, the embedded
default config, daemonising with server.pid-file, SIGTERM (stop now),
SIGINT (graceful: in-flight requests finish), SIGHUP (reopen logs)."""

import os
import signal
import socket
import subprocess
import time

from ghutil import GATEHOUSE_BIN, read_response, read_to_close, wait_for
from harness import free_port, wait_listening, write_file


def run(*args, **kw):
    return subprocess.run([GATEHOUSE_BIN] + list(args), capture_output=True,
                          timeout=20, **kw)


def test_version_and_help_exit_zero():
    r = run("-v")
    assert r.returncode == 0 and r.stdout.startswith(b"gatehouse/")
    r = run("-h")
    assert r.returncode == 0 and b"-D" in r.stdout and b"-f FILE" in r.stdout


def test_unknown_option_is_usage_error():
    r = run("-Z")
    assert r.returncode != 0 and b"usage" in r.stderr


def test_config_test_accepts_good_and_names_line_of_bad(tmp):
    good = write_file(os.path.join(tmp, "good.conf"),
                      'server.document-root = "/tmp"\nserver.port = 1\n')
    bad = write_file(os.path.join(tmp, "bad.conf"),
                     'server.document-root = "/tmp"\nserver.prot = 1\n')
    r = run("-t", "-f", good)
    assert r.returncode == 0 and b"Syntax OK" in r.stdout
    r = run("-tt", "-f", bad)
    assert r.returncode != 0 and b"bad.conf:2:" in r.stdout + r.stderr


def test_bad_config_refuses_to_start(tmp):
    bad = write_file(os.path.join(tmp, "bad.conf"),
                     'server.port = 80\nserver.bind = ("x")\n')
    r = run("-D", "-f", bad)
    assert r.returncode != 0 and b"bad.conf:2:" in r.stderr


def test_port_in_use_is_reported(tmp):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    port = s.getsockname()[1]
    conf = write_file(os.path.join(tmp, "c.conf"),
                      'server.document-root = "%s"\nserver.bind = '
                      '"127.0.0.1"\nserver.port = %d\n' % (tmp, port))
    r = run("-D", "-f", conf)
    s.close()
    assert r.returncode != 0 and b"Address already in use" in r.stderr


def test_sigterm_stops_at_once(gh):
    srv = gh()
    idle = srv.connect()
    srv.proc.signal_group(signal.SIGTERM)
    assert srv.proc.popen.wait(5) == 0
    assert read_to_close(idle) == b""


def test_sigint_lets_in_flight_request_finish(gh):
    srv = gh()
    idle = srv.connect()
    busy = srv.connect()
    busy.sendall(b"POST /a.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 4"
                 b"\r\n\r\nda")
    time.sleep(0.2)
    srv.proc.signal_group(signal.SIGINT)
    assert read_to_close(idle) == b""  # idle connections go at once
    wait_for(lambda: _refused(srv.addr), what="listener closed")
    busy.sendall(b"ta")
    status, hdrs, body, _ = read_response(busy)
    assert (status, body) == (200, b"0123456789")
    assert hdrs["connection"] == "close"
    assert srv.proc.popen.wait(5) == 0


def _refused(addr):
    try:
        socket.create_connection(addr, 0.5).close()
        return False
    except OSError:
        return True


def test_sighup_reopens_error_and_access_logs(gh):
    srv = gh()
    srv.raw(b"GET /a.txt HTTP/1.0\r\n\r\n")
    os.rename(srv.errorlog, srv.errorlog + ".1")
    os.rename(srv.accesslog, srv.accesslog + ".1")
    srv.proc.signal_group(signal.SIGHUP)
    wait_for(lambda: os.path.exists(srv.errorlog), what="new error log")
    assert "logs reopened" in srv.errlog()
    srv.raw(b"GET /sub/b.css HTTP/1.0\r\n\r\n")
    srv.proc.stop()
    with open(srv.accesslog) as f:
        assert "/sub/b.css" in f.read()


def test_default_config_serves_current_folder_with_listing(procs, tmp):
    port = 8080
    if not _refused(("127.0.0.1", port)):
        import pytest
        pytest.skip("127.0.0.1:8080 is in use")
    write_file(os.path.join(tmp, "hello.txt"), "hi\n")
    p = procs.start([GATEHOUSE_BIN, "-D"], name="gatehouse", cwd=tmp)
    wait_listening(("127.0.0.1", port), proc=p)
    with socket.create_connection(("127.0.0.1", port), 5) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        status, _, body, _ = read_response(s)
        assert status == 200 and b"hello.txt" in body
        s.sendall(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n")
        status, hdrs, body, _ = read_response(s)
        assert body == b"hi\n" and hdrs["content-type"] == "text/plain"
    assert p.stop() == 0


def test_daemon_mode_writes_pid_file_and_detaches(tmp):
    port = free_port()
    pidfile = os.path.join(tmp, "gh.pid")
    conf = write_file(os.path.join(tmp, "d.conf"),
                      'server.document-root = "%s"\nserver.bind = '
                      '"127.0.0.1"\nserver.port = %d\nserver.pid-file = "%s"'
                      '\nserver.errorlog = "%s/err.log"\n'
                      % (tmp, port, pidfile, tmp))
    r = run("-f", conf)
    assert r.returncode == 0
    pid = int(wait_for(lambda: os.path.exists(pidfile) and
                       open(pidfile).read().strip(), what="pid file"))
    try:
        wait_listening(("127.0.0.1", port))
        assert os.getsid(pid) == pid or os.getsid(pid) != os.getsid(0)
    finally:
        os.kill(pid, signal.SIGTERM)
    wait_for(lambda: not os.path.exists(pidfile), what="pid file removed")


def test_sigusr1_with_bad_config_keeps_running(gh):
    srv = gh()
    with open(srv.conf, "a") as f:
        f.write("server.no-such-key = 1\n")
    srv.proc.signal_group(signal.SIGUSR1)
    wait_for(lambda: "keeping the running" in srv.errlog(),
             what="SIGUSR1 refusal logged")
    assert srv.raw(b"GET /a.txt HTTP/1.0\r\n\r\n").endswith(b"0123456789")


def test_sigusr1_restarts_with_new_config(gh):
    srv = gh()
    with open(srv.conf, "a") as f:
        f.write('server.tag = "after-restart"\n')
    pid = srv.proc.pid
    srv.proc.signal_group(signal.SIGUSR1)

    def new_tag():
        try:
            return b"Server: after-restart" in srv.raw(
                b"GET /a.txt HTTP/1.0\r\n\r\n", timeout=1)
        except OSError:
            return False
    wait_for(new_tag, timeout=10, what="restarted server")
    assert srv.proc.poll() is None and srv.proc.pid == pid


def test_privileges_dropped_to_server_username(gh):
    srv = gh(extra='server.username = "nobody"\nserver.groupname = "nogroup"')
    with open("/proc/%d/status" % srv.proc.pid) as f:
        status = f.read()
    uid = [ln.split()[1:] for ln in status.splitlines()
           if ln.startswith("Uid:")][0]
    assert uid == ["65534"] * 4
    assert srv.raw(b"GET /a.txt HTTP/1.0\r\n\r\n").endswith(b"0123456789")
