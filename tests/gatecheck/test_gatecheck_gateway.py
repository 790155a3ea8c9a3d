"""Every gatecheck gateway-mode and http-mode case can fail, and passes
against a correct gateway.

conformance/fixtures/badgw.py is a small front end and gateway, strict and
correct by default, wrong on purpose with --fault NAME.  For each case ID
the tables name the gateway kind to run it on, the fault that breaks the
rule the case checks, and the verdict gatecheck must give (FAIL, or WARN
for cases whose rule permits the faulty outcome as a poorer choice).  The
same fixture with no fault must PASS every case of every kind.  A case
missing from the tables fails test_every_case_has_a_fault_proof: no case
counts until it can fail.  The real peers (lighttpd, nginx) are graded by
conformance/matrix.sh; test_matrix_smoke runs a fast subset of it.
"""

import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))

from harness import REPO, free_port, wait_listening  # noqa: E402

GATECHECK = os.environ.get("GATECHECK",
                           os.path.join(REPO, "build", "gatecheck"))
BADGW = os.path.join(REPO, "conformance", "fixtures", "badgw.py")
TIMEOUT_MS = "500"
KINDS = ["fastcgi", "scgi", "uwsgi", "http", "cgi"]

# case id: (gateway kind, fault[, verdict]); kind "front" = http mode.
F, S, U, H, C = "fastcgi", "scgi", "uwsgi", "http", "cgi"
GW = {
    "ENV-001": (F, "env-set:REQUEST_METHOD=XGET"),
    "ENV-002": (F, "env-set:REQUEST_METHOD=XGET"),
    "ENV-003": (F, "env-set:QUERY_STRING=a=1&b= c"),
    "ENV-004": (F, "env-drop:QUERY_STRING"),
    "ENV-005": (F, "env-set:SERVER_PROTOCOL=HTTP/1.0"),
    "ENV-006": (F, "env-set:SERVER_PROTOCOL=HTTP/1.1"),
    "ENV-007": (F, "env-set:GATEWAY_INTERFACE=CGI/1.0"),
    "ENV-008": (F, "env-set:CONTENT_LENGTH=99"),
    "ENV-009": (F, "env-set:CONTENT_LENGTH=5"),
    "ENV-010": (F, "env-drop:CONTENT_TYPE"),
    "ENV-011": (F, "ctype-empty"),
    "ENV-012": (F, "env-set:SERVER_NAME=wrong.example"),
    "ENV-013": (F, "env-set:SERVER_PORT=1"),
    "ENV-014": (F, "env-set:REMOTE_ADDR=10.0.0.1"),
    "ENV-015": (F, "env-drop:REMOTE_PORT"),
    "ENV-016": (F, "env-drop:SERVER_SOFTWARE"),
    "ENV-017": (F, "env-drop:HTTP_X_GC_TEST"),
    "ENV-018": (F, "env-drop:HTTP_X_GC_2_B"),
    "ENV-019": (F, "dup-vars"),
    "ENV-020": (F, "dup-vars"),
    "ENV-021": (F, "bad-names"),
    "ENV-022": (F, "env-set:HTTP_HOST=x"),
    "ENV-023": (F, "env-set:REQUEST_URI=/decoded"),
    "ENV-024": (F, "no-redirect-status"),
    "ENV-025": (F, "env-set:REQUEST_SCHEME=https"),
    "ENV-026": (F, "env-set:HTTPS=on"),
    "ENV-027": (F, "env-drop:SERVER_ADDR"),
    "ENV-028": (F, "env-drop:DOCUMENT_ROOT"),
    "ENV-029": (F, "env-set:CONTENT_LENGTH=7"),
    "ENV-030": (F, "env-set:HTTP_X_GC_VAL=a b;c"),
    "PATH-001": (F, "env-set:SCRIPT_NAME=/x"),
    "PATH-002": (F, "env-set:PATH_INFO=/y"),
    "PATH-003": (F, "env-set:PATH_INFO=/a%20b"),
    "PATH-004": (F, "env-set:PATH_INFO=/"),
    "PATH-005": (F, "pathtrans-always"),
    "PATH-006": (F, "env-set:PATH_INFO=/dir"),
    "PATH-007": (F, "env-set:PATH_INFO=/d"),
    "SEC-001": (F, "httpoxy"),
    "SEC-002": (F, "underscore-normalize"),
    "SEC-003": (F, "underscore"),
    "SEC-004": (F, "underscore-normalize"),
    "SEC-005": (F, "underscore-normalize"),
    "SEC-006": (F, "header-path-info"),
    "SEC-007": (F, "header-script-name"),
    "SEC-008": (F, "env-lines"),
    "BODY-001": (F, "body-truncate"),
    "BODY-002": (S, "chunk-raw"),
    "BODY-003": (U, "big-body-cut"),
    "BODY-004": (H, "get-body"),
    "BODY-005": (C, "expect-drop"),
    "BODY-006": (F, "body-trailer"),
    "FCGI-001": (F, "fcgi-first-params"),
    "FCGI-002": (F, "fcgi-role2"),
    "FCGI-003": (F, "fcgi-id0"),
    "FCGI-004": (F, "fcgi-id-mix"),
    "FCGI-005": (F, "fcgi-flags"),
    "FCGI-006": (F, "fcgi-reserved"),
    "FCGI-007": (F, "fcgi-params-noterm"),
    "FCGI-008": (F, "fcgi-stdin-noterm"),
    "FCGI-009": (F, "fcgi-stdin-noterm-empty"),
    "FCGI-010": (F, "fcgi-after-stdin"),
    "FCGI-011": (F, "fcgi-bad-pair"),
    "FCGI-012": (F, "fcgi-no-params"),
    "FCGI-013": (F, "fcgi-stdin-once"),
    "FCGI-014": (F, "fcgi-get-stdin"),
    "FCGI-015": (F, "stderr-to-client"),
    "FCGI-016": (F, "keep-padding"),
    "FCGI-017": (F, "split-broken"),
    "FCGI-018": (F, "need-stdout-term"),
    "FCGI-019": (F, "other-id-to-client"),
    "FCGI-020": (F, "badver-to-client"),
    "PKT-001": (S, "scgi-bad-netstring"),
    "PKT-002": (S, "scgi-cl-second"),
    "PKT-003": (S, "scgi-no-scgi1"),
    "PKT-004": (S, "scgi-dup"),
    "PKT-005": (U, "uwsgi-mod1"),
    "PKT-006": (U, "uwsgi-mod2"),
    "PKT-007": (U, "uwsgi-bad-var"),
    "PROXY-001": (H, "proxy-version"),
    "PROXY-002": (H, "method-get"),
    "PROXY-003": (H, "target-decode"),
    "PROXY-004": (H, "two-host"),
    "PROXY-005": (H, "keep-hop"),
    "PROXY-006": (H, "keep-keepalive"),
    "PROXY-007": (H, "keep-te"),
    "PROXY-008": (H, "keep-proxy"),
    "PROXY-009": (H, "keep-proxyconn"),
    "PROXY-010": (H, "te-and-cl"),
    "PROXY-011": (H, "lf-forward"),
    "PROXY-012": (H, "drop-header"),
    "PROXY-013": (H, "keep-upgrade"),
    "FWD-001": (H, "no-xff"),
    "FWD-002": (H, "xff-replace"),
    "FWD-003": (H, "no-xfp"),
    "FWD-004": (H, "no-xfh"),
    "FWD-005": (H, "forwarded-bad"),
    "FWD-006": (H, "forwarded-replace"),
    "RESP-001": (F, "status-ignore"),
    "RESP-002": (S, "status-ignore"),
    "RESP-003": (F, "location-200"),
    "RESP-004": (F, "status301-as-302"),
    "RESP-005": (H, "location-mangle"),
    "RESP-006": (C, "join-cookies"),
    "RESP-007": (F, "status-forward"),
    "RESP-008": (U, "ctype-drop"),
    "RESP-009": (S, "nph-body"),
    "RESP-010": (F, "resp-body-cut"),
    "RESP-011": (H, "resp-body-cut"),
    "RESP-012": (C, "resp-body-cut"),
    "RESP-013": (F, "lf-head-reject"),
    "RESP-014": (H, "fold-forward"),
    "RESP-015": (F, "cr-forward"),
    "RESP-016": (F, "head-body"),
    "RESP-017": (S, "body-204"),
    "RESP-018": (U, "body-204"),
    "RESP-019": (F, "extra-forward"),
    "RESP-020": (F, "chunk-passthrough"),
    "RESP-021": (F, "bad-status-200"),
    "RESP-022": (S, "big-head-ok"),
    "RESP-023": (F, "nohead-200"),
    "RESP-024": (H, "keep-resp-hop"),
    "STREAM-001": (F, "buffer", "WARN"),
    "STREAM-002": (S, "stream-cut"),
    "WS-001": (H, "ws-no-tunnel"),
    "FAIL-001": (F, "refuse-200"),
    "FAIL-002": (S, "early-200"),
    "FAIL-003": (S, "fail-mid-chunked"),
    "FAIL-004": (F, "mid-lastchunk"),
    "FAIL-005": (S, "hang-200"),
    "FAIL-006": (S, "garbage-200"),
    "FAIL-007": (S, "body-die-200"),
    "FAIL-008": (F, "fail-desync"),
}

FRONT = {
    "LEN-001": "clte-keep", "LEN-002": "clte-keep", "LEN-003": "cl-first",
    "LEN-004": "cl-first", "LEN-005": "cl-dup-zero",
    "LEN-006": "cl-lenient", "LEN-007": "cl-lenient",
    "LEN-008": "cl-lenient", "LEN-009": "cl-lenient",
    "LEN-010": "cl-lenient", "LEN-011": "cl-lenient",
    "LEN-012": "te-lenient", "LEN-013": "te-lenient",
    "LEN-014": "ws-colon-keep", "LEN-015": "te-lenient", "LEN-016": "te-case",
    "LEN-017": "te-lenient", "LEN-018": "te-lenient",
    "LEN-019": "clte-keep", "LEN-020": "te10", "LEN-021": "get-nobody",
    "LEN-022": "post-read-all", "LEN-023": "cl-lenient",
    "LEN-024": "cl-strict-zero",
    "CHUNK-001": "chunk-lenient", "CHUNK-002": "chunk-lenient",
    "CHUNK-003": "chunk-lenient", "CHUNK-004": "chunk-lenient",
    "CHUNK-005": "chunk-lenient", "CHUNK-006": "chunk-lenient",
    "CHUNK-007": "chunk-ext-reject", "CHUNK-008": "trailer-reject",
    "CHUNK-009": "chunk-lenient", "CHUNK-010": "chunk-lenient",
    "CHUNK-011": "chunk-lenient", "CHUNK-012": "chunk-big-reject",
    "CHUNK-013": "chunk-lenient",
    "SYN-001": "fold-forward", "SYN-002": "ws-colon",
    "SYN-003": "cr-forward", "SYN-004": "lf-forward",
    "SYN-005": "nul-forward", "SYN-006": "nul-target",
    "SYN-007": "name-lenient", "SYN-008": "nocolon-ok",
    "SYN-009": "fold-forward", "SYN-010": "split-ws",
    "SYN-011": "version-lenient", "SYN-012": "h2-as-h1",
    "SYN-013": "method-lenient", "SYN-014": "no-skip-empty",
    "SYN-015": "v12-hang", "SYN-016": "space-target",
    "SYN-017": "answer-partial",
    "HOST-001": "host-lenient", "HOST-002": "host-lenient",
    "HOST-003": "host-lenient", "HOST-004": "host-lenient",
    "HOST-005": "host-required-10", "HOST-006": "host-lenient",
    "HOST-007": "absform-keep-host",
    "SIZE-001": "no-limits", "SIZE-002": "no-limits",
    "SIZE-003": "no-limits",
    "CONN-001": "no-pipeline", "CONN-002": "no-pipeline",
    "CONN-003": "ignore-close", "CONN-004": "keep-10",
    "CONN-005": "close-always", "CONN-006": "head-body",
    "CONN-007": "no-pipeline", "CONN-008": "ignore-close",
    "EXP-001": ("no-100", "WARN"), "EXP-002": "always-100",
}


def proofs():
    """{case id: (kind, fault, verdict)}."""
    out = {}
    for short, v in GW.items():
        kind, fault = v[0], v[1]
        out["GW-" + short] = (kind, fault, v[2] if len(v) > 2 else "FAIL")
    for short, v in FRONT.items():
        fault, verdict = v if isinstance(v, tuple) else (v, "FAIL")
        out["HTTP-" + short] = ("front", fault, verdict)
    return out


def listed(args):
    out = subprocess.run([GATECHECK] + args + ["--list"],
                         stdout=subprocess.PIPE, check=True).stdout
    return {line.split()[0] for line in out.decode().splitlines() if line}


class Badgw:
    """badgw.py on a free port, wired to a gatecheck backend port."""

    def __init__(self, kind, fault, tmp):
        self.port, self.bport = free_port(), free_port()
        self.kind = kind
        proto = "http" if kind == "front" else kind
        self.log = open(os.path.join(tmp, "badgw.%d.log" % self.port), "wb")
        self.p = subprocess.Popen(
            [sys.executable, BADGW, "--listen", str(self.port), "--proto",
             proto, "--backend", "127.0.0.1:%d" % self.bport, "--cgi",
             GATECHECK, "--fault", fault, "--backend-timeout", "1"],
            stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)
        wait_listening(("127.0.0.1", self.port), proc=self.p)

    def args(self):
        url = "http://127.0.0.1:%d/gc" % self.port
        be = "127.0.0.1:%d" % self.bport
        if self.kind == "front":
            return ["http", "--url", url, "--backend", be]
        return ["gateway", self.kind, "--url", url, "--backend", be]

    def stop(self):
        self.p.terminate()
        try:
            self.p.wait(5)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        self.log.close()


def gatecheck(args, timeout=300):
    fd, js = tempfile.mkstemp(prefix="gatecheck-json-", suffix=".json")
    os.close(fd)
    p = subprocess.run([GATECHECK] + args + ["--json", js, "--timeout",
                                             TIMEOUT_MS, "-q"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=timeout)
    try:
        with open(js) as f:
            res = json.load(f)
    except ValueError:
        raise AssertionError("gatecheck exited %d without JSON:\n%s" % (
            p.returncode, p.stdout.decode("utf-8", "replace")))
    finally:
        os.unlink(js)
    return p.returncode, {c["id"]: c for c in res["cases"]}, p.stdout


def test_every_case_has_a_fault_proof():
    ids = set()
    for k in KINDS:
        ids |= listed(["gateway", k])
    ids |= listed(["http"])
    assert sorted(ids) == sorted(proofs())


@pytest.mark.parametrize("kind", KINDS + ["front"])
def test_correct_gateway_passes_every_case(kind, tmp):
    gw = Badgw(kind, "", tmp)
    try:
        rc, cases, out = gatecheck(gw.args())
    finally:
        gw.stop()
    bad = {i: (c["verdict"], c["got"]) for i, c in cases.items()
           if c["verdict"] != "PASS"}
    assert not bad, out.decode()
    assert rc == 0


def fault_groups():
    groups = collections.defaultdict(list)
    for cid, (kind, fault, verdict) in proofs().items():
        groups[(kind, fault)].append((cid, verdict))
    for (kind, fault), ids in sorted(groups.items()):
        yield pytest.param(kind, fault, sorted(ids),
                           id="%s-%s" % (kind, fault))


@pytest.mark.parametrize("kind,fault,ids", list(fault_groups()))
def test_case_fails_against_faulty_gateway(kind, fault, ids, tmp):
    gw = Badgw(kind, fault, tmp)
    args = gw.args()
    for cid, _ in ids:
        args += ["--only", cid]
    try:
        rc, cases, out = gatecheck(args)
    finally:
        gw.stop()
    for cid, verdict in ids:
        assert cases[cid]["verdict"] == verdict, (cid, out.decode())


def test_print_config_is_accepted_by_the_peers(tmp):
    """--print-config output parses (lighttpd -tt, nginx -t)."""
    url, be = "http://127.0.0.1:18080/gc", "127.0.0.1:19000"
    for kind in KINDS:
        for peer in ("lighttpd", "nginx"):
            if peer == "nginx" and kind == "cgi":
                continue
            exe = "/usr/sbin/lighttpd" if peer == "lighttpd" else \
                shutil.which("nginx")
            if exe is None or not os.path.exists(exe):
                pytest.skip("%s not installed" % peer)
            conf = subprocess.run(
                [GATECHECK, "gateway", kind, "--print-config", peer,
                 "--url", url, "--backend", be, "--root", tmp],
                stdout=subprocess.PIPE, check=True).stdout
            path = os.path.join(tmp, "%s-%s.conf" % (peer, kind))
            with open(path, "wb") as f:
                f.write(conf)
            argv = [exe, "-tt", "-f", path] if peer == "lighttpd" else \
                [exe, "-t", "-c", path]
            p = subprocess.run(argv, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
            assert p.returncode == 0, (peer, kind, p.stdout.decode())


def test_matrix_smoke():
    """The fast subset of conformance/matrix.sh (make test)."""
    if not os.path.exists("/usr/sbin/lighttpd") or not shutil.which("nginx"):
        pytest.skip("lighttpd or nginx not installed")
    env = dict(os.environ, GC_TIMEOUT="500")
    p = subprocess.run(["bash", os.path.join(REPO, "conformance",
                                             "matrix.sh"), "--smoke"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       env=env, timeout=180, cwd=REPO)
    assert p.returncode == 0, p.stdout.decode("utf-8", "replace")[-3000:]
