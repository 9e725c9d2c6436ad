#!/usr/bin/env python3
"""Sanity check of data/demo: every manifest line is valid JSON in the expected schema, ids are unique,
every referenced file exists, showcase queries point at existing files and ids, .srt files parse,
and data/ stays small. Standard library only. Usage: python3 data/tools/check_demo.py"""

import json
import os
import re
import sys

DATA = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
DEMO = os.path.join(DATA, "demo")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SRT_TIME = re.compile(r"^(\d\d):(\d\d):(\d\d),(\d\d\d) --> (\d\d):(\d\d):(\d\d),(\d\d\d)$")
errors = []


def fail(msg):
    errors.append(msg)


def media_path(entry):
    return entry if isinstance(entry, str) else entry.get("path")


def check_srt(path, where):
    blocks = open(path, encoding="utf-8").read().strip().split("\n\n")
    last = -1.0
    for n, block in enumerate(blocks, 1):
        lines = block.split("\n")
        m = SRT_TIME.match(lines[1]) if len(lines) >= 3 and lines[0] == str(n) else None
        if not m:
            fail("%s: cue %d is malformed" % (where, n))
            continue
        g = [int(x) for x in m.groups()]
        a = g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000.0
        b = g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000.0
        if not (last <= a < b):
            fail("%s: cue %d times out of order" % (where, n))
        last = b


ids, files_used = set(), set()
with open(os.path.join(DEMO, "manifest.jsonl"), encoding="utf-8") as f:
    for no, line in enumerate(f, 1):
        where = "manifest.jsonl line %d" % no
        try:
            rec = json.loads(line)
        except ValueError as e:
            fail("%s: invalid JSON (%s)" % (where, e))
            continue
        rid = rec.get("id")
        if not isinstance(rid, str) or rid in ids:
            fail("%s: missing or duplicate id %r" % (where, rid))
        ids.add(rid)
        for key in ("title", "text"):
            if not isinstance(rec.get(key), str) or not rec[key]:
                fail("%s: %s must be a non-empty string" % (where, key))
        fields = rec.get("fields", {})
        if not isinstance(fields.get("kind"), str):
            fail("%s: fields.kind missing" % where)
        for k, v in fields.items():
            if not isinstance(v, (str, int, float)) or isinstance(v, bool):
                fail("%s: field %s must be a string or number" % (where, k))
        if fields.get("kind") == "patient" and "Synthetic" not in rec["text"]:
            fail("%s: patient text must say it is synthetic" % where)
        for e in rec.get("images", []):
            p = media_path(e)
            files_used.add(p)
            if not os.path.isfile(os.path.join(DEMO, p)):
                fail("%s: image %s does not exist" % (where, p))
        for e in rec.get("audio", []):
            p = media_path(e)
            files_used.add(p)
            if not os.path.isfile(os.path.join(DEMO, p)):
                fail("%s: audio %s does not exist" % (where, p))
            t = None if isinstance(e, str) else e.get("transcript")
            if t:
                files_used.add(t)
                if not os.path.isfile(os.path.join(DEMO, t)):
                    fail("%s: transcript %s does not exist" % (where, t))
                else:
                    check_srt(os.path.join(DEMO, t), t)

show = json.load(open(os.path.join(DEMO, "showcase.json"), encoding="utf-8"))
for q in show["queries"]:
    where = "showcase.json query %s" % q.get("name")
    if not q.get("demonstrates") or not (q.get("text") or q.get("images")):
        fail("%s: needs demonstrates and text or images" % where)
    for p in q.get("images", []):
        if not os.path.isfile(os.path.join(DEMO, p)):
            fail("%s: image %s does not exist" % (where, p))
        if p.startswith("queries/") and p in files_used:
            fail("%s: query image %s is also in the manifest (not held out)" % (where, p))
    for rid in q.get("expected", []):
        if rid not in ids:
            fail("%s: expected id %s is not in the manifest" % (where, rid))
    for flt in q.get("filters", []):
        for key in ("min", "max"):
            if isinstance(flt.get(key), str) and not ISO_DATE.match(flt[key]):
                fail("%s: %s of %s is not an ISO date" % (where, key, flt["field"]))

total = sum(os.path.getsize(os.path.join(b, n)) for b, _d, ns in os.walk(DATA) for n in ns)
audio = sum(os.path.getsize(os.path.join(DEMO, p)) for p in files_used if p.endswith(".wav"))
if total > 5 * 1024 * 1024:
    fail("data/ is %.2f MB, over 5 MB" % (total / 1048576.0))
print("%d records, %d showcase queries, %d media files, data/ %.2f MB (audio %.2f MB)"
      % (len(ids), len(show["queries"]), len(files_used), total / 1048576.0, audio / 1048576.0))
for e in errors:
    print("ERROR", e)
sys.exit(1 if errors else 0)
