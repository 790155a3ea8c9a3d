"""gatecheck grades Gatehouse as a FastCGI gateway (issue 7): the config
gatecheck prints for Gatehouse, the server started from it, and no MUST
case may fail."""

import json
import os
import signal
import subprocess

import pytest

from ghutil import GATEHOUSE_BIN
from harness import REPO, free_port, wait_listening

GATECHECK = os.path.join(REPO, "build", "gatecheck")


def has_gateway_mode():
    try:
        out = subprocess.run([GATECHECK, "gateway", "--help"],
                             capture_output=True, timeout=10)
    except OSError:
        return False
    return b"gateway fastcgi" in out.stdout + out.stderr


@pytest.mark.skipif(not has_gateway_mode(), reason="no gatecheck gateway")
def test_gatecheck_gateway_fastcgi_no_must_failure(procs, tmp):
    port = free_port()
    url = "http://127.0.0.1:%d/gc" % port
    backend = "unix:" + os.path.join(tmp, "gc.sock")
    www = os.path.join(tmp, "www")
    os.makedirs(www)
    conf = subprocess.run(
        [GATECHECK, "gateway", "fastcgi", "--print-config", "gatehouse",
         "--url", url, "--backend", backend, "--root", www],
        capture_output=True, check=True, timeout=30).stdout
    path = os.path.join(tmp, "gc.conf")
    with open(path, "wb") as f:
        f.write(conf)
    gh = procs.start([GATEHOUSE_BIN, "-D", "-f", path], name="gatehouse")
    wait_listening(("127.0.0.1", port), proc=gh)
    report = os.path.join(tmp, "gc.json")
    subprocess.run([GATECHECK, "gateway", "fastcgi", "--url", url,
                    "--backend", backend, "-q", "--json", report],
                   timeout=600)
    with open(report) as f:
        res = json.load(f)
    text = json.dumps(res)
    cases = res["cases"]
    bad = [c for c in cases
           if c["level"] == "MUST" and c["verdict"] == "FAIL"]
    assert len(cases) > 50, text[:2000]
    assert not bad, bad
    assert gh.stop(signal.SIGTERM, timeout=10) == 0
