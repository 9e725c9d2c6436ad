"""Writes a text-only manifest of N records (deterministic) for the reliability scripts: python3 make-manifest.py N OUT"""
import json, random, sys

n, out = int(sys.argv[1]), sys.argv[2]
random.seed(n)
words = "alpha beta gamma delta river mountain lake forest city bridge night sunrise ocean harbor train station market garden".split()
with open(out, "w") as f:
    for i in range(n):
        f.write(json.dumps({"id": f"r{i:05d}", "title": " ".join(random.choices(words, k=3)), "text": " ".join(random.choices(words, k=40))}) + "\n")
