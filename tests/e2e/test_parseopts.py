"""server.http-parseopts (every lighttpd 1.4 option, with lighttpd's
defaults) and server.follow-symlink = "disable" refusing a symlink in any
path component. The same config runs on gatehouse and, when installed, on
lighttpd 1.4; both must answer with the same status. Deliberate
differences are in spec/config.md ("server.http-parseopts")."""

import os
import socket
import subprocess

import pytest

from ghutil import GATEHOUSE_BIN, read_response
from harness import write_file
from test_modules import pair  # noqa: F401 (fixture)


def raw(port, data):
    """Send raw request bytes; the status of the answer (None: closed)."""
    with socket.create_connection(("127.0.0.1", port), 5) as s:
        s.sendall(data)
        try:
            return read_response(s)[0]
        except (EOFError, ConnectionResetError):
            return None


def both(srv, lport, data):
    g = raw(srv.port, data)
    if lport is not None:
        assert g == raw(lport, data), data
    return g


def get(target, host=b"t", extra=b""):
    return (b"GET " + target + b" HTTP/1.1\r\nHost: " + host +
            b"\r\nConnection: close\r\n" + extra + b"\r\n")


def opts(**kw):
    return "server.http-parseopts = (%s)\n" % ", ".join(
        '"%s" => "%s"' % (k.replace("_", "-"), v) for k, v in kw.items())


def test_defaults_are_lighttpds(pair):
    srv, lp = pair("")
    assert both(srv, lp, get(b"/sub%2fb.css")) == 200  # 2f-decode
    assert both(srv, lp, get(b"/sub/%01")) == 400  # url-ctrls-reject
    assert both(srv, lp, get(b"/sub/./../a.txt")) == 200  # dotseg-remove
    assert both(srv, lp, get(b"/a.txt", extra=b"Content-Length: 3\r\n")
                + b"abc") == 400  # method-get-body disabled
    assert both(srv, lp, b"HEAD /a.txt HTTP/1.1\r\nHost: t\r\n"
                b"Connection: close\r\nContent-Length: 1\r\n\r\nx") == 400
    assert both(srv, lp, get(b"/a.txt", extra=b"Content-Length: 0\r\n")) \
        == 200
    assert both(srv, lp, b"GET /a.txt HTTP/1.0\nHost: t\n\n") == 400


@pytest.mark.parametrize("conf,req,status", [
    (dict(url_path_2f_decode="disable", url_path_2f_reject="enable"),
     get(b"/sub%2fb.css"), 400),
    (dict(url_path_dotseg_remove="disable", url_path_dotseg_reject="enable"),
     get(b"/sub/../a.txt"), 400),
    (dict(url_path_dotseg_remove="disable", url_path_dotseg_reject="enable"),
     get(b"/sub/b.css"), 200),
    (dict(url_ctrls_reject="disable"), get(b"/sub/%01"), 404),
    (dict(header_strict="disable"),
     b"GET /a.txt HTTP/1.0\nHost: t\n\n", 200),
    (dict(method_get_body="enable"),
     get(b"/a.txt", extra=b"Content-Length: 3\r\n") + b"abc", 200),
])
def test_option_answers_as_lighttpd(pair, conf, req, status):
    srv, lp = pair(opts(**conf))
    assert both(srv, lp, req) == status


def test_backslash_trans_applies_to_encoded_backslash(pair):
    # Deliberate difference (spec/config.md): the h1 codec refuses a raw
    # '\\' in the target, so the option acts on %5C; lighttpd translates
    # only the raw byte (and answers 404 for %5C here).
    srv, _ = pair(opts(url_path_backslash_trans="enable"))
    assert raw(srv.port, get(b"/sub%5cb.css")) == 200


def test_query_20_plus_reaches_redirect_as_plus(pair):
    srv, lp = pair(opts(url_query_20_plus="enable") +
                   'url.redirect = ("^/q\\?(.*)$" => "/r?$1")\n')
    for port in [srv.port] + ([lp] if lp else []):
        with socket.create_connection(("127.0.0.1", port), 5) as s:
            s.sendall(get(b"/q?a=b%20c%2520"))
            status, hdrs, _, _ = read_response(s)
        assert status in (301, 302)
        assert hdrs["location"].endswith("/r?a=b+c%2520"), port


def check(tmp, conf):
    path = write_file(os.path.join(tmp, "po.conf"),
                      'server.document-root = "/tmp"\nserver.port = 1\n'
                      + conf)
    r = subprocess.run([GATEHOUSE_BIN, "-tt", "-f", path],
                       capture_output=True, timeout=30)
    return r.returncode, r.stdout + r.stderr


@pytest.mark.parametrize("conf,word", [
    (opts(url_path_2f_reject="enable"), b"url-path-2f-reject"),
    (opts(url_path_dotseg_reject="enable"), b"url-path-dotseg-reject"),
    (opts(url_normalize="maybe"), b"enable"),
    (opts(url_normalise="enable"), b"url-normalize"),
])
def test_bad_or_conflicting_options_are_errors(tmp, conf, word):
    rc, out = check(tmp, conf)
    assert rc != 0 and b"po.conf:3:" in out and word in out, out


@pytest.mark.parametrize("conf,word", [
    (opts(url_normalize="disable"), b"url-normalize"),
    (opts(url_path_dotseg_remove="disable"), b"url-path-dotseg-remove"),
    (opts(url_normalize_unreserved="disable"), b"url-normalize-unreserved"),
    (opts(host_strict="disable", host_normalize="disable"),
     b"host-normalize"),
])
def test_settings_not_followed_are_named_in_a_warning(tmp, conf, word):
    rc, out = check(tmp, conf)
    assert rc == 0 and word in out and b"ignored" in out, out


def test_followed_settings_give_no_warning(tmp):
    rc, out = check(tmp, opts(url_path_2f_decode="disable",
                              url_path_2f_reject="enable",
                              url_query_20_plus="enable",
                              header_strict="disable",
                              url_normalize_required="enable"))
    assert rc == 0 and b"ignored" not in out, out


@pytest.fixture
def links(gh):
    def start(extra):
        srv = gh(extra=extra)
        root = srv.docroot
        os.symlink("sub", os.path.join(root, "lsub"))
        os.symlink("a.txt", os.path.join(root, "la.txt"))
        os.makedirs(os.path.join(root, "d", "e"))
        write_file(os.path.join(root, "d", "e", "f.txt"), "f\n")
        os.symlink("../d", os.path.join(root, "sub", "ld"))
        return srv
    return start


@pytest.mark.parametrize("target,status", [
    (b"/sub/b.css", 200),
    (b"/d/e/f.txt", 200),
    (b"/la.txt", 403),          # last component (as before)
    (b"/lsub/b.css", 403),      # first component
    (b"/lsub/", 403),           # a linked directory, index file inside
    (b"/sub/ld/e/f.txt", 403),  # a middle component
    (b"/lsub/b.css/extra", 403),  # path-info fallback
])
def test_follow_symlink_disable_checks_every_component(links, target,
                                                       status):
    srv = links('server.follow-symlink = "disable"\n')
    assert raw(srv.port, get(target)) == status
    # The stat cache is warm now; a second ask answers the same.
    assert raw(srv.port, get(target)) == status


def test_follow_symlink_enable_follows(links):
    srv = links('server.follow-symlink = "enable"\n')
    for t in (b"/la.txt", b"/lsub/b.css", b"/sub/ld/e/f.txt"):
        assert raw(srv.port, get(t)) == 200, t
