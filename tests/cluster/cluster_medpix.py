#!/usr/bin/env python3
"""Cluster figures on the MedPix task (image + words, ../shared/eval/tools/medpix_task.py): a 3-shard index on three
silo processes vs a single index over the same manifest — ingest time of each, then per query file (q_image,
q_keywords, q_both, q_category, q_bothcategory) equality of the top-10 (ids, fused scores and every leg's raw score
to 1e-4 relative) and the MRR@10 of both runs. Needs redis-server and a built CLI.

usage: cluster_medpix.py MEDPIX_DIR WORK_DIR [--cli PATH/HybridSearch.Cli.dll] [--redis-port 6392]
         [--sides single,cluster] [--kinds image,keywords,both,category,bothcategory] [--runs-from DIR]
--sides: which side to ingest and search here (on a loaded machine the two sides can run as two processes with two
work folders; the one run last passes the other's folder as --runs-from, whose run files and ingest time it compares).
An index whose ingest time file (WORK/ingest_s_SIDE) exists is reused, and so is a run file (WORK/run_KIND_SIDE.jsonl). Prints one JSON line last (the README's
Scale-out MedPix figures come from it)."""
import argparse, json, os, subprocess, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("medpix"); ap.add_argument("work")
ap.add_argument("--cli", default=os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../src/HybridSearch.Cli/bin/Release/net10.0/HybridSearch.Cli.dll")))
ap.add_argument("--task-tool", default=os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/eval/tools/medpix_task.py")))
ap.add_argument("--redis-port", type=int, default=6392)
ap.add_argument("--base-port", type=int, default=11600)
ap.add_argument("--sides", default="single,cluster")
ap.add_argument("--kinds", default="image,keywords,both,category,bothcategory")
ap.add_argument("--runs-from", default=None)
a = ap.parse_args()
sides = a.sides.split(",")
os.makedirs(a.work, exist_ok=True)
url = f"redis://127.0.0.1:{a.redis_port}"
task = os.path.join(a.work, "task")
medpix = os.path.abspath(a.medpix)

def cli(*args, check=True):
    r = subprocess.run(["dotnet", a.cli, *args], capture_output=True, text=True)
    if check and r.returncode != 0:
        sys.exit(f"{' '.join(args)}: exit {r.returncode}: {r.stderr[-2000:]}")
    return r

if not os.path.exists(os.path.join(task, "answers.json")):
    subprocess.run(["/usr/bin/python3", a.task_tool, medpix, task], check=True, stdout=subprocess.DEVNULL)
manifest = os.path.join(task, "manifest.jsonl")

procs = []
if "cluster" in sides:
    procs.append(subprocess.Popen(["redis-server", "--port", str(a.redis_port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"], stdout=subprocess.DEVNULL))
data = os.path.join(a.work, "data")
for i in range(3 if "cluster" in sides else 0):
    procs.append(subprocess.Popen(["dotnet", a.cli, "silo", "--data", data, "--cluster", url, "--port", str(a.base_port + i), "--gateway-port", str(a.base_port + 100 + i)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
targets = {"single": ["--index", os.path.join(a.work, "single")], "cluster": ["--cluster", url, "--index", "medpix"]}
ingest_args = {"single": ["--index", os.path.join(a.work, "single")], "cluster": ["--cluster", url, "--index", "medpix", "--shards", "3"]}
try:
    for _ in range(180 if "cluster" in sides else 0):
        r = cli("stats", "--cluster", url, "--json", check=False)
        if r.returncode == 0 and len(json.loads(r.stdout)["silos"]) == 3:
            break
        time.sleep(1)
    for side in sides:
        timing = os.path.join(a.work, f"ingest_s_{side}")
        if not os.path.exists(timing):
            t = time.time(); cli("index", *ingest_args[side], "--manifest", manifest, "--allow-path", medpix)
            with open(timing, "w") as f:
                f.write(str(time.time() - t))
        for kind in a.kinds.split(","):
            run = os.path.join(a.work, f"run_{kind}_{side}.jsonl")
            if not os.path.exists(run):
                out = cli("search", *targets[side], "--queries", os.path.join(task, f"q_{kind}.jsonl")).stdout
                with open(run, "w") as f:
                    f.write(out)
    where = {side: a.work for side in sides}
    for side in ("single", "cluster"):
        where.setdefault(side, a.runs_from)
    if None in where.values():
        print(json.dumps({"ran": sides, "work": a.work}))
        sys.exit(0)
    ingest = {side: float(open(os.path.join(where[side], f"ingest_s_{side}")).read()) for side in ("single", "cluster")}
    figures = {}
    for kind in a.kinds.split(","):
        runs = {}
        for side in ("single", "cluster"):
            path = os.path.join(where[side], f"run_{kind}_{side}.jsonl")
            runs[side] = [json.loads(l) for l in open(path)]
            runs[side + "_score"] = json.loads(subprocess.run(["/usr/bin/python3", a.task_tool, "--score", task, path], capture_output=True, text=True, check=True).stdout)
        same_ids = same = 0; worst = 0.0; diffs = []
        for s, c in zip(runs["single"], runs["cluster"]):
            ids_s = [h["id"] for h in s["hits"]]; ids_c = [h["id"] for h in c["hits"]]
            rel = []
            for x, y in zip(s["hits"], c["hits"]):
                if x["id"] != y["id"]:
                    continue
                rel.append(abs(x["score"] - y["score"]) / max(abs(x["score"]), 1e-12))
                if set(x["legs"]) != set(y["legs"]):
                    rel.append(1.0)
                else:
                    rel += [abs(x["legs"][k]["score"] - y["legs"][k]["score"]) / max(abs(x["legs"][k]["score"]), 1e-12) for k in x["legs"]]
            worst = max([worst] + rel)
            same_ids += ids_s == ids_c
            if ids_s == ids_c and all(r <= 1e-4 for r in rel):
                same += 1
            else:
                diffs.append(s["query_id"])
        figures[kind] = {"queries": len(runs["single"]), "same_top10_ids": same_ids, "same_top10_ids_and_scores_1e-4": same,
                         "worst_relative_difference": worst, "differing_queries": diffs[:5],
                         "mrr_at_10_single": runs["single_score"]["mrr_at_10"], "mrr_at_10_cluster": runs["cluster_score"]["mrr_at_10"]}
    print(json.dumps({"task": "medpix", "ingest_s_single": round(ingest["single"], 1), "ingest_s_cluster": round(ingest["cluster"], 1),
                      "ingest_throughput_ratio": round(ingest["single"] / ingest["cluster"], 3), "figures": figures}))
finally:
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait()
