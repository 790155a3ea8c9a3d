"""The rules in spec/*.md and the vectors in spec/vectors/ agree.

Read with spec/vectors/vectors.py (the Python twin of ref/test/vec.c):
every vector file parses, every rule a vector cites is defined in a spec
file, ids are unique per folder, and no rule rests on "ours" vectors alone
(issue 2: each rule needs an RFC/spec example, another implementation's
published case or a capture from a real peer).
"""
import os
import re
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPEC = os.path.join(ROOT, "spec")
sys.path.insert(0, os.path.join(SPEC, "vectors"))
import vectors  # noqa: E402

# A rule is defined where its ID, in bold, opens a line or a list item
# ("- **FCGI-REC-3**") or fills the first cell of a table row ("| H1-CHUNK-5 |").
_ID = r"([A-Z][A-Z0-9]*(?:-[A-Z0-9_]+)*-\d+)"
RULE_DEF = re.compile(r"^\s*(?:(?:[-*]\s+)?\*\*%s\*\*|\|\s*`?%s`?\s*\|)" % (_ID, _ID), re.M)


def defined_rules():
    rules = {}
    for name in sorted(os.listdir(SPEC)):
        if name.endswith(".md"):
            with open(os.path.join(SPEC, name), encoding="utf-8") as f:
                for a, b in RULE_DEF.findall(f.read()):
                    rules.setdefault(a or b, name)
    return rules


def folders():
    d = os.path.join(SPEC, "vectors")
    return sorted(n for n in os.listdir(d)
                  if os.path.isdir(os.path.join(d, n)) and not n.startswith("_")
                  and n != "__pycache__")


@pytest.mark.parametrize("folder", folders())
def test_vectors_parse_and_cite_defined_rules(folder):
    vecs = vectors.load_dir(folder)
    assert vecs, "no vectors in " + folder
    rules = defined_rules()
    ids = [v["id"] for v in vecs]
    assert len(ids) == len(set(ids)), "duplicate ids in " + folder
    undefined = sorted({r for v in vecs for r in v["rule"].split()
                        if r not in rules})
    assert not undefined, "%s cites rules no spec/*.md defines: %s" % (
        folder, undefined)
    for v in vecs:
        assert re.fullmatch(r"ok( \d+)?|partial|error [A-Z0-9_]+",
                            v["result"]), "%s: bad result %r" % (v["id"], v["result"])


@pytest.mark.parametrize("folder", folders())
def test_no_rule_rests_on_ours_vectors_alone(folder):
    backed, cited = set(), set()
    for v in vectors.load_dir(folder):
        for r in v["rule"].split():
            cited.add(r)
            # "ours (found by fz_config)" is still ours.
            if not v["source"].strip().lower().startswith("ours"):
                backed.add(r)
    only_ours = sorted(cited - backed)
    assert not only_ours, "%s: rules with only 'ours' vectors: %s" % (
        folder, only_ours)


def test_python_reader_decodes_escapes_like_the_c_reader():
    # The same fixture ref/test/test_vec.c checks in C.
    vecs = vectors.load_file(os.path.join(ROOT, "ref", "test", "fixtures",
                                          "selftest.vec"))
    assert vecs[0]["in"] == b'a\r\n\t\\"A\x00'
    assert vecs[1]["in"] == b"ababab\x00\xff\x7f"
    assert vecs[1]["result"] == "ok 9" and vecs[1]["opts"] == "one two"
    assert len(vecs[2]["in"]) == 10000
