"""Differential tests of the config language against lighttpd 1.4.69.

Every spec/vectors/config vector whose source starts with "lighttpd 1.4.69"
or says "(checked" anywhere is replayed through both gatehouse and lighttpd
(`-p`, or `-tt` when the source names `-tt`), so no "(checked)" claim can
rot. What the source claims decides what must hold:

* "rejects it too": both fail (with `-tt`, not merely for want of a
  document root); "at the same line" also compares the line numbers;
* "only warns" / "accepts it" (a documented difference): lighttpd exits 0
  (printing a warning for "only warns"), gatehouse fails;
* otherwise an ok vector: both exit 0 and `-p` prints the same text.

A "(checked)" source that fits none of these fails the test. The configs in
tests/config/diff/ (larger, realistic ones) must print the same, and
includes are checked on disk (CONF-INC-1). var.CWD and var.PID differ per
process and are left out. Rules: spec/config.md CONF-PRINT-1, CONF-INC-1
and the rules each vector names.
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
        if v["source"].startswith("lighttpd 1.4.69")
        or "(checked" in v["source"]]
DIFF = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "diff",
                                     "*.conf")))


def both(tmp, text, flag="-p", name="t.conf"):
    path = os.path.join(tmp, name)
    if text is not None:
        with open(path, "wb") as f:
            f.write(text)
    res = []
    for argv in ([gatehouse_bin(), flag, "-f", path],
                 [LIGHTTPD, flag, "-f", path]):
        res.append(subprocess.run(argv, cwd=tmp, capture_output=True,
                                  timeout=30))
    return res


@pytest.fixture(autouse=True)
def need_lighttpd():
    if not os.access(LIGHTTPD, os.X_OK):
        pytest.skip("lighttpd is not installed")


def first_line(stderr, lighttpd):
    """The line number of the first error message."""
    pat = r"line: (\d+) pos:" if lighttpd else r"^[^ :]+:(\d+):\d+: "
    m = re.search(pat, stderr.decode("latin-1"), re.M)
    assert m, stderr
    return int(m.group(1))


@pytest.mark.parametrize("v", VECS, ids=[v["id"] for v in VECS])
def test_vector_agrees_with_lighttpd(tmp, v):
    src = v["source"]
    flag = "-tt" if "-tt" in src else "-p"
    ours, theirs = both(tmp, v["in"], flag)
    if "rejects it too" in src:
        assert v["result"] != "ok"
        assert ours.returncode != 0
        assert theirs.returncode != 0
        # -tt also fails on a config without a document root; that is not
        # the rejection the vector is about.
        assert b"document-root is not set" not in theirs.stderr, \
            theirs.stderr
        if "same line" in src:
            assert first_line(ours.stderr, False) == \
                first_line(theirs.stderr, True)
    elif "only warns" in src or "accepts it" in src:
        # A deliberate difference: lighttpd takes it, we refuse it.
        assert v["result"] != "ok"
        assert theirs.returncode == 0, theirs.stderr
        assert ours.returncode != 0
        if "only warns" in src:
            assert theirs.stderr.strip(), "lighttpd printed no warning"
    else:
        assert v["result"] == "ok", "%s: what does lighttpd do?" % src
        assert ours.returncode == 0, ours.stderr
        assert theirs.returncode == 0, theirs.stderr
        assert printed(ours.stdout.decode("latin-1")) == \
            printed(theirs.stdout.decode("latin-1"))


def test_include_resolves_against_main_config_dir(tmp):
    # CONF-INC-1: sub/a.conf saying include "b.conf" reads <main dir>/b.conf,
    # not sub/b.conf; a glob that matches nothing is fine.
    os.mkdir(os.path.join(tmp, "sub"))
    files = {
        "main.conf": b'include "sub/a.conf"\ninclude "none-*.conf"\n',
        "sub/a.conf": b'include "b.conf"\n',
        "b.conf": b'server.tag = "main-dir"\n',
        "sub/b.conf": b'server.tag = "sub-dir"\n',
    }
    for name, text in files.items():
        with open(os.path.join(tmp, name), "wb") as f:
            f.write(text)
    ours, theirs = both(tmp, None, "-p", "main.conf")
    assert theirs.returncode == 0, theirs.stderr
    assert ours.returncode == 0, ours.stderr
    assert b'"main-dir"' in theirs.stdout
    assert printed(ours.stdout.decode("latin-1")) == \
        printed(theirs.stdout.decode("latin-1"))


def test_missing_plain_include_is_an_error_in_both(tmp):
    # CONF-INC-1: a plain path that does not exist is an error.
    ours, theirs = both(tmp, b'include "no-such.conf"\n')
    assert ours.returncode != 0 and theirs.returncode != 0
    assert b"not found" in theirs.stderr, theirs.stderr


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
