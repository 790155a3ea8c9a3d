"""Second reading: the mocks' own parsers against the C codecs' vectors.

spec/vectors/<protocol>/*.vec record what the C codecs in ref/codec decide.
backends-mock/gatemock_lib reads the same protocols without sharing any code
with them (STYLE.md "Tests, mocks, fuzzers").  Here every vector of
fastcgi, scgi, uwsgi, chunked and http1-request is fed to the mock's own
reader -- through a fake socket with the mock's recv() interface, whole and
(for inputs under 4 KiB) in 1- and 7-byte pieces -- and the two verdicts
are compared:

* accepted / rejected / needs more input (`ok` / `error` / `partial`), and
  how much input an accepted item used (`ok N`);
* for accepted vectors, the decoded items against the `expect:` lines
  (rendering: spec/<protocol>.md): names and values, record headers,
  body bytes, trailers.

Only what both readings are meant to decide is compared.  A vector whose
`opts:` turns on a C leniency or limit the mock does not have is skipped
with the reason; so is a vector whose verdict rests on a C size limit the
mock does not share.  Where a mock is lenient by design (backends-mock/
README.md "What the mocks check on input") the vector is in ALLOW below,
with the reason.  Everything else must agree.
"""
import os
import struct
import sys
from types import SimpleNamespace

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "spec", "vectors"))
sys.path.insert(0, os.path.join(ROOT, "backends-mock"))
import vectors  # noqa: E402
from gatemock_lib import fastcgi, http, scgi  # noqa: E402

PROTOCOLS = ("fastcgi", "scgi", "uwsgi", "chunked", "http1-request")

# Vectors where a mock is lenient by design, so its "accepted" is expected
# against the C codec's "error".  Each reason names the README paragraph.
_FRAMING_ONLY = ("scgi/uwsgi mocks check framing only and pass the pairs "
                 "through to the echo for the test to judge (README)")
_TARGET = ("http mock does not validate the request-target: it only takes "
           "the query string for gm= (README)")
_BARE_LF = ("http mock accepts a bare LF as a line end, as RFC 9112 §2.2 "
            "allows a recipient to (README); the C codec refuses by default")
_EXT = ("http mock ignores chunk extensions without parsing them (RFC 9112 "
        "§7.1.1: a recipient MUST ignore unrecognized extensions; README)")
ALLOW = {
    # scgi: empty names and duplicate names pass to the echo's params list.
    "scgi/pairs-empty-name": _FRAMING_ONLY,
    "scgi/pairs-empty-name-lighttpd2-envcheck": _FRAMING_ONLY,
    "scgi/pairs-nul-smuggles-pair": _FRAMING_ONLY + " (a duplicate name)",
    "scgi/duplicate-name": _FRAMING_ONLY,
    "scgi/duplicate-name-lighttpd2-envcheck": _FRAMING_ONLY,
    "scgi/duplicate-content-length": _FRAMING_ONLY,
    "scgi/nginx-duplicate-scgi-param": _FRAMING_ONLY,
    # uwsgi: an empty key (the C rule UWSGI-VARS-3 is our policy, not the
    # uwsgi docs') passes to the echo.
    "uwsgi/key-empty": _FRAMING_ONLY,
    "uwsgi/key-empty-after-valid": _FRAMING_ONLY,
    # chunked: extension syntax.
    "chunked/llhttp-unbalanced-quoting": _EXT,
    "chunked/llhttp-no-extension-after-semicolon": _EXT,
    "chunked/ext-space-before-crlf": _EXT,
    "chunked/ext-value-space-before-crlf": _EXT,
    "chunked/ext-missing-value": _EXT,
    "chunked/ext-name-not-token": _EXT,
    "chunked/ext-value-not-token": _EXT,
    "chunked/ext-junk-after-quoted-value": _EXT,
    "chunked/ext-space-then-junk-after-name": _EXT,
    "chunked/ext-ctl-in-quoted-value": _EXT,
    "chunked/ext-bad-escape-in-quoted-value": _EXT,
    # chunked and http: bare LF line ends.
    "chunked/bare-lf-in-trailers-strict": _BARE_LF,
    "chunked/bare-lf-final-line-strict": _BARE_LF,
    "http1-request/only-lfs-refused": _BARE_LF,
    "http1-request/lf-between-fields-refused": _BARE_LF,
    "http1-request/lf-alone-as-empty-line-refused": _BARE_LF,
    # http: request-target form and characters.
    "http1-request/asterisk-form-needs-options": _TARGET,
    "http1-request/connect-needs-authority-form": _TARGET,
    "http1-request/authority-form-without-connect": _TARGET,
    "http1-request/connect-without-port": _TARGET,
    "http1-request/connect-empty-port": _TARGET,
    "http1-request/connect-userinfo-refused": _TARGET,
    "http1-request/connect-bad-ipv6-literal": _TARGET,
    "http1-request/connect-empty-ipv6-literal": _TARGET,
    "http1-request/connect-port-not-digits": _TARGET,
    "http1-request/target-neither-form": _TARGET,
    "http1-request/target-scheme-with-bad-char": _TARGET,
    "http1-request/brackets-refused-in-origin-form": _TARGET,
    "http1-request/quotes-in-uri-strict": _TARGET,
    "http1-request/vertical-bar-strict": _TARGET,
    "http1-request/fragment-refused": _TARGET,
    "http1-request/utf8-in-path-refused": _TARGET,
    "http1-request/del-in-uri-path": _TARGET,
    "http1-request/nul-in-path": _TARGET,
    "http1-request/pct-encoding-not-hex": _TARGET,
    "http1-request/pct-encoding-truncated": _TARGET,
}

# C options the mocks do not have (leniencies and limits): such vectors are
# skipped.  fastcgi's direction words are handled in _skip_reason().
MOCK_HAS_NO = ("lenient-", "max-", "fields-cap=", "raw-block")

# C error reasons that rest on a default size limit the mock does not share
# (the mocks bound heads at 64 KiB or not at all; the C codecs at 8 KiB for
# HTTP request heads, 256 bytes for chunk extensions, 8 KiB / 32 trailers,
# 64 KiB for SCGI heads).  Not protocol rules, so not compared.
C_LIMITS = {
    "scgi": ("HEAD_TOO_LARGE", "TOO_MANY_FIELDS"),
    "uwsgi": ("VARS_TOO_LARGE", "TOO_MANY_VARS"),
    "chunked": ("EXT_TOO_LONG", "TRAILERS_TOO_LARGE", "TOO_MANY_TRAILERS"),
    "http1-request": ("REQUEST_LINE_TOO_LONG", "FIELD_LINE_TOO_LONG",
                      "HEAD_TOO_LARGE", "TOO_MANY_FIELDS"),
}


# --------------------------------------------------------------- helpers

class FakeSock:
    """recv()/sendall()/shutdown() over fixed bytes, then EOF.

    `eof` records whether the reader asked past the end (it needed more
    input); `left` is what it never asked for."""

    def __init__(self, data, piece=None):
        self.data, self.pos, self.piece = data, 0, piece
        self.eof, self.sent, self.down = False, bytearray(), False

    def recv(self, n):
        if self.down or self.pos >= len(self.data):
            self.eof = not self.down
            return b""
        take = min(n, self.piece or n)
        out = self.data[self.pos:self.pos + take]
        self.pos += len(out)
        return out

    def sendall(self, b):
        self.sent += b

    def shutdown(self, how):
        self.down = True

    @property
    def left(self):
        return len(self.data) - self.pos


def unescape(s):
    """Bytes of an expect: value (spec/vectors/README.md escapes)."""
    out, i = bytearray(), 0
    esc = {"r": 13, "n": 10, "t": 9, "0": 0, "\\": 92, '"': 34}
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s) and s[i + 1] == "x":
            out.append(int(s[i + 2:i + 4], 16))
            i += 4
        elif c == "\\" and i + 1 < len(s) and s[i + 1] in esc:
            out.append(esc[s[i + 1]])
            i += 2
        else:
            out += c.encode("latin-1")
            i += 1
    return bytes(out)


def fnv1a(b):
    h = 0x811c9dc5
    for ch in b:
        h = ((h ^ ch) * 0x01000193) & 0xFFFFFFFF
    return "%08x" % h


def blob_matches(rendered, actual, long_form):
    """Compare a rendered blob with bytes; long_form is 'scgi' for
    `first64...(N bytes)` or 'fcgi' for `[N bytes fnv1a32=X]`."""
    if long_form == "fcgi" and rendered.startswith("[") and \
            rendered.endswith("]") and " bytes fnv1a32=" in rendered:
        n, h = rendered[1:-1].split(" bytes fnv1a32=")
        return len(actual) == int(n) and fnv1a(actual) == h
    if long_form == "scgi" and rendered.endswith(" bytes)") and \
            "...(" in rendered:
        head, n = rendered.rsplit("...(", 1)
        return len(actual) == int(n.split()[0]) and \
            actual.startswith(unescape(head))
    return unescape(rendered) == actual


def expects(v, key):
    pre = key + "="
    return [e[len(pre):] for e in v["expect"] if e.startswith(pre)]


class Reading:
    """The mock's reading of one input: verdict is "ok", "partial" or
    "error"; used is the bytes an accepted item took; why explains an
    error; items are what it decoded."""

    def __init__(self, verdict, used=None, why="", items=None):
        self.verdict, self.used, self.why = verdict, used, why
        self.items = items

    def __repr__(self):
        return "Reading(%s used=%s why=%r)" % (self.verdict, self.used,
                                               self.why)


def after_error(sock, e):
    """A ValueError/BadRequest is "partial" when the reader hit EOF first."""
    return Reading("partial" if sock.eof else "error", why=str(e))


# --------------------------------------------------------------- readings

def read_scgi(data, piece):
    sock, buf = FakeSock(data, piece), bytearray()
    try:
        params, info = scgi.read_scgi(sock, buf)
    except ValueError as e:
        return after_error(sock, e)
    used = len(data) - sock.left - len(buf)
    # What the mock reports (README echo keys) or refuses after the head.
    if not info["first_is_content_length"]:
        return Reading("error", why="first_is_content_length false")
    if not info["has_scgi_1"]:
        return Reading("error", why="has_scgi_1 false")
    try:
        scgi.content_length(params)
    except ValueError as e:
        return Reading("error", why=str(e))
    return Reading("ok", used, items=(info, params))


def read_uwsgi(data, piece):
    sock, buf = FakeSock(data, piece), bytearray()
    try:
        params, info = scgi.read_uwsgi(sock, buf)
    except ValueError as e:
        return after_error(sock, e)
    used = len(data) - sock.left - len(buf)
    if info["modifier1"] or info["modifier2"]:
        # Reported in the echo (README: modifier1, modifier2); the mock
        # reads the data as vars only for a 0/0 request packet.
        return Reading("error", why="modifiers %(modifier1)d/%(modifier2)d"
                       % info)
    try:
        scgi.content_length(params, empty_ok=True)
    except ValueError as e:
        return Reading("error", why=str(e))
    return Reading("ok", used, items=(info, params))


def read_chunked(data, piece):
    sock = FakeSock(data, piece)
    c = http.Conn(sock)
    try:
        body, trailers = http.read_chunked(c)
    except http.BadRequest as e:
        return after_error(sock, e)
    return Reading("ok", len(data) - sock.left - len(c.buf),
                   items=(body, trailers))


def read_http(data, piece):
    sock = FakeSock(data, piece)
    c = http.Conn(sock)
    try:
        head = http.read_head(c)
        if head is None:
            return Reading("partial", why="EOF before a request line")
        parts = http.request_line(head[0])
    except http.BadRequest as e:
        return after_error(sock, e)
    return Reading("ok", len(data) - sock.left - len(c.buf),
                   items=(parts, head[1]))


class _Conn(fastcgi.FcgiConn):
    """The mock's FastCGI connection reader, with its per-record decision
    (fastcgi.check_record) noted and the request threads kept quiet."""

    def __init__(self, sock):
        ctx = SimpleNamespace(proto="fastcgi", id="2nd", pid=0, opts=SimpleNamespace(
            max_conns=10, max_reqs=50, mpxs_conns=1, mpx=True, mpx_record=64,
            pad8=False, ignore_keep_conn=False))
        super().__init__(ctx, sock, 0)
        self.seen = []        # (type, id, content, padding, check)
        self.params = []      # (rid, pairs or ValueError)

    def on_record(self, version, rtype, rid, content, plen):
        self.seen.append((rtype, rid, content, plen,
                          fastcgi.check_record(rtype, rid, content)))
        r = self.reqs.get(rid)
        was_done = r is not None and r.params_done
        super().on_record(version, rtype, rid, content, plen)
        if r is not None and not was_done and r.params_done:
            # PARAMS just ended: decode the joined stream as respond() does
            try:
                res = fastcgi.decode_pairs(bytes(r.params_buf))
            except ValueError as e:
                res = e
            self.params.append((rid, res))

    def respond(self, r):     # the request thread: nothing to play here
        r.stdin_done = True


def _nv_reason(e):
    return "NV_TRUNCATED" if "truncated" in str(e) else "NV_LENGTH_OVERFLOW"


def read_fcgi_nv(data, piece):
    try:
        return Reading("ok", len(data), items=fastcgi.decode_pairs(data))
    except ValueError as e:
        return Reading("error", why=_nv_reason(e))


def _begun(data):
    """The mock reads PARAMS/STDIN only for a request id it has seen a
    BEGIN_REQUEST for (README: records for inactive ids are ignored).
    Vectors about PARAMS alone get a BEGIN_REQUEST (RESPONDER) in front
    for each such id; returns (bytes, length of what was added)."""
    conn = _Conn(FakeSock(data))
    conn.run()
    begun, add = set(), b""
    for rtype, rid, _, _, _ in conn.seen:
        if rtype == fastcgi.BEGIN_REQUEST:
            begun.add(rid)
        elif rtype in (fastcgi.PARAMS, fastcgi.STDIN) and rid and \
                rid not in begun:
            begun.add(rid)
            add += fastcgi.record(fastcgi.BEGIN_REQUEST, rid,
                                  struct.pack("!HB5x", 1, 0))
    return add + data, len(add)


def read_fcgi_records(data, piece):
    data, added = _begun(data)
    sock = FakeSock(data, piece)
    conn = _Conn(sock)
    conn.run()
    conn.seen = conn.seen[added // 16:]
    data = data[added:]
    used = sum(8 + len(c) + p for _, _, c, p, _ in conn.seen)
    # Refusal: a protocol error (the mock closes), or UNKNOWN_TYPE for a
    # type the protocol defines (1..11) -- i.e. one sent the wrong way.
    for i, (rtype, rid, content, _, chk) in enumerate(conn.seen):
        if chk and (chk != "unknown-type" or rtype in fastcgi.TYPE_NAMES):
            return Reading("error", why="record %d: %s" % (i, chk))
        if rtype == fastcgi.GET_VALUES:
            try:
                fastcgi.decode_pairs(content)
            except ValueError as e:
                return Reading("error", why=_nv_reason(e))
    for _, res in conn.params:
        if isinstance(res, ValueError):
            return Reading("error", why=_nv_reason(res))
    if used < len(data):
        return Reading("partial", why="%d of %d bytes in whole records"
                       % (used, len(data)))
    return Reading("ok", used, items=conn)


# --------------------------------------------------------------- compare

def check_items(proto, v, r):
    """Compare an accepted reading's items with the expect: lines."""
    if proto in ("scgi", "uwsgi"):
        info, params = r.items
        key = "field" if proto == "scgi" else "var"
        want = expects(v, key)
        assert len(want) == len(params), (want, params)
        for w, (k, val) in zip(want, params):
            # NAME=VALUE: a name never contains "=" in these vectors' keys
            # once rendered, so split at the name's own length.
            assert w.startswith(_render_plain(k) + "="), (w, k)
            assert blob_matches(w[len(_render_plain(k)) + 1:], val, "scgi"), \
                (w, val)
        if proto == "scgi":
            assert expects(v, "length") == [str(info["netstring_length"])]
        else:
            assert expects(v, "datasize") == [str(info["datasize"])]
    elif proto == "chunked":
        body, trailers = r.items
        sizes = [int(c.split()[0]) for c in expects(v, "chunk")]
        datas = [e for e in v["expect"] if e.startswith(("data=", "data-len="))]
        pieces, p = [], 0
        for n in sizes:
            if n:
                pieces.append(body[p:p + n])
                p += n
        assert p == len(body), (sizes, len(body))
        assert len(pieces) == len(datas)
        for d, b in zip(datas, pieces):
            if d.startswith("data="):
                assert unescape(d[5:]) == b, (d, b)
            else:
                n, h = d[len("data-len="):].split(" fnv1a=")
                assert (int(n), h) == (len(b), fnv1a(b)), d
        got = ["%s: %s" % (k, val) for k, val in trailers]
        assert [unescape(t).decode("latin-1") for t in expects(v, "trailer")] \
            == got
    elif proto == "http1-request":
        (method, target, version), fields = r.items
        assert expects(v, "method") == [method]
        assert unescape(expects(v, "target")[0]).decode("latin-1") == target
        assert expects(v, "version") == [version[len("HTTP/"):]]
        want = [unescape(f).decode("latin-1") for f in expects(v, "field")]
        got = [("%s: %s" % (k, val)) if val else k + ":" for k, val in fields]
        assert want == got
    elif proto == "fastcgi" and "nv" in v["opts"].split():
        want = expects(v, "pair")
        assert len(want) == len(r.items)
        for w, (k, val) in zip(want, r.items):
            assert _split_pair(w, k, val), (w, k, val)
    elif proto == "fastcgi":
        conn = r.items
        want = [e.split() for e in v["expect"] if e.startswith("record ")]
        got = [["record", "type=" + fastcgi.TYPE_NAMES.get(t, str(t)),
                "id=%d" % i, "content=%d" % len(c), "padding=%d" % p]
               for t, i, c, p, _ in conn.seen]
        assert want == got
        want = expects(v, "param")
        # decoded per request when its PARAMS ends, in that order
        got = [kv for _, res in conn.params for kv in res]
        assert len(want) == len(got), (want, got)
        for w, (k, val) in zip(want, got):
            assert _split_pair(w, k, val), (w, k, val)


def _render_plain(b):
    out = []
    for ch in b:
        if ch in (9, 10, 13):
            out.append({9: "\\t", 10: "\\n", 13: "\\r"}[ch])
        elif ch < 0x20 or ch > 0x7e:
            out.append("\\x%02x" % ch)
        elif ch == 0x5c:
            out.append("\\\\")
        else:
            out.append(chr(ch))
    return "".join(out)


def _split_pair(rendered, k, val):
    """Does `NAME=VALUE` (fcgi blobs) render the pair (k, val)?"""
    for i in range(len(rendered)):
        if rendered[i] == "=" and blob_matches(rendered[:i], k, "fcgi") and \
                blob_matches(rendered[i + 1:], val, "fcgi"):
            return True
    return False


# What completes the unit a mock waits for before judging it.
PROBE = {
    "chunked": lambda b: b + b"\n",
    "http1-request": lambda b: b + b"\n",
    "uwsgi": lambda b: b + b"\0" * max(0, 4 + struct.unpack_from(
        "<H", b.ljust(4, b"\0"), 1)[0] - len(b)),
}

# Single vectors skipped for a C policy the protocol does not state.
SKIP = {
    "scgi/content-length-over-int63": "C bounds CONTENT_LENGTH at 2^63-1 "
    "to fit a file offset (SCGI-HDR-4, our policy); SCGI only says decimal",
}

READERS = {"scgi": read_scgi, "uwsgi": read_uwsgi, "chunked": read_chunked,
           "http1-request": read_http}


def _reader(proto, v):
    if proto == "fastcgi":
        return read_fcgi_nv if "nv" in v["opts"].split() else read_fcgi_records
    return READERS[proto]


def _skip_reason(proto, v):
    words = v["opts"].split()
    if "%s/%s" % (proto, v["id"]) in SKIP:
        return SKIP["%s/%s" % (proto, v["id"])]
    if proto == "fastcgi":
        if "from-app" in words:
            return "from-app: the mock is the application and never reads " \
                "application-to-server records"
        if not ({"from-server", "nv"} & set(words)):
            return "no direction: the C decoder checks framing only, the " \
                "mock always reads as the application (from-server)"
        if v["result"] == "error UNEXPECTED_REQUEST_ID":
            return "expect-id=N: the mock has no single expected id (it " \
                "multiplexes or answers CANT_MPX_CONN)"
        return None
    for w in words:
        if w.startswith(MOCK_HAS_NO):
            return "opts %s: a C option the mock does not have" % w
    reason = v["result"].split()[1:] or [""]
    if reason[0] in C_LIMITS.get(proto, ()):
        return "%s rests on a C default limit the mock does not share" % \
            reason[0]
    return None


def cases():
    for proto in PROTOCOLS:
        for v in vectors.load_dir(proto):
            yield pytest.param(proto, v, id="%s/%s" % (proto, v["id"]))


def test_counts_are_sane():
    """Most vectors are really compared; the allow-list names real ids."""
    ids = {"%s/%s" % (p, v["id"]) for p in PROTOCOLS
           for v in vectors.load_dir(p)}
    stale = sorted(set(ALLOW) - ids)
    assert not stale, "ALLOW names unknown vectors: %s" % stale
    compared = sum(1 for p in PROTOCOLS for v in vectors.load_dir(p)
                   if not _skip_reason(p, v) and
                   "%s/%s" % (p, v["id"]) not in ALLOW)
    assert compared >= 200, compared


@pytest.mark.parametrize("proto,v", cases())
def test_mock_reads_vector_like_codec(proto, v):
    why = _skip_reason(proto, v)
    if why:
        pytest.skip(why)
    key = "%s/%s" % (proto, v["id"])
    c = v["result"].split()
    read = _reader(proto, v)
    pieces = [None] + ([1, 7] if len(v["in"]) < 4096 else [])
    readings = [read(v["in"], p) for p in pieces]
    for r in readings[1:]:
        assert (r.verdict, r.used) == (readings[0].verdict, readings[0].used), \
            "mock verdict depends on how the input is split: %r vs %r" % (
                readings[0], r)
    r = readings[0]
    if key in ALLOW:
        assert c[0] == "error" and r.verdict in ("ok", "partial"), \
            "%s is allow-listed (%s) but now C=%s mock=%r: drop it from " \
            "ALLOW" % (key, ALLOW[key], v["result"], r)
        return
    if c[0] == "error" and r.verdict == "partial" and proto in PROBE:
        # The C codecs judge each byte as it arrives; the mocks read a
        # whole line (http) or packet (uwsgi) first.  A C error is final,
        # so the mock must refuse once it has what it waits for.
        r = read(PROBE[proto](v["in"]), None)
        assert r.verdict == "error", "C codec: %s; mock, given the rest " \
            "of the line/packet: %r" % (v["result"], r)
        return
    assert r.verdict == c[0], "C codec: %s; mock: %r" % (v["result"], r)
    if c[0] == "ok":
        assert r.used == (int(c[1]) if len(c) > 1 else len(v["in"])), \
            "C codec: %s; mock used %d bytes" % (v["result"], r.used)
        check_items(proto, v, r)
    elif c[0] == "error" and c[1].startswith("NV_"):
        assert r.why == c[1]
