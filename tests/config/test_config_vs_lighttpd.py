"""Differential tests of the config language against lighttpd 1.4.69.

Every spec/vectors/config vector whose source says it was checked against
lighttpd is replayed through both `gatehouse -p` and `lighttpd -p`: ok
vectors must print the same text, "rejects it too" vectors must fail in
both. The configs in tests/config/diff/ (larger, realistic ones) must
print the same. var.CWD and var.PID differ per process and are left out.
Rules: spec/config.md CONF-PRINT-1 and the rules each vector names.
"""

import glob
import os
import re
import subprocess
import sys

import pytest

from harness import REPO
from test_debian_config import LIGHTTPD, gatehouse_bin, printed

sys.path.insert(0, os.path.join(REPO, "spec", "vectors"))
import vectors  # noqa: E402

VECS = [v for v in vectors.load_dir("config")
        if v["source"].startswith("lighttpd 1.4.69")]
DIFF = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "diff",
                                     "*.conf")))


def both(tmp, text):
    path = os.path.join(tmp, "t.conf")
    with open(path, "wb") as f:
        f.write(text)
    res = []
    for argv in ([gatehouse_bin(), "-p", "-f", path],
                 [LIGHTTPD, "-p", "-f", path]):
        res.append(subprocess.run(argv, cwd=tmp, capture_output=True,
                                  timeout=30))
    return res


@pytest.fixture(autouse=True)
def need_lighttpd():
    if not os.access(LIGHTTPD, os.X_OK):
        pytest.skip("lighttpd is not installed")


@pytest.mark.parametrize("v", VECS, ids=[v["id"] for v in VECS])
def test_vector_agrees_with_lighttpd(tmp, v):
    ours, theirs = both(tmp, v["in"])
    if v["result"] == "ok":
        assert ours.returncode == 0, ours.stderr
        assert theirs.returncode == 0, theirs.stderr
        assert printed(ours.stdout.decode("latin-1")) == \
            printed(theirs.stdout.decode("latin-1"))
    else:
        assert "rejects it too" in v["source"]
        assert ours.returncode != 0
        assert theirs.returncode != 0


@pytest.mark.parametrize("path", DIFF, ids=[os.path.basename(p)
                                            for p in DIFF])
def test_config_prints_as_lighttpd(tmp, path):
    with open(path, "rb") as f:
        text = f.read()
    # Fixtures refer to their own folder as @DIR@.
    text = text.replace(b"@DIR@", os.path.dirname(path).encode())
    ours, theirs = both(tmp, text)
    assert theirs.returncode == 0, theirs.stderr
    assert ours.returncode == 0, ours.stderr
    assert printed(ours.stdout.decode("latin-1")) == \
        printed(theirs.stdout.decode("latin-1"))
