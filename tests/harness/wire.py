"""Tiny byte builders for tests that talk raw protocol to a peer.

Deliberately not a client library: each helper packs one structure with
struct, so a test reads as the bytes it sends.  Expected answers in tests
are written as byte literals or with these same one-liners.
"""

import base64
import struct

# FastCGI record types (FastCGI spec §8)
BEGIN, ABORT, END, PARAMS, STDIN, STDOUT, STDERR, DATA, GET_VALUES, \
    GET_VALUES_RESULT, UNKNOWN_TYPE = range(1, 12)


def rec(rtype, rid, content=b"", pad=0, version=1):
    """One FastCGI record: 8-byte header, content, pad zero bytes."""
    return struct.pack("!BBHHBx", version, rtype, rid, len(content), pad) + \
        content + b"\0" * pad


def begin(rid=1, role=1, keep=False):
    return rec(BEGIN, rid, struct.pack("!HB5x", role, 1 if keep else 0))


def end(rid=1, app=0, proto=0):
    return rec(END, rid, struct.pack("!IB3x", app, proto))


def nv(name, value):
    """A FastCGI name-value pair (§3.4), 1- or 4-byte lengths."""
    out = b""
    for n in (len(name), len(value)):
        out += bytes([n]) if n < 128 else struct.pack("!I", n | 0x80000000)
    return out + name + value


def fcgi_request(query=b"", body=b"", rid=1, keep=False, role=1,
                 extra=(), stdin_records=1, method=None):
    """BEGIN, one PARAMS record + empty, STDIN split in N records + empty.
    REQUEST_METHOD is method, or else POST with a body and GET without."""
    params = nv(b"QUERY_STRING", query) + \
        nv(b"REQUEST_METHOD", method or (b"POST" if body else b"GET")) + \
        nv(b"REQUEST_URI", b"/t?" + query)
    for k, v in extra:
        params += nv(k, v)
    out = begin(rid, role, keep) + rec(PARAMS, rid, params) + rec(PARAMS, rid)
    if body:
        step = -(-len(body) // stdin_records)
        for i in range(0, len(body), step):
            out += rec(STDIN, rid, body[i:i + step])
    return out + rec(STDIN, rid)


def split_records(data):
    """[(version, type, rid, content, padlen)], leftover bytes."""
    out, p = [], 0
    while p + 8 <= len(data):
        v, t, rid, clen, plen = struct.unpack_from("!BBHHBx", data, p)
        if p + 8 + clen + plen > len(data):
            break
        out.append((v, t, rid, data[p + 8:p + 8 + clen], plen))
        p += 8 + clen + plen
    return out, data[p:]


def stdout_bytes(data, rid=1):
    recs, _ = split_records(data)
    return b"".join(c for v, t, r, c, p in recs if t == STDOUT and r == rid)


def netstring_request(pairs, body=b""):
    """SCGI request: netstring of NAME NUL VALUE NUL pairs, then body."""
    block = b"".join(k + b"\0" + v + b"\0" for k, v in pairs)
    return str(len(block)).encode() + b":" + block + b"," + body


def uwsgi_request(pairs, body=b"", mod1=0, mod2=0):
    """uwsgi packet: mod1, u16le datasize, mod2, u16le-length vars."""
    block = b"".join(struct.pack("<H", len(k)) + k + struct.pack("<H", len(v))
                     + v for k, v in pairs)
    return struct.pack("<BHB", mod1, len(block), mod2) + block + body


WS_KEY = b"dGhlIHNhbXBsZSBub25jZQ=="          # RFC 6455 §1.3 example
WS_ACCEPT = b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="    # its accept value
MASK = b"\x37\xfa\x21\x3d"                     # RFC 6455 §5.7 example mask


def ws_client_frame(opcode, payload, fin=True):
    """A masked client frame (payloads < 126 bytes only)."""
    assert len(payload) < 126
    masked = bytes(c ^ MASK[i % 4] for i, c in enumerate(payload))
    return bytes([(0x80 if fin else 0) | opcode, 0x80 | len(payload)]) + \
        MASK + masked


def b64(data):
    return base64.b64encode(data)
