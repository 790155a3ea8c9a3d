"""Reader for spec/vectors/*.vec files (format: spec/vectors/README.md).

The Python twin of ref/test/vec.c, used by the Python tests and by
fuzz/gen_corpus.py. Standard library only.
"""
import os
import re

_ESC = {"r": b"\r", "n": b"\n", "t": b"\t", "0": b"\0", "\\": b"\\", '"': b'"'}


class VectorError(ValueError):
    pass


def _quoted(val, where):
    m = re.fullmatch(r'\s*"((?:[^"\\]|\\.)*)"\s*(?:\*\s*(\d+))?\s*', val)
    if not m:
        raise VectorError(f"{where}: in: expects a quoted string [* N]")
    s, rep = m.group(1), int(m.group(2) or 1)
    out, i = bytearray(), 0
    while i < len(s):
        c = s[i]
        if c != "\\":
            out += c.encode("latin-1")
            i += 1
            continue
        e = s[i + 1]
        if e == "x":
            out.append(int(s[i + 2:i + 4], 16))
            i += 4
        elif e in _ESC:
            out += _ESC[e]
            i += 2
        else:
            raise VectorError(f"{where}: unknown escape \\{e}")
    if rep < 1:
        raise VectorError(f"{where}: bad repeat count")
    return bytes(out) * rep


def load_file(path):
    vecs, cur = [], None
    with open(path, encoding="latin-1") as f:
        for n, raw in enumerate(f, 1):
            if raw.startswith("#") or not raw.strip():
                continue
            where = f"{path}:{n}"
            if ":" not in raw:
                raise VectorError(f"{where}: expected key: value")
            key, val = raw.split(":", 1)
            key, val = key.strip(), val.strip()
            if key == "id":
                cur = {"id": val, "file": path, "line": n, "opts": "",
                       "in": b"", "expect": []}
                vecs.append(cur)
            elif cur is None:
                raise VectorError(f"{where}: field before the first id:")
            elif key in ("rule", "source", "opts", "result"):
                cur[key] = val
            elif key == "in":
                cur["in"] += _quoted(val, where)
            elif key == "in-hex":
                cur["in"] += bytes.fromhex(val)
            elif key == "expect":
                cur["expect"].append(val)
            else:
                raise VectorError(f"{where}: unknown key {key}")
    for v in vecs:
        for k in ("rule", "source", "result"):
            if k not in v:
                raise VectorError(f"{v['file']}:{v['line']}: missing {k}:")
    return vecs


def load_dir(sub):
    d = sub if os.path.isabs(sub) else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), sub)
    out = []
    for name in sorted(os.listdir(d)):
        if name.endswith(".vec"):
            out += load_file(os.path.join(d, name))
    return out
