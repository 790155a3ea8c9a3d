"""WebSocket echo (RFC 6455) and raw tunnel echo over any byte stream.

Used after a 101 answer by every protocol: the stream is the client socket
for HTTP, SCGI and uwsgi, STDIN/STDOUT records for FastCGI (lighttpd's
non-standard upgrade), and fds 0/1 for CGI.  A stream has recv() -> bytes
(b"" at end of stream) and send(bytes).

The echo unmasks client frames (RFC 6455 §5.3), answers text and binary
frames with the same opcode and FIN bit unmasked (§5.1: a server never
masks), answers ping with pong carrying the same payload (§5.5.2), and
answers a close frame with a close frame carrying the same status code,
then stops (§5.5.1).
"""

import base64
import hashlib
import struct

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"   # RFC 6455 §1.3

OP_CONT, OP_TEXT, OP_BIN, OP_CLOSE, OP_PING, OP_PONG = 0, 1, 2, 8, 9, 10
MAX_PAYLOAD = 1 << 24   # refuse absurd lengths instead of buffering them


def accept_key(key):
    """Sec-WebSocket-Accept for a Sec-WebSocket-Key (RFC 6455 §4.2.2)."""
    if isinstance(key, str):
        key = key.encode("latin-1")
    digest = hashlib.sha1(key.strip() + GUID).digest()
    return base64.b64encode(digest).decode("ascii")


def encode_frame(opcode, payload, fin=True, mask=None):
    """One frame; mask is 4 bytes for a client frame, None for a server."""
    b0 = (0x80 if fin else 0) | opcode
    n = len(payload)
    m = 0x80 if mask else 0
    if n < 126:
        head = struct.pack("!BB", b0, m | n)
    elif n < 65536:
        head = struct.pack("!BBH", b0, m | 126, n)
    else:
        head = struct.pack("!BBQ", b0, m | 127, n)
    if mask:
        payload = bytes(c ^ mask[i % 4] for i, c in enumerate(payload))
        head += mask
    return head + payload


class Reader:
    """Exact-length reads over a stream, with bytes already received."""

    def __init__(self, stream, pending=b""):
        self.stream = stream
        self.buf = bytearray(pending)

    def read(self, n):
        while len(self.buf) < n:
            data = self.stream.recv()
            if not data:
                return None
            self.buf += data
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def read_some(self):
        if self.buf:
            out = bytes(self.buf)
            self.buf.clear()
            return out
        return self.stream.recv()


def read_frame(r):
    """(fin, opcode, payload) or None at end of stream / bad frame."""
    h = r.read(2)
    if h is None:
        return None
    fin, opcode = bool(h[0] & 0x80), h[0] & 0x0F
    masked, n = bool(h[1] & 0x80), h[1] & 0x7F
    if n == 126:
        ext = r.read(2)
        if ext is None:
            return None
        n = struct.unpack("!H", ext)[0]
    elif n == 127:
        ext = r.read(8)
        if ext is None:
            return None
        n = struct.unpack("!Q", ext)[0]
    if n > MAX_PAYLOAD:
        return None
    mask = r.read(4) if masked else b""
    payload = r.read(n)
    if mask is None or payload is None:
        return None
    if masked:
        payload = bytes(c ^ mask[i % 4] for i, c in enumerate(payload))
    return fin, opcode, payload


def ws_echo(stream, pending=b""):
    """Echo frames until a close handshake or end of stream.

    Returns a short summary (frames seen, how it ended) for the log line.
    """
    r = Reader(stream, pending)
    frames = 0
    while True:
        f = read_frame(r)
        if f is None:
            return "ws frames=%d end=eof" % frames
        fin, opcode, payload = f
        frames += 1
        if opcode in (OP_TEXT, OP_BIN, OP_CONT):
            stream.send(encode_frame(opcode, payload, fin))
        elif opcode == OP_PING:
            stream.send(encode_frame(OP_PONG, payload))
        elif opcode == OP_CLOSE:
            stream.send(encode_frame(OP_CLOSE, payload[:2]))
            return "ws frames=%d end=close" % frames
        # an unsolicited pong is ignored (§5.5.3)


def tunnel_echo(stream, pending=b""):
    """Echo raw bytes until end of stream; returns a log summary."""
    r = Reader(stream, pending)
    n = 0
    while True:
        data = r.read_some()
        if not data:
            return "tunnel bytes=%d" % n
        n += len(data)
        stream.send(data)


def upgrade_head_lines(mode, key, upgrade_value):
    """Header lines of the 101 answer (no status line)."""
    if mode == "ws":
        return ["Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Accept: " + accept_key(key or "")]
    return ["Upgrade: " + (upgrade_value or "gatemock-tunnel"),
            "Connection: Upgrade"]


def run_upgraded(mode, stream, pending=b""):
    if mode == "ws":
        return ws_echo(stream, pending)
    return tunnel_echo(stream, pending)
