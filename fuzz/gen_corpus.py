#!/usr/bin/env python3
"""Generate fuzz seed corpora and dictionaries from spec/vectors.

usage: gen_corpus.py OUTDIR [TARGET...]

For every fuzz/fz_<name>.c (or only the named targets) this reads the
target's `seeds: <folder>...` comment, writes one seed per vector into
OUTDIR/corpus/<name>/ (an options byte 0x00, then the vector's input; the
file name is the vector id) and writes OUTDIR/dict/<name>.dict: the
hand-written fuzz/dict/<name>.dict followed by tokens harvested from the
vectors (field names, words and short binary runs). Deterministic: the
same vectors give the same files.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "spec", "vectors"))
import vectors  # noqa: E402

MAX_TOKENS = 200


def targets():
    out = {}
    for f in sorted(os.listdir(HERE)):
        m = re.fullmatch(r"fz_(\w+)\.c", f)
        if not m:
            continue
        with open(os.path.join(HERE, f), encoding="utf-8") as fh:
            text = fh.read()
        s = re.search(r"seeds:\s*([^\n*]+)", text)
        out[m.group(1)] = s.group(1).split() if s else []
    return out


def dict_escape(tok):
    out = ""
    for b in tok:
        if 0x20 <= b < 0x7F and b not in (0x22, 0x5C):
            out += chr(b)
        else:
            out += "\\x%02x" % b
    return '"' + out + '"'


def harvest(vecs):
    """Tokens worth giving the fuzzer: names before ':' or '=', words."""
    counts = {}
    for v in vecs:
        data = v["in"][:8192]
        for m in re.finditer(rb"[A-Za-z][A-Za-z0-9_.-]{2,31}[:=]?", data):
            counts[m.group(0)] = counts.get(m.group(0), 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [t for t, _ in ranked[:MAX_TOKENS]]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out, want = sys.argv[1], set(sys.argv[2:])
    for name, folders in targets().items():
        if want and name not in want:
            continue
        cdir = os.path.join(out, "corpus", name)
        os.makedirs(cdir, exist_ok=True)
        vecs = []
        for folder in folders:
            vecs += vectors.load_dir(folder)
        for v in vecs:
            with open(os.path.join(cdir, v["id"]), "wb") as fh:
                fh.write(b"\x00" + v["in"])
        if not vecs:
            # An empty corpus makes AFL++ refuse to start: seed one byte.
            with open(os.path.join(cdir, "empty"), "wb") as fh:
                fh.write(b"\x00")
        os.makedirs(os.path.join(out, "dict"), exist_ok=True)
        lines = []
        base = os.path.join(HERE, "dict", name + ".dict")
        if os.path.exists(base):
            with open(base, encoding="latin-1") as fh:
                lines += [ln.rstrip("\n") for ln in fh]
        lines += ["# harvested from spec/vectors by gen_corpus.py"]
        lines += ["v%d=%s" % (i, dict_escape(t))
                  for i, t in enumerate(harvest(vecs))]
        with open(os.path.join(out, "dict", name + ".dict"), "w",
                  encoding="latin-1") as fh:
            fh.write("\n".join(lines) + "\n")
        print("%-16s %4d seeds from %s" % (name, len(vecs), " ".join(folders)))


if __name__ == "__main__":
    main()
