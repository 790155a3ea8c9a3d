"""Issue 6 acceptance: Debian 12's shipped lighttpd.conf, with the fastcgi,
fastcgi-php (or -fpm), cgi, proxy and status conf-available files enabled
the way lighty-enable-mod does it (symlinks in conf-enabled/), passes
`gatehouse -tt`, and `gatehouse -p` prints what `lighttpd -p` prints.
Enabling a module gatehouse does not implement gives one error naming it.

The config is copied from /etc/lighttpd into a per-test directory and its
include of /etc/lighttpd/conf-enabled/ pointed there. Rules: spec/config.md
(CONF-CLI-1, CONF-MOD-1, CONF-PRINT-1).
"""

import os
import re
import shutil
import subprocess

import pytest

from harness import REPO

LIGHTTPD = "/usr/sbin/lighttpd"
ETC = "/etc/lighttpd"


def gatehouse_bin():
    """The binary under test: $GATEHOUSE_BIN, else the ASan or release
    build folder's."""
    cands = [os.environ.get("GATEHOUSE_BIN", "")]
    cands += [os.path.join(REPO, d, "gatehouse")
              for d in ("build-asan", "build")]
    for c in cands:
        if c and os.access(c, os.X_OK):
            return c
    pytest.fail("gatehouse is not built (make, or set GATEHOUSE_BIN)")


def debian_copy(tmp, enable):
    """Copy /etc/lighttpd to tmp/lighttpd, enable the named conf-available
    files (as lighty-enable-mod: a relative symlink in conf-enabled/) and
    point lighttpd.conf's conf-enabled include at the copy."""
    if not os.path.exists(os.path.join(ETC, "lighttpd.conf")):
        pytest.skip("Debian's lighttpd package is not installed")
    root = os.path.join(tmp, "lighttpd")
    shutil.copytree(ETC, root, symlinks=True)
    for name in enable:
        src = os.path.join("..", "conf-available", name + ".conf")
        assert os.path.exists(os.path.join(root, "conf-available",
                                           name + ".conf")), name
        os.symlink(src, os.path.join(root, "conf-enabled", name + ".conf"))
    conf = os.path.join(root, "lighttpd.conf")
    with open(conf) as f:
        text = f.read()
    text = text.replace('"/etc/lighttpd/conf-enabled/',
                        '"%s/conf-enabled/' % root)
    # Older Debian configs list conf-enabled/ through a perl script that
    # takes the folder as its argument.
    text = text.replace('include-conf-enabled.pl"',
                        'include-conf-enabled.pl %s"' % root)
    assert "%s/conf-enabled" % root in text or \
        "include-conf-enabled.pl %s" % root in text, \
        "lighttpd.conf does not include conf-enabled/ as expected"
    with open(conf, "w") as f:
        f.write(text)
    return conf


def run(argv, cwd):
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True,
                          timeout=60)


def errors(stderr):
    """Error lines (file:line[:col]: message), warnings left out."""
    return [ln for ln in stderr.splitlines()
            if re.match(r"^[^ ]+:\d+(:\d+)?: ", ln) and
            ": warning: " not in ln]


def printed(text):
    """-p output without the per-process var.CWD and var.PID lines."""
    return [ln for ln in text.splitlines()
            if not re.match(r"^    var\.(CWD|PID) ", ln)]


GATEWAYS = ["10-fastcgi", "15-fastcgi-php", "10-cgi", "10-proxy",
            "10-status"]
GATEWAYS_FPM = ["10-fastcgi", "15-fastcgi-php-fpm", "10-cgi", "10-proxy",
                "10-status"]


@pytest.mark.parametrize("enable", [GATEWAYS, GATEWAYS_FPM],
                         ids=["php-cgi", "php-fpm"])
def test_debian_config_with_gateways_passes_tt(tmp, enable):
    conf = debian_copy(tmp, enable)
    r = run([gatehouse_bin(), "-tt", "-f", conf], tmp)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "Syntax OK"
    assert errors(r.stderr) == []
    # The only remarks are the HTTP/2 feature flags we do not speak.
    for ln in r.stderr.splitlines():
        if ln.strip() and not ln.startswith("WARNING") and \
                "include-conf-enabled.pl" not in ln and \
                "Replace in lighttpd.conf" not in ln and \
                not ln.startswith("  "):
            assert "HTTP/1.x only" in ln, ln


@pytest.mark.parametrize("enable", [GATEWAYS, GATEWAYS_FPM],
                         ids=["php-cgi", "php-fpm"])
def test_debian_config_print_matches_lighttpd(tmp, enable):
    if not os.access(LIGHTTPD, os.X_OK):
        pytest.skip("lighttpd is not installed")
    conf = debian_copy(tmp, enable)
    ours = run([gatehouse_bin(), "-p", "-f", conf], tmp)
    theirs = run([LIGHTTPD, "-p", "-f", conf], tmp)
    assert ours.returncode == 0, ours.stderr
    assert theirs.returncode == 0, theirs.stderr
    assert printed(ours.stdout) == printed(theirs.stdout)


def test_debian_config_unsupported_modules_named_once_each(tmp):
    conf = debian_copy(tmp, GATEWAYS + ["05-auth", "10-userdir",
                                        "10-evhost", "10-ssi"])
    r = run([gatehouse_bin(), "-tt", "-f", conf], tmp)
    assert r.returncode == 1
    errs = errors(r.stderr)
    named = sorted(re.search(r"(mod_[a-z_]+)", e).group(1) for e in errs)
    assert named == ["mod_auth", "mod_evhost", "mod_ssi", "mod_userdir"], \
        r.stderr
    for e in errs:
        assert "not supported" in e or "does not support" in e, e


def test_debian_config_unknown_key_has_position_and_suggestion(tmp):
    conf = debian_copy(tmp, GATEWAYS)
    extra = os.path.join(os.path.dirname(conf), "conf-enabled",
                         "99-typo.conf")
    with open(extra, "w") as f:
        f.write('# a typo\nserver.document-rot = "/srv"\n')
    r = run([gatehouse_bin(), "-t", "-f", conf], tmp)
    assert r.returncode == 1
    assert errors(r.stderr) == [
        "%s:2:1: server.document-rot: unknown config key; did you mean "
        "server.document-root?" % extra]
