#!/usr/bin/env python3
"""Regenerates spec/vectors/fastcgi/*.vec: `python3 gen_vectors.py`.

The inputs are built from the FastCGI 1.0 examples, Go's published sizes,
and captures from real peers; the expect: lines come from model() below,
a Python reading of spec/fastcgi.md "Rendering" written apart from the C
codec, so the C tests check the codec against a second reading. Captured
bytes are read back from the existing captures.vec (they were recorded on
127.0.0.1 from php-fpm 8.2, php-cgi 8.2, nginx 1.22.1 and lighttpd 1.4.69).
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import vectors  # noqa: E402  (spec/vectors/vectors.py)

OUT = sys.argv[1] if len(sys.argv) > 1 else HERE
TYPES = {1: "BEGIN_REQUEST", 2: "ABORT_REQUEST", 3: "END_REQUEST", 4: "PARAMS", 5: "STDIN", 6: "STDOUT",
         7: "STDERR", 8: "DATA", 9: "GET_VALUES", 10: "GET_VALUES_RESULT", 11: "UNKNOWN_TYPE"}
ROLES = {1: "RESPONDER", 2: "AUTHORIZER", 3: "FILTER"}
PST = {0: "REQUEST_COMPLETE", 1: "CANT_MPX_CONN", 2: "OVERLOADED", 3: "UNKNOWN_ROLE"}
APP_SENDS = {3, 6, 7, 10, 11}

def esc(b):
    o = []
    for c in b:
        if c == 13: o.append("\\r")
        elif c == 10: o.append("\\n")
        elif c == 9: o.append("\\t")
        elif c in (0x5c, 0x22): o.append("\\" + chr(c))
        elif c < 0x20 or c >= 0x7f: o.append("\\x%02x" % c)
        else: o.append(chr(c))
    return "".join(o)

def fnv(b):
    h = 0x811c9dc5
    for c in b: h = ((h ^ c) * 0x01000193) & 0xffffffff
    return h

def blob(b):
    return esc(b) if len(b) <= 256 else "[%d bytes fnv1a32=%08x]" % (len(b), fnv(b))

class Err(Exception): pass

def nv_block(b, prefix, out):
    i = 0
    while i < len(b):
        def ln(j):
            if j >= len(b): raise Err("NV_TRUNCATED")
            if b[j] < 128: return b[j], 1
            if j + 4 > len(b): raise Err("NV_TRUNCATED")
            return struct.unpack(">I", b[j:j+4])[0] & 0x7fffffff, 4
        nl, a = ln(i); vl, c = ln(i + a)
        s = i + a + c
        if s + nl + vl > len(b): raise Err("NV_LENGTH_OVERFLOW")
        out.append("%s=%s=%s" % (prefix, blob(b[s:s+nl]), blob(b[s+nl:s+nl+vl])))
        i = s + nl + vl

def model(data, opts):
    out = []
    words = opts.split()
    if "nv" in words:
        try: nv_block(data, "pair", out); return "ok", out
        except Err as e: return "error " + str(e), out
    expect = 0
    for w in words:
        if w.startswith("expect-id="): expect = int(w[10:])
    params = {}
    i = 0
    try:
        while True:
            if i == len(data): return "ok", out
            if i + 8 > len(data): return "partial", out
            v, t, rid, cl, pl, _ = struct.unpack(">BBHHBB", data[i:i+8])
            if v != 1: raise Err("BAD_VERSION")
            if "from-app" in words and t not in APP_SENDS: raise Err("UNEXPECTED_TYPE")
            if "from-server" in words and t in APP_SENDS: raise Err("UNEXPECTED_TYPE")
            if 9 <= t <= 11 and rid != 0: raise Err("MGMT_REQUEST_ID")
            if 1 <= t <= 8 and rid == 0: raise Err("NULL_REQUEST_ID")
            if 1 <= t <= 8 and expect and rid != expect: raise Err("UNEXPECTED_REQUEST_ID")
            need = {1: (8, "BEGIN_BODY_LENGTH"), 3: (8, "END_BODY_LENGTH"), 11: (8, "UNKNOWN_TYPE_BODY_LENGTH"),
                    2: (0, "ABORT_BODY_LENGTH")}
            if t in need and cl != need[t][0]: raise Err(need[t][1])
            out.append("record type=%s id=%d content=%d padding=%d" % (TYPES.get(t, str(t)), rid, cl, pl))
            body = data[i+8:i+8+cl]
            if t in (1, 3, 11):
                if len(body) < 8: return "partial", out
                if t == 1:
                    role = body[0] << 8 | body[1]
                    out.append("begin role=%s flags=%d" % (ROLES.get(role, str(role)), body[2]))
                elif t == 3:
                    if body[4] > 3: raise Err("BAD_PROTOCOL_STATUS")
                    out.append("end app-status=%d protocol-status=%s" % (struct.unpack(">I", body[:4])[0], PST[body[4]]))
                else:
                    out.append("unknown-type type=%d" % body[0])
            if i + 8 + cl + pl > len(data): return "partial", out
            if t not in (1, 3, 11) and cl > 0: out.append("content=" + blob(body))
            if t in (9, 10): nv_block(body, "pair", out)
            if t == 4:
                if cl: params[rid] = params.get(rid, b"") + body
                else: nv_block(params.pop(rid, b""), "param", out)
            i += 8 + cl + pl
    except Err as e:
        return "error " + str(e), out

# ---- builders: a vector's input is a list of ("hex"|"str", bytes, repeat)
def hdr(t, rid, cl, pl=0, ver=1, res=0):
    return [("hex", struct.pack(">BBHHBB", ver, t, rid, cl, pl, res), 1)]
def rec(t, rid, content=b"", pad=0, padbyte=b"\0"):
    p = hdr(t, rid, len(content), pad)
    if content: p.append(("str", content, 1))
    if pad: p.append(("hex", padbyte * pad, 1))
    return p
def rep(t, rid, unit, n, pad=0):
    p = hdr(t, rid, len(unit) * n, pad)
    p.append(("str", unit, n))
    if pad: p.append(("hex", b"\0" * pad, 1))
    return p
def nvp(n, v):
    def l(x): return bytes([x]) if x < 128 else struct.pack(">I", x | 0x80000000)
    return l(len(n)) + l(len(v)) + n + v
def begin(rid, role=1, flags=0): return rec(1, rid, struct.pack(">HB5x", role, flags))
def end(rid, app=0, st=0): return rec(3, rid, struct.pack(">IB3x", app, st))
def raw(b): return [("hex", b, 1)]
def s(b, n=1): return [("str", b, n)]

FILES = {}
def vec(fname, vid, rule, source, parts, opts="", result=None):
    data = b"".join(x * n for _, x, n in parts)
    r, lines = model(data, opts)
    if result is not None and result != r:
        raise SystemExit("%s: model says %s, wanted %s" % (vid, r, result))
    t = ["id: " + vid, "rule: " + rule, "source: " + source]
    if opts: t.append("opts: " + opts)
    for kind, x, n in parts:
        if kind == "hex":
            t.append("in-hex: " + x.hex(" "))
        else:
            for k in range(0, len(x), 64):
                t.append('in: "%s"%s' % (esc(x[k:k+64]), " * %d" % n if n > 1 else ""))
    t.append("result: " + r)
    t += ["expect: " + l for l in lines]
    FILES.setdefault(fname, []).append("\n".join(t))

_CAPTURED = {v["id"]: v["in"] for v in vectors.load_file(os.path.join(HERE, "captures.vec"))}
def capture(vid):
    return _CAPTURED[vid]
def split_records(b):
    parts, i = [], 0
    while i + 8 <= len(b):
        cl, pl = b[i+4] << 8 | b[i+5], b[i+6]
        parts.append(("hex", b[i:i+8], 1))
        if cl: parts.append(("str", b[i+8:i+8+cl], 1))
        if pl: parts.append(("hex", b[i+8+cl:i+8+cl+pl], 1))
        i += 8 + cl + pl
    assert i == len(b)
    return parts

APPB = "FastCGI 1.0 Appendix B example %d (bytes written by us)"
ADDR = b"\x0b\x02SERVER_PORT80\x0b\x0eSERVER_ADDR199.170.183.42"
HTML = b"Content-type: text/html\r\n\r\n<html>\n<head> ..."
HEAD = {
 "records.vec": "# FastCGI record framing: header, version, ids, direction, padding.\n# Rules: spec/fastcgi.md FCGI-REC-*. Rendering: spec/fastcgi.md \"Rendering\".",
 "bodies.vec": "# FastCGI fixed-size bodies: BEGIN_REQUEST, END_REQUEST, UNKNOWN_TYPE,\n# and management record ids. Rules: FCGI-BEGIN-*, FCGI-END-*, FCGI-MGMT-*.",
 "nv.vec": "# FastCGI name-value pair blocks (opts: nv = bare block, no records).\n# Rules: spec/fastcgi.md FCGI-NV-*.",
 "streams.vec": "# FastCGI record streams: the Appendix B flows, stream splitting,\n# PARAMS joined across records, GET_VALUES. Rules: FCGI-STREAM-*, FCGI-NV-6/7.",
 "captures.vec": "# Bytes captured from real peers on 127.0.0.1 (Debian 12 packages),\n# kept verbatim, including their padding and reserved bytes.",
}

R = "records.vec"
vec(R, "rec-appb-stdout-record", "FCGI-REC-1", APPB % 1, rec(6, 1, HTML), "from-app", "ok")
vec(R, "rec-version-0-rejected", "FCGI-REC-2", "FastCGI 1.0 §3.3, §8 (FCGI_VERSION_1)", hdr(6, 1, 2, ver=0) + s(b"hi"), "", "error BAD_VERSION")
vec(R, "rec-version-2-rejected", "FCGI-REC-2", "FastCGI 1.0 §3.3, §8 (FCGI_VERSION_1)", rec(6, 1, b"hi")[:0] + hdr(6, 1, 2, ver=2) + s(b"hi"), "", "error BAD_VERSION")
vec(R, "rec-bad-version-in-second-record", "FCGI-REC-2 FCGI-REC-8", "ours", rec(6, 1, b"ok") + hdr(6, 1, 0, ver=0x48), "from-app", "error BAD_VERSION")
vec(R, "rec-http-response-is-not-fastcgi", "FCGI-REC-2", "ours", s(b"HTTP/1.1 502 Bad Gateway\r\n\r\n"), "from-app", "error BAD_VERSION")
vec(R, "rec-reserved-and-padding-bytes-ignored", "FCGI-REC-3 FCGI-REC-9", "FastCGI 1.0 §3.3 (bytes written by us)", hdr(6, 1, 5, 3, res=0xff) + s(b"hello") + raw(b"\xaa\xbb\xcc"), "from-app", "ok")
vec(R, "rec-null-id-stdout", "FCGI-REC-4", "FastCGI 1.0 §3.3 (FCGI_NULL_REQUEST_ID)", rec(6, 0, b"x"), "from-app", "error NULL_REQUEST_ID")
vec(R, "rec-null-id-begin-request", "FCGI-REC-4", "FastCGI 1.0 §3.3 (FCGI_NULL_REQUEST_ID)", begin(0), "from-server", "error NULL_REQUEST_ID")
vec(R, "rec-null-id-unknown-type-is-management", "FCGI-REC-4 FCGI-REC-10", "FastCGI 1.0 §3.3, §4.2", rec(42, 0, b"x"), "from-server", "ok")
vec(R, "rec-expect-id-rejects-second-request", "FCGI-REC-5 FCGI-STREAM-3", APPB % 4,
    begin(1, 1, 1) + rec(4, 1, ADDR) + rec(4, 1) + begin(2, 1, 1), "from-server expect-id=1", "error UNEXPECTED_REQUEST_ID")
vec(R, "rec-expect-id-matches", "FCGI-REC-5", APPB % 1, rec(6, 1, HTML) + rec(6, 1) + end(1), "from-app expect-id=1", "ok")
vec(R, "rec-expect-id-stray-stdout", "FCGI-REC-5", "ours", rec(6, 1, b"a") + rec(6, 7, b"b"), "from-app expect-id=1", "error UNEXPECTED_REQUEST_ID")
vec(R, "rec-expect-id-ignores-management", "FCGI-REC-5 FCGI-MGMT-1", "ours", rec(10, 0, b"\x0f\x01FCGI_MPXS_CONNS0") + end(1), "from-app expect-id=1", "ok")
vec(R, "rec-from-app-rejects-begin-request", "FCGI-REC-6", APPB % 1, begin(1) + rec(4, 1, ADDR), "from-app", "error UNEXPECTED_TYPE")
vec(R, "rec-from-server-rejects-stdout", "FCGI-REC-6", APPB % 1, rec(6, 1, HTML), "from-server", "error UNEXPECTED_TYPE")
vec(R, "rec-from-app-rejects-unknown-type", "FCGI-REC-6 FCGI-REC-10", "ours", rec(6, 1, b"a") + rec(12, 1, b"x"), "from-app", "error UNEXPECTED_TYPE")
vec(R, "rec-from-app-rejects-get-values", "FCGI-REC-6", "FastCGI 1.0 §4.1", rec(9, 0, b"\x0e\x00FCGI_MAX_CONNS"), "from-app", "error UNEXPECTED_TYPE")
vec(R, "rec-from-server-rejects-end-request", "FCGI-REC-6", "FastCGI 1.0 §5.5", end(1), "from-server", "error UNEXPECTED_TYPE")
vec(R, "rec-no-direction-accepts-both", "FCGI-REC-6", "ours", begin(1) + rec(6, 1, b"x") + end(1), "", "ok")
vec(R, "rec-abort-request-is-bare-header", "FCGI-REC-7", "FastCGI 1.0 §5.4", hdr(2, 1, 0), "from-server", "ok")
vec(R, "rec-abort-request-with-content", "FCGI-REC-7", "ours", rec(2, 1, b"x"), "from-server", "error ABORT_BODY_LENGTH")
vec(R, "rec-max-content-and-max-padding", "FCGI-REC-8 FCGI-REC-9",
    "HAProxy mux-fcgi demux fix: contentLength 65535 + padding overflowed uint16_t (bytes written by us)",
    rep(6, 1, b"a", 65535, pad=255) + rec(6, 1, b"next") + end(1), "from-app", "ok")
vec(R, "rec-header-cut-is-partial", "FCGI-REC-8", "ours", raw(b"\x01\x06\x00\x01\x00"), "from-app", "partial")
vec(R, "rec-content-cut-is-partial", "FCGI-REC-8", "ours", hdr(6, 1, 11, 5) + s(b"hello wo"), "from-app", "partial")
vec(R, "rec-padding-cut-is-partial", "FCGI-REC-8 FCGI-REC-9", "ours", hdr(6, 1, 3, 5) + s(b"abc") + raw(b"\0\0"), "from-app", "partial")
vec(R, "rec-coalesced-small-records", "FCGI-REC-8 FCGI-STREAM-3", APPB % 3,
    rec(6, 1, b"Content-type: text/html\r\n\r\n<ht") + rec(7, 1, b"config error: missing SI_UID\n") + rec(6, 1, b"ml>\n<head> ...") + rec(6, 1) + rec(7, 1) + end(1, 938), "from-app", "ok")
vec(R, "rec-padding-255-on-empty-record", "FCGI-REC-9", "FastCGI 1.0 §3.3 (paddingLength 0-255)", hdr(6, 1, 0, 255) + raw(b"\0" * 255) + end(1), "from-app", "ok")
vec(R, "rec-unknown-type-from-server", "FCGI-REC-10", "FastCGI 1.0 §4.2", rec(12, 0, b"what"), "from-server", "ok")
vec(R, "rec-unknown-type-200-framing-only", "FCGI-REC-10", "ours", rec(200, 5, b"abc", 5), "", "ok")
vec(R, "rec-type-0-decodes", "FCGI-REC-10", "ours", rec(0, 3, b"z"), "", "ok")

B = "bodies.vec"
vec(B, "begin-responder", "FCGI-BEGIN-1 FCGI-BEGIN-2", APPB % 1, begin(1), "from-server", "ok")
vec(B, "begin-responder-keep-conn", "FCGI-BEGIN-2 FCGI-BEGIN-3", APPB % 4, begin(1, 1, 1), "from-server", "ok")
vec(B, "begin-authorizer", "FCGI-BEGIN-2", "FastCGI 1.0 §6.3 (bytes written by us)", begin(5, 2, 0), "from-server", "ok")
vec(B, "begin-filter", "FCGI-BEGIN-2", "FastCGI 1.0 §6.4 (bytes written by us)", begin(5, 3, 1), "from-server", "ok")
vec(B, "begin-unknown-role-decodes", "FCGI-BEGIN-2 FCGI-END-2", "FastCGI 1.0 §5.1 (unknown role answered with UNKNOWN_ROLE)", begin(1, 0x0109, 0), "from-server", "ok")
vec(B, "begin-reserved-bytes-ignored", "FCGI-BEGIN-2 FCGI-REC-3", "ours", hdr(1, 1, 8) + raw(b"\x00\x01\xfe\xff\xff\xff\xff\xff"), "from-server", "ok")
vec(B, "begin-body-7-bytes", "FCGI-BEGIN-1", "FastCGI 1.0 §5.1 (FCGI_BeginRequestBody is 8 bytes)", hdr(1, 1, 7) + raw(b"\x00\x01\x00\x00\x00\x00\x00"), "from-server", "error BEGIN_BODY_LENGTH")
vec(B, "begin-body-16-bytes", "FCGI-BEGIN-1", "ours", hdr(1, 1, 16) + raw(b"\x00\x01" + b"\x00" * 14), "", "error BEGIN_BODY_LENGTH")
vec(B, "begin-body-cut-is-partial", "FCGI-BEGIN-1 FCGI-REC-8", "ours", hdr(1, 1, 8) + raw(b"\x00\x01\x00"), "from-server", "partial")
vec(B, "end-request-complete", "FCGI-END-1 FCGI-END-2", APPB % 1, end(1), "from-app", "ok")
vec(B, "end-request-app-status-938", "FCGI-END-1", APPB % 3, end(1, 938), "from-app", "ok")
vec(B, "end-request-app-status-max", "FCGI-END-1", "ours", end(1, 0xffffffff, 0), "from-app", "ok")
vec(B, "end-request-cant-mpx-conn", "FCGI-END-2", "FastCGI 1.0 §5.5", end(2, 0, 1), "from-app", "ok")
vec(B, "end-request-overloaded", "FCGI-END-2", "FastCGI 1.0 §5.5", end(1, 0, 2), "from-app", "ok")
vec(B, "end-request-unknown-role", "FCGI-END-2", "FastCGI 1.0 §5.5", end(1, 0, 3), "from-app", "ok")
vec(B, "end-request-status-4-rejected", "FCGI-END-2", "FastCGI 1.0 §5.5 (four protocolStatus values)", end(1, 0, 4), "from-app", "error BAD_PROTOCOL_STATUS")
vec(B, "end-request-status-255-padded", "FCGI-END-2", "ours", hdr(3, 1, 8, 8) + raw(b"\0\0\0\0\xff\0\0\0" + b"\0" * 8), "from-app", "error BAD_PROTOCOL_STATUS")
vec(B, "end-request-empty-body", "FCGI-END-1", "FastCGI 1.0 §5.5 (FCGI_EndRequestBody is 8 bytes)", hdr(3, 1, 0), "from-app", "error END_BODY_LENGTH")
vec(B, "end-request-body-9-bytes", "FCGI-END-1", "ours", hdr(3, 1, 9) + raw(b"\0" * 9), "from-app", "error END_BODY_LENGTH")
vec(B, "end-request-padded-to-8", "FCGI-END-1 FCGI-REC-9", "ours", hdr(3, 1, 8, 8) + raw(b"\0\0\0\x07\0\0\0\0" + b"\0" * 8), "from-app", "ok")
vec(B, "unknown-type-reply", "FCGI-MGMT-4 FCGI-MGMT-1", "FastCGI 1.0 §4.2", rec(11, 0, b"\x0c" + b"\0" * 7), "from-app", "ok")
vec(B, "unknown-type-body-1-byte", "FCGI-MGMT-4", "ours", rec(11, 0, b"\x0c"), "from-app", "error UNKNOWN_TYPE_BODY_LENGTH")
vec(B, "unknown-type-with-request-id", "FCGI-MGMT-1 FCGI-MGMT-4", "FastCGI 1.0 §4 (management records use id 0)", rec(11, 1, b"\x0c" + b"\0" * 7), "from-app", "error MGMT_REQUEST_ID")
vec(B, "get-values-with-request-id", "FCGI-MGMT-1 FCGI-MGMT-2", "FastCGI 1.0 §4.1", rec(9, 1, b"\x0e\x00FCGI_MAX_CONNS"), "from-server", "error MGMT_REQUEST_ID")
vec(B, "get-values-result-with-request-id", "FCGI-MGMT-1", "ours", rec(10, 3, b"\x0e\x01FCGI_MAX_CONNS1"), "from-app", "error MGMT_REQUEST_ID")

N = "nv.vec"
vec(N, "nv-appb-server-port-and-addr", "FCGI-NV-1 FCGI-NV-3", APPB % 1, s(ADDR), "nv", "ok")
vec(N, "nv-go-size-127-one-byte", "FCGI-NV-1", "Go net/http/fcgi fcgi_test.go sizeTests 127 -> 7F (bytes written by us)", raw(b"\x7f\x00") + s(b"n", 127), "nv", "ok")
vec(N, "nv-go-size-0-one-byte", "FCGI-NV-1 FCGI-NV-3", "Go net/http/fcgi fcgi_test.go sizeTests 0 -> 00 (bytes written by us)", raw(b"\x00\x00"), "nv", "ok")
vec(N, "nv-go-size-128-four-bytes", "FCGI-NV-2", "Go net/http/fcgi fcgi_test.go sizeTests 128 -> 80 00 00 80 (bytes written by us)", raw(b"\x80\x00\x00\x80\x01") + s(b"N", 128) + s(b"v"), "nv", "ok")
vec(N, "nv-go-size-1000-four-bytes", "FCGI-NV-2", "Go net/http/fcgi fcgi_test.go sizeTests 1000 -> 80 00 03 E8 (bytes written by us)", raw(b"\x04\x80\x00\x03\xe8") + s(b"BODY") + s(b"0123456789", 100), "nv", "ok")
vec(N, "nv-go-size-33554431-past-end", "FCGI-NV-2 FCGI-NV-5", "Go net/http/fcgi fcgi_test.go sizeTests 33554431 -> 81 FF FF FF (bytes written by us)", raw(b"\x81\xff\xff\xff\x00") + s(b"abc"), "nv", "error NV_LENGTH_OVERFLOW")
vec(N, "nv-four-byte-form-for-small-length", "FCGI-NV-2", "FastCGI 1.0 §3.4 (either form may be used)", raw(b"\x80\x00\x00\x04\x80\x00\x00\x01") + s(b"NAMEv"), "nv", "ok")
vec(N, "nv-empty-values-get-values", "FCGI-NV-3 FCGI-MGMT-2", "FastCGI 1.0 §4.1", s(b"\x0e\x00FCGI_MAX_CONNS\x0d\x00FCGI_MAX_REQS\x0f\x00FCGI_MPXS_CONNS"), "nv", "ok")
vec(N, "nv-binary-name-and-value", "FCGI-NV-3", "ours", s(b"\x03\x04a\x00=\xff\r\n\""), "nv", "ok")
vec(N, "nv-empty-block", "FCGI-NV-6", "ours", [], "nv", "ok")
vec(N, "nv-value-70000-bytes", "FCGI-NV-2", "ours", raw(b"\x09\x80\x01\x11\x70") + s(b"HTTP_BIGX") + s(b"v", 70000) + s(b"\x01\x01ab"), "nv", "ok")
vec(N, "nv-truncated-inside-four-byte-length", "FCGI-NV-4", "FastCGI 1.0 §3.4 (a four-byte length cut after two bytes)", raw(b"\x80\x00"), "nv", "error NV_TRUNCATED")
vec(N, "nv-truncated-value-length-missing", "FCGI-NV-4", "ours", s(b"\x0b\x02SERVER_PORT80\x04"), "nv", "error NV_TRUNCATED")
vec(N, "nv-truncated-value-length-cut", "FCGI-NV-4", "ours", s(b"\x04\x80\x00\x00"), "nv", "error NV_TRUNCATED")
vec(N, "nv-cve-2025-23016-max-lengths", "FCGI-NV-5", "libfcgi CVE-2025-23016 advisory: nameLen and valueLen 0x7fffffff (bytes written by us)", raw(b"\xff\xff\xff\xff\xff\xff\xff\xff") + s(b"AAAA"), "nv", "error NV_LENGTH_OVERFLOW")
vec(N, "nv-value-runs-past-end", "FCGI-NV-5", "FastCGI 1.0 §3.4", s(b"\x04\x05NAMEval"), "nv", "error NV_LENGTH_OVERFLOW")
vec(N, "nv-name-runs-past-end", "FCGI-NV-5", "ours", s(b"\x0b\x02SERVER_PORT80\x10\x00SHORT"), "nv", "error NV_LENGTH_OVERFLOW")

S = "streams.vec"
APPB1_SERVER = begin(1) + rec(4, 1, ADDR) + rec(4, 1) + rec(5, 1)
APPB1_APP = rec(6, 1, HTML) + rec(6, 1) + end(1)
vec(S, "appb-ex1-server-to-app", "FCGI-STREAM-2 FCGI-NV-6 FCGI-REC-1", APPB % 1, APPB1_SERVER, "from-server", "ok")
vec(S, "appb-ex1-app-to-server", "FCGI-STREAM-2 FCGI-END-1", APPB % 1, APPB1_APP, "from-app expect-id=1", "ok")
vec(S, "appb-ex2-params-split-inside-a-name", "FCGI-NV-7 FCGI-NV-6 FCGI-STREAM-2", APPB % 2,
    begin(1) + rec(4, 1, b"\x0b\x02SERVER_PORT80\x0b\x0eSER") + rec(4, 1, b"VER_ADDR199.170.183.42") + rec(4, 1) + rec(5, 1, b"quantity=100&item=3047936") + rec(5, 1), "from-server expect-id=1", "ok")
vec(S, "appb-ex3-stdout-and-stderr-interleave", "FCGI-STREAM-3 FCGI-END-1", APPB % 3,
    rec(6, 1, b"Content-type: text/html\r\n\r\n<ht") + rec(7, 1, b"config error: missing SI_UID\n") + rec(6, 1, b"ml>\n<head> ...") + rec(6, 1) + rec(7, 1) + end(1, 938), "from-app", "ok")
vec(S, "appb-ex4-multiplexed-server-to-app", "FCGI-STREAM-3 FCGI-NV-6 FCGI-BEGIN-3", APPB % 4,
    begin(1, 1, 1) + rec(4, 1, ADDR) + rec(4, 1) + begin(2, 1, 1) + rec(4, 2, ADDR) + rec(5, 1) + rec(4, 2) + rec(5, 2), "from-server", "ok")
vec(S, "appb-ex4-multiplexed-app-to-server", "FCGI-STREAM-3", APPB % 4,
    rec(6, 1, b"Content-type: text/html\r\n\r\n") + rec(6, 2, HTML) + rec(6, 2) + end(2) + rec(6, 1, b"<html>\n<head> ...") + rec(6, 1) + end(1), "from-app", "ok")
vec(S, "go-stdin-66000-bytes-two-records", "FCGI-STREAM-1 FCGI-STREAM-2 FCGI-REC-9",
    "Go net/http/fcgi fcgi_test.go streamTests: 66000 bytes for id 300 -> 65535 pad 1, 465 pad 7, empty (bytes written by us)",
    rep(5, 300, b"x", 65535, pad=1) + rep(5, 300, b"x", 465, pad=7) + rec(5, 300), "from-server expect-id=300", "ok")
vec(S, "stream-70000-bytes-stdout", "FCGI-STREAM-1 FCGI-REC-8", "ours", hdr(6, 1, 65535) + s(b"0123456789", 6553) + s(b"01234") + rep(6, 1, b"z", 4465, pad=7) + rec(6, 1) + end(1), "from-app", "ok")
vec(S, "params-pair-straddles-in-length-prefix", "FCGI-NV-7", "ours",
    rec(4, 1, b"\x04\x80\x00") + rec(4, 1, b"\x00\x05NAMEvalue") + rec(4, 1), "from-server", "ok")
vec(S, "params-70000-byte-value-two-records", "FCGI-NV-7 FCGI-STREAM-1 FCGI-NV-6", "ours",
    hdr(4, 1, 65535) + raw(b"\x0c\x80\x01\x11\x70") + s(b"HTTP_COOKIEX") + s(b"c", 65518) + hdr(4, 1, 70017 - 65535) + s(b"c", 70000 - 65518) + rec(4, 1) + rec(5, 1), "from-server", "ok")
vec(S, "params-length-past-end-at-terminator", "FCGI-NV-5 FCGI-NV-6", "ours", begin(1) + rec(4, 1, b"\x04\x09NAMEval") + rec(4, 1), "from-server", "error NV_LENGTH_OVERFLOW")
vec(S, "params-truncated-length-at-terminator", "FCGI-NV-4 FCGI-NV-6", "ours", rec(4, 1, b"\x04\x03NAMEval\x80") + rec(4, 1), "from-server", "error NV_TRUNCATED")
vec(S, "params-empty-stream", "FCGI-STREAM-2 FCGI-NV-6", "ours", begin(1) + rec(4, 1) + rec(5, 1), "from-server", "ok")
vec(S, "get-values-spec-variables", "FCGI-MGMT-2", "FastCGI 1.0 §4.1 (bytes written by us)",
    rec(9, 0, b"\x0e\x00FCGI_MAX_CONNS\x0d\x00FCGI_MAX_REQS\x0f\x00FCGI_MPXS_CONNS"), "from-server", "ok")
vec(S, "get-values-result-go-mpxs-conns", "FCGI-MGMT-2 FCGI-MGMT-3", "Go net/http/fcgi child.go GET_VALUES reply FCGI_MPXS_CONNS=1 (bytes written by us)",
    rec(10, 0, b"\x0f\x01FCGI_MPXS_CONNS1"), "from-app", "ok")
vec(S, "get-values-truncated-pair", "FCGI-NV-4 FCGI-MGMT-2", "ours", rec(9, 0, b"\x0e"), "from-server", "error NV_TRUNCATED")
vec(S, "get-values-empty-record", "FCGI-MGMT-2", "ours", rec(9, 0), "from-server", "ok")
vec(S, "empty-stderr-mid-stream", "FCGI-STREAM-2 FCGI-STREAM-3", "php-src sapi/fpm/tests bug72185-fcgi-empty-frame (bytes written by us)",
    rec(7, 1, b"warn\n") + rec(7, 1) + rec(6, 1, b"Status: 200\r\n\r\nok") + rec(6, 1) + end(1), "from-app", "ok")
vec(S, "end-request-without-empty-stdout", "FCGI-END-3", "ours", rec(6, 1, b"Content-type: text/plain\r\n\r\nhi") + end(1), "from-app", "ok")

C = "captures.vec"
vec(C, "capture-php-fpm-response", "FCGI-END-3 FCGI-REC-9 FCGI-STREAM-3", "capture: php-fpm 8.2.36 (fpm-fcgi), GET of a script writing a header, a body line and error_log()",
    split_records(capture("capture-php-fpm-response")), "from-app expect-id=1", "ok")
vec(C, "capture-php-cgi-response-reserved-garbage", "FCGI-REC-3 FCGI-END-1 FCGI-END-3", "capture: php-cgi 8.2.36 -b (cgi-fcgi), same script; END_REQUEST reserved bytes are not zero",
    split_records(capture("capture-php-cgi-response-reserved-garbage")), "from-app expect-id=1", "ok")
vec(C, "capture-php-fpm-get-values-result", "FCGI-MGMT-2 FCGI-MGMT-3 FCGI-REC-9", "capture: php-fpm 8.2.36 answering GET_VALUES for FCGI_MAX_CONNS, FCGI_MAX_REQS, FCGI_MPXS_CONNS",
    split_records(capture("capture-php-fpm-get-values-result")), "from-app", "ok")
vec(C, "capture-php-cgi-get-values-result", "FCGI-MGMT-2 FCGI-MGMT-3", "capture: php-cgi 8.2.36 -b answering the same GET_VALUES",
    split_records(capture("capture-php-cgi-get-values-result")), "from-app", "ok")
vec(C, "capture-nginx-post-request", "FCGI-BEGIN-1 FCGI-BEGIN-2 FCGI-BEGIN-3 FCGI-REC-9 FCGI-NV-6 FCGI-STREAM-2", "capture: nginx 1.22.1 fastcgi_pass, curl POST of quantity=100&item=3047936",
    split_records(capture("capture-nginx-post-request")), "from-server expect-id=1", "ok")
vec(C, "capture-lighttpd-post-request", "FCGI-BEGIN-3 FCGI-NV-1 FCGI-NV-6 FCGI-STREAM-2", "capture: lighttpd 1.4.69 mod_fastcgi, curl POST of quantity=100&item=3047936",
    split_records(capture("capture-lighttpd-post-request")), "from-server expect-id=1", "ok")
vec(C, "capture-lighttpd-70000-byte-body", "FCGI-STREAM-1 FCGI-REC-8", "capture: lighttpd 1.4.69 mod_fastcgi, curl POST of 70000 bytes (STDIN 65535 + 4465 + empty)",
    split_records(capture("capture-lighttpd-70000-byte-body")), "from-server expect-id=1", "ok")

for fname, vs in FILES.items():
    with open(os.path.join(OUT, fname), "w") as f:
        f.write(HEAD[fname] + "\n\n" + "\n\n".join(vs) + "\n")
    print(fname, len(vs))
