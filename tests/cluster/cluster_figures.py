#!/usr/bin/env python3
"""Cluster figures on a BEIR collection (MED, CISI, Cranfield): a 3-shard index on three silo processes vs a single
index over the same records — equality of the top-10 (ids and scores) fused, BM25 alone and dense alone, and of every
leg's raw score on it,
p50 query latency (the searcher's own took_ms, models loaded once per batch), ingest time, and a kill -9 of one silo
during a batch of queries, then the killed silo restarted (three silos, whole answers equal to the single index), then
`rebalance` while a batch of queries runs (what queries meet during a move; one shard per silo again after). Needs
redis-server and a built CLI.

usage: cluster_figures.py BEIR_DIR WORK_DIR [--cli PATH/HybridSearch.Cli.dll] [--redis-port 6391] [--no-kill]
An index whose ingest time file (WORK/ingest_s_single, WORK/ingest_s_cluster) exists is reused (the cluster's shards
and catalogue live in WORK/data), so a re-run with another build only searches; --no-kill leaves out the kill -9.
Prints one JSON line last (the README's Scale-out figures on CISI come from it)."""
import argparse, json, os, signal, statistics, subprocess, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("beir"); ap.add_argument("work")
ap.add_argument("--cli", default=os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../src/HybridSearch.Cli/bin/Release/net10.0/HybridSearch.Cli.dll")))
ap.add_argument("--redis-port", type=int, default=6391)
ap.add_argument("--base-port", type=int, default=11300)
ap.add_argument("--no-kill", action="store_true")
a = ap.parse_args()
os.makedirs(a.work, exist_ok=True)
url = f"redis://127.0.0.1:{a.redis_port}"
name = os.path.basename(os.path.normpath(a.beir))

def cli(*args, check=True):
    r = subprocess.run(["dotnet", a.cli, *args], capture_output=True, text=True)
    if check and r.returncode != 0:
        sys.exit(f"{' '.join(args)}: exit {r.returncode}: {r.stderr[-2000:]}")
    return r

manifest = os.path.join(a.work, "manifest.jsonl")
with open(os.path.join(a.beir, "corpus.jsonl")) as src, open(manifest, "w") as dst:
    for line in src:
        d = json.loads(line)
        dst.write(json.dumps({"id": d["_id"], "title": d.get("title") or "", "text": d.get("text") or ""}) + "\n")
queries = os.path.join(a.work, "queries.jsonl")
with open(os.path.join(a.beir, "queries.jsonl")) as src, open(queries, "w") as dst:
    for line in src:
        d = json.loads(line)
        dst.write(json.dumps({"id": d["_id"], "text": d["text"], "top": 10}) + "\n")

procs = []
procs.append(subprocess.Popen(["redis-server", "--port", str(a.redis_port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"], stdout=subprocess.DEVNULL))
data = os.path.join(a.work, "data")
silos = []
for i in range(3):
    p = subprocess.Popen(["dotnet", a.cli, "silo", "--data", data, "--cluster", url, "--port", str(a.base_port + i), "--gateway-port", str(a.base_port + 100 + i)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    silos.append(p); procs.append(p)
try:
    for _ in range(120):
        r = cli("stats", "--cluster", url, "--json", check=False)
        if r.returncode == 0 and len(json.loads(r.stdout)["silos"]) == 3:
            break
        time.sleep(1)
    def ingest(side, *args):
        """Seconds to ingest the manifest (a previous run's, read back, when its timing file exists)."""
        timing = os.path.join(a.work, f"ingest_s_{side}")
        if not os.path.exists(timing):
            t = time.time(); cli("index", *args, "--manifest", manifest)
            with open(timing, "w") as f:
                f.write(str(time.time() - t))
        return float(open(timing).read())
    single_ingest = ingest("single", "--index", os.path.join(a.work, "single"))
    cluster_ingest = ingest("cluster", "--cluster", url, "--index", name, "--shards", "3")
    single = [json.loads(l) for l in cli("search", "--index", os.path.join(a.work, "single"), "--queries", queries).stdout.splitlines()]
    # Twice: the first batch warms the shards (activation, first searcher), the second is timed.
    cli("search", "--cluster", url, "--index", name, "--queries", queries)
    cluster = [json.loads(l) for l in cli("search", "--cluster", url, "--index", name, "--queries", queries).stdout.splitlines()]
    single_again = [json.loads(l) for l in cli("search", "--index", os.path.join(a.work, "single"), "--queries", queries).stdout.splitlines()]

    def compare(single, cluster, leg=None):
        """Top-10 ids equal, and scores to 1e-4 relative: the fused score, or with `leg` that leg's raw score."""
        same_ids = same_scores = same_legs = 0; worst = 0.0; diffs = []
        for s, c in zip(single, cluster):
            ids_s = [h["id"] for h in s["hits"]]; ids_c = [h["id"] for h in c["hits"]]
            if ids_s == ids_c:
                same_ids += 1
            else:
                diffs.append(s["query_id"])
            score = (lambda h: h["legs"].get(leg, {}).get("score", 0.0)) if leg else (lambda h: h["score"])
            rel = [abs(score(x) - score(y)) / max(abs(score(x)), 1e-12) for x, y in zip(s["hits"], c["hits"]) if x["id"] == y["id"]]
            worst = max([worst] + rel)
            if ids_s == ids_c and all(r <= 1e-4 for r in rel):
                same_scores += 1
            legs_ok = all(set(x["legs"]) == set(y["legs"]) and all(abs(x["legs"][k]["score"] - y["legs"][k]["score"]) <= 1e-4 * max(abs(x["legs"][k]["score"]), 1e-12) for k in x["legs"])
                          for x, y in zip(s["hits"], c["hits"]) if x["id"] == y["id"])
            same_legs += legs_ok
        return {"same_top10_ids": same_ids, "same_top10_ids_and_scores_1e-4": same_scores, "same_leg_scores_1e-4": same_legs,
                "worst_relative_score_difference": worst, "differing_queries": diffs[:10]}

    equality = {"fused": compare(single, cluster)}
    # One leg alone: the other legs weighed 0, so the fused order is that leg's order and its raw scores are compared.
    for variant, leg, weights in [("bm25", "lexical", ["semantic_text=0"]), ("dense", "semantic_text", ["lexical=0", "transcript=0"])]:
        extra = [x for w in weights for x in ("--weight", w)]
        s_run = [json.loads(l) for l in cli("search", "--index", os.path.join(a.work, "single"), "--queries", queries, *extra).stdout.splitlines()]
        c_run = [json.loads(l) for l in cli("search", "--cluster", url, "--index", name, "--queries", queries, *extra).stdout.splitlines()]
        equality[variant] = compare(s_run, c_run, leg)
    p50_single = statistics.median([q["took_ms"] for q in single_again])
    p50_cluster = statistics.median([q["took_ms"] for q in cluster])
    result = {
        "collection": name, "queries": len(single), "equality": equality,
        "p50_ms_single": round(p50_single, 2), "p50_ms_cluster": round(p50_cluster, 2), "p50_limit_ms": round(1.5 * p50_single + 2, 2),
        "ingest_s_single": round(single_ingest, 1), "ingest_s_cluster": round(cluster_ingest, 1), "ingest_throughput_ratio": round(single_ingest / cluster_ingest, 3),
    }
    if a.no_kill:
        print(json.dumps(result))
        sys.exit(0)
    # kill -9 one silo while a batch runs: every query must come back (exit 0), partial or whole.
    loop = subprocess.Popen(["dotnet", a.cli, "search", "--cluster", url, "--index", name, "--queries", queries], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(6)
    silos[0].send_signal(signal.SIGKILL)
    out, err = loop.communicate(timeout=900)
    lines = [json.loads(l) for l in out.splitlines()]
    partial = sum(1 for l in lines if l.get("partial"))
    # Wait (at most 120 s) until the membership protocol has declared the silo dead and its shards answer elsewhere.
    takeover = time.time()
    while time.time() - takeover < 120:
        probe = cli("search", "--cluster", url, "--index", name, "--text", "library", "--json", check=False)
        if probe.returncode == 0 and '"partial":true' not in probe.stdout:
            break
        time.sleep(2)
    takeover_s = time.time() - takeover
    after = [json.loads(l) for l in cli("search", "--cluster", url, "--index", name, "--queries", queries).stdout.splitlines()]
    stats = json.loads(cli("stats", "--cluster", url, "--index", name, "--json").stdout)
    # Restart the killed silo (same data folder and ports): the cluster is three silos again, every answer whole and
    # equal to the single index's, no record lost.
    silos[0] = subprocess.Popen(["dotnet", a.cli, "silo", "--data", data, "--cluster", url, "--port", str(a.base_port), "--gateway-port", str(a.base_port + 100)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.append(silos[0])
    rejoin = time.time()
    while time.time() - rejoin < 120:
        r = cli("stats", "--cluster", url, "--json", check=False)
        if r.returncode == 0 and len(json.loads(r.stdout)["silos"]) == 3:
            break
        time.sleep(1)
    rejoin_s = time.time() - rejoin
    restarted = [json.loads(l) for l in cli("search", "--cluster", url, "--index", name, "--queries", queries).stdout.splitlines()]
    stats_restarted = json.loads(cli("stats", "--cluster", url, "--index", name, "--json").stdout)
    live = len(json.loads(cli("stats", "--cluster", url, "--json").stdout)["silos"])
    # Rebalance: the restarted silo holds no shard until `rebalance` moves the shards taken over back to the rule's
    # silos. A batch (the queries five times) runs meanwhile, to see what queries meet during a move; its answers go to
    # a file (a pipe would fill and stall the batch while the rebalance runs).
    batch = os.path.join(a.work, "queries_x5.jsonl")
    with open(queries) as src, open(batch, "w") as dst:
        query_lines = [json.loads(l) for l in src]
        for k in range(5):
            for d in query_lines:
                dst.write(json.dumps(dict(d, id=f"{d['id']}#{k}")) + "\n")
    during_file = os.path.join(a.work, "during_rebalance.jsonl")
    with open(during_file, "w") as out_f:
        loop = subprocess.Popen(["dotnet", a.cli, "search", "--cluster", url, "--index", name, "--queries", batch], stdout=out_f, stderr=subprocess.PIPE, text=True)
        started = time.time()
        while time.time() - started < 120 and loop.poll() is None:
            with open(during_file) as f:
                if sum(1 for _ in f) >= len(query_lines):
                    break
            time.sleep(0.05)
        t = time.time()
        rebalanced = cli("rebalance", "--cluster", url, "--index", name, "--json", check=False)
        rebalance_s = time.time() - t
        with open(during_file) as f:
            answered_before_rebalance_returned = sum(1 for _ in f)
        loop.communicate(timeout=900)
    during = [json.loads(l) for l in open(during_file)]
    moves = json.loads(rebalanced.stdout)["moves"] if rebalanced.returncode == 0 else []
    stats_rebalanced = json.loads(cli("stats", "--cluster", url, "--index", name, "--json").stdout)
    after_rebalance = [json.loads(l) for l in cli("search", "--cluster", url, "--index", name, "--queries", queries).stdout.splitlines()]
    took = sorted(q["took_ms"] for q in during)
    took_restarted = sorted(q["took_ms"] for q in restarted)
    result.update({
        "kill9_batch_exit": loop.returncode, "kill9_batch_answered": len(lines), "kill9_partial_answers": partial,
        "takeover_wait_s": round(takeover_s, 1), "after_takeover_partial": sum(1 for l in after if l.get("partial")), "records_after": stats["records"],
        "restart_rejoin_s": round(rejoin_s, 1), "silos_after_restart": live,
        "after_restart_partial": sum(1 for l in restarted if l.get("partial")),
        "after_restart_same_top10_ids_and_scores_1e-4": compare(single, restarted)["same_top10_ids_and_scores_1e-4"],
        "records_after_restart": stats_restarted["records"],
        "shard_silos_after_restart": len({x["silo"] for x in stats_restarted["shard_stats"]}),
        "rebalance_exit": rebalanced.returncode, "rebalance_s": round(rebalance_s, 2),
        "rebalance_moves": [{"shard": m["shard"], "moved": m["moved"], "seconds": m["seconds"]} for m in moves],
        "during_rebalance_batch_answered": len(during), "during_rebalance_answered_before_it_returned": answered_before_rebalance_returned,
        "during_rebalance_partial": sum(1 for l in during if l.get("partial")),
        "during_rebalance_took_ms_p50_max": [round(statistics.median(took), 1), round(took[-1], 1)],
        "no_move_batch_took_ms_p50_max": [round(statistics.median(took_restarted), 1), round(took_restarted[-1], 1)],
        "shard_silos_after_rebalance": len({x["silo"] for x in stats_rebalanced["shard_stats"]}),
        "records_after_rebalance": stats_rebalanced["records"],
        "after_rebalance_partial": sum(1 for l in after_rebalance if l.get("partial")),
        "after_rebalance_same_top10_ids_and_scores_1e-4": compare(single, after_rebalance)["same_top10_ids_and_scores_1e-4"],
    })
    print(json.dumps(result))
finally:
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait()
