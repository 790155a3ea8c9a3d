"""Every gatecheck app-mode case can fail, and passes against a correct app.

For each case ID the table names the fault of conformance/fixtures/badapp.py
that breaks the rule the case checks, and the verdict gatecheck must give
(FAIL, or WARN for advisory cases whose rule permits both outcomes).  The
same fixture with no fault must PASS every case; FCGI-APP-MPX-001, which
only runs against an application that claims multiplexing, is proven
passing against gatemock --mpx.  A case missing from the table fails
test_every_case_has_a_fault_proof: no case counts until it can fail.
"""

import collections
import json
import os
import subprocess
import sys
import tempfile

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))

from harness import REPO  # noqa: E402

GATECHECK = os.environ.get("GATECHECK",
                           os.path.join(REPO, "build", "gatecheck"))
BADAPP = os.path.join(REPO, "conformance", "fixtures", "badapp.py")
TIMEOUT_MS = "500"

FCGI = {
    "REC-001": "version", "REC-002": "truncated", "REC-003": "badtype",
    "REC-004": ("nopad", "WARN"), "REC-005": "reserved",
    "REC-006": "reqid", "REC-007": "endid", "REC-008": "lowid",
    "STR-001": "noterm", "STR-002": "stderr-noterm",
    "STR-003": "after-term", "STR-004": "no-end", "STR-005": "two-end",
    "STR-006": "endlen", "STR-007": "pstatus", "STR-008": "overloaded",
    "STR-009": "after-end", "STR-010": "empty",
    "STR-011": "params-per-record", "STR-012": "stdin-short",
    "STR-013": "stdin-short", "STR-014": "stdin-short",
    "STR-015": "stdin-hang-empty", "STR-016": "stdin-nowait",
    "STR-017": "inactive", "BEG-001": "role-ignore",
    "ABT-001": "abort-ignore", "ABT-002": "abort-close",
    "ABT-003": "abort-any",
    "NV-001": "params-per-record", "NV-002": "params-per-record",
    "NV-003": "big-params", "NV-004": "big-params",
    "NV-005": "empty-params-die", "NV-006": "force4", "NV-007": "nv-die",
    "NV-008": "nv-die", "NV-009": "nv-die", "NV-010": "nul-die",
    "CONN-001": "noclose", "CONN-002": "keep-close",
    "CONN-003": "keep-close", "CONN-004": "keep-sameid",
    "CONN-005": "keep-limit2", "CONN-006": "garbage-die",
    "CONN-007": "eof-die", "CONN-008": "eof-die",
    "MGT-001": "gv-none", "MGT-002": "gv-bad", "MGT-003": "gv-extra",
    "MGT-004": "gv-nonnum", "MGT-005": "gv-mpxs2", "MGT-006": "gv-unknown",
    "MGT-007": "gv-close", "MGT-008": "ut-none", "MGT-009": "ut-body",
    "MGT-010": "ut-close",
    "MPX-001": "mpx-claim", "MPX-002": "mpx-ignore", "MPX-003": "mpx-kill",
    "HDR-001": "nohead", "HDR-002": "badname", "HDR-003": "ctl",
    "HDR-004": "badstatus", "HDR-005": "status999", "HDR-006": "noreason",
    "HDR-007": "dupstatus", "HDR-008": "badctype", "HDR-009": "noctype",
    "HDR-010": "badlocation", "HDR-011": "nocgi", "HDR-012": "badcl",
    "HDR-013": "mixedeol", "HDR-014": ("nph", "WARN"),
    "HDR-015": "headbody",
    "SEC-001": "httpoxy", "SEC-002": "pathinfo-die",
    "SEM-001": "query-decode", "SEM-002": "cl-wrong", "SEM-003": "len128",
}

ONESHOT = {
    "HDR-001": "nohead", "HDR-002": "badname", "HDR-003": "ctl",
    "HDR-004": "badstatus", "HDR-005": "status999", "HDR-006": "dupstatus",
    "HDR-007": "badctype", "HDR-008": "noctype", "HDR-009": "badlocation",
    "HDR-010": "nocgi", "HDR-011": "badcl", "HDR-012": "mixedeol",
    "HDR-013": "headbody",
    "REQ-001": "noclose", "REQ-002": "split-once", "REQ-003": "stdin-short",
    "REQ-004": "stdin-short", "REQ-005": "bighead-close",
    "REQ-006": "read-extra", "REQ-007": "eof-die", "REQ-008": "bad-die",
    "SEC-001": "httpoxy", "SEM-001": "query-decode", "SEM-002": "cl-wrong",
}
SCGI = dict(ONESHOT, **{"HDR-014": ("nph", "WARN"),
                        "REQ-009": ("no-cl-ok", "WARN")})
UWSGI = dict(ONESHOT, **{"REQ-009": "mod-die"})

TABLES = {"fastcgi": ("FCGI", FCGI), "scgi": ("SCGI", SCGI),
          "uwsgi": ("UWSGI", UWSGI)}


def proofs(proto):
    """{case id: (fault, verdict)} for one protocol."""
    prefix, table = TABLES[proto]
    out = {}
    for short, v in table.items():
        fault, verdict = v if isinstance(v, tuple) else (v, "FAIL")
        out["%s-APP-%s" % (prefix, short)] = (fault, verdict)
    return out


def gatecheck(args, tmp, timeout=120):
    # Not in tmp: a concurrent pytest session's leftover sweep removes
    # every /tmp/gh-test-* directory created while it ran.
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
        raise AssertionError("gatecheck exited %d without writing JSON:\n%s"
                             % (p.returncode,
                                p.stdout.decode("utf-8", "replace")))
    finally:
        os.unlink(js)
    return p.returncode, {c["id"]: c for c in res["cases"]}, p.stdout


def spawn_args(proto, fault=None):
    cmd = "exec %s %s %s" % (sys.executable, BADAPP, proto)
    if fault:
        cmd += " --fault " + fault
    return [proto, "--spawn", cmd, "--path", "/probe"]


def listed(proto):
    out = subprocess.run([GATECHECK, proto, "--list"],
                         stdout=subprocess.PIPE, check=True).stdout
    return [line.split()[0] for line in out.decode().splitlines() if line]


@pytest.mark.parametrize("proto", sorted(TABLES))
def test_every_case_has_a_fault_proof(proto):
    assert sorted(listed(proto)) == sorted(proofs(proto))


@pytest.mark.parametrize("proto", sorted(TABLES))
def test_correct_app_passes_every_case(proto, tmp):
    rc, cases, out = gatecheck(spawn_args(proto), tmp)
    bad = {i: (c["verdict"], c["got"]) for i, c in cases.items()
           if c["verdict"] != "PASS" and i != "FCGI-APP-MPX-001"}
    assert not bad, out.decode()
    assert rc == 0


def test_mpx_case_passes_against_a_multiplexing_app(tmp, gatemock):
    m = gatemock("fastcgi", "--mpx")
    rc, cases, out = gatecheck(["fastcgi", "unix:" + m.sock_path, "--only",
                                "FCGI-APP-MPX-*"], tmp)
    assert cases["FCGI-APP-MPX-001"]["verdict"] == "PASS", out.decode()
    assert cases["FCGI-APP-MPX-003"]["verdict"] == "PASS", out.decode()


def fault_groups():
    for proto in sorted(TABLES):
        by_fault = collections.defaultdict(list)
        for cid, (fault, verdict) in proofs(proto).items():
            by_fault[fault].append((cid, verdict))
        for fault, ids in sorted(by_fault.items()):
            yield pytest.param(proto, fault, sorted(ids),
                               id="%s-%s" % (proto, fault))


@pytest.mark.parametrize("proto,fault,ids", list(fault_groups()))
def test_case_fails_against_faulty_app(proto, fault, ids, tmp):
    args = spawn_args(proto, fault)
    for cid, _ in ids:
        args += ["--only", cid]
    rc, cases, out = gatecheck(args, tmp)
    for cid, verdict in ids:
        assert cases[cid]["verdict"] == verdict, (cid, out.decode())
    must_fail = any(v == "FAIL" and cases[c]["level"] == "MUST"
                    for c, v in ids)
    assert rc == (1 if must_fail else 0), out.decode()
