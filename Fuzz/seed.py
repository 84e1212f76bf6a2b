#!/usr/bin/env python3
"""Seeds a fuzz target's corpus from the spec's example and edge files (scripts/fuzz calls it).

usage: seed.py TARGET SPEC_DIR CORPUS_DIR
- FuzzEventDecoder: the distinct lines of every events.ndjson (every kind, every bad line of PROTOCOL 2.2), sampled.
- FuzzReliableBatch: batches of those lines framed as FuzzReliableBatch reads them (identity, batch id, events).
- FuzzDossierReader: each dossiers.json whole, and each of their dossiers alone.
"""
import glob, json, os, sys

target, spec, out = sys.argv[1:4]
files = sorted(glob.glob(os.path.join(spec, "example", "events.ndjson")) +
               glob.glob(os.path.join(spec, "edge", "*", "events.ndjson")))


def lines():
    """Lines of the event files: every bad one (not JSON or not an accepted shape), 1 in 40 of the rest."""
    seen, picked = set(), []
    for f in files:
        for k, line in enumerate(open(f, "rb").read().split(b"\n")):
            if not line or line in seen:
                continue
            seen.add(line)
            try:
                ok = isinstance(json.loads(line), dict) and len(line) < 65536
            except (ValueError, RecursionError):
                ok = False
            if not ok or k % 40 == 0:
                picked.append(line[:70000])
    return picked


def frame(b, more):
    n = len(b)
    if n < 127:
        return bytes([(n << 1) | more]) + b
    n = min(n, 65535)
    return bytes([(127 << 1) | more, n & 0xFF, n >> 8]) + b[:n]


def write(name, data):
    with open(os.path.join(out, name), "wb") as fh:
        fh.write(data)


if target == "FuzzEventDecoder":
    for k, line in enumerate(lines()):
        write("line-%05d" % k, line)
elif target == "FuzzReliableBatch":
    ls = [l for l in lines() if len(l) < 2000]
    for k in range(0, len(ls), 5):
        batch = ls[k:k + 5]
        msg = frame(b"\x00peer%d" % k, 1) + frame(b"batch-%d" % k, 1)
        msg += b"".join(frame(l, 1 if j < len(batch) - 1 else 0) for j, l in enumerate(batch))
        write("batch-%05d" % k, msg)
    write("empty-batch", frame(b"peer", 1) + frame(b"b", 0))
    write("lone-identity", frame(b"peer", 0))
elif target == "FuzzDossierReader":
    for f in sorted(glob.glob(os.path.join(spec, "*", "dossiers.json")) +
                    glob.glob(os.path.join(spec, "edge", "*", "dossiers.json"))):
        tag = os.path.relpath(f, spec).replace(os.sep, "-")
        raw = open(f, "rb").read()
        write(tag, raw)
        doc = json.loads(raw)
        for k, d in enumerate(doc if isinstance(doc, list) else [doc]):
            write("%s-%02d" % (tag, k), json.dumps(d, ensure_ascii=False).encode())
else:
    sys.exit("seed.py: unknown target " + target)
print("seeded %s: %d files" % (out, len(os.listdir(out))), file=sys.stderr)
