#!/usr/bin/env python3
"""Re-fuses saved legs (`fusion-signals --save-legs`, `fusion --save-legs`, `visual-fusion --save-legs`) with the
default fusion of ScoreFusion (bounded scores, corroboration, narrowing, BM25 abstaining) re-implemented here, plus the
candidate rules for two rival legs (same input, same searched content) that decision 0001 records as measured.

The re-implementation reproduces `fusion-signals --legs` / `visual-fusion` / `fusion` figures of the default to 4
decimals (with deferral, on legs saved by a build that writes the `sentence` flag: COCO text 0.8674, + own image 0.9851,
+ another record's photo 0.8287, image + another caption 0.4820; on legs saved before it, which carry no flag, the
default before deferral: with abstention: COCO text 0.8554, MedPix caption words + image MRR@10 0.8180, category + image 0.4719, MED
nDCG@10 0.8049; with --before-abstention, the default before it: 0.8501, 0.8175, 0.4616, 0.8049). It is a measuring aid
for decision records, not a second implementation of the library: the C# code is the reference.

usage: refuse_saved_legs.py [--before-abstention | --before-deferral] [--metric ndcg|mrr] [--collection-size N] [--floor-study | --leave-top-out-study | --lexical-weight-study] NAME.legs.jsonl ...
--before-deferral: the default without FusionOptions.Deferral (session 16), which every study before it was measured
against; legs saved before it carry no `sentence` flag, so deferral never acts on them anyway.
--before-abstention: the default without FusionOptions.Abstention (nor Deferral), which the first three studies' tables were measured
against (pass it to reproduce them).
prints, per file, each leg alone and every variant (nDCG@10 or MRR@10, binary relevance; "BM25 abstains (appended)"
and "rivals max + γ rest" are the third study's); with --collection-size N (COCO 159, MedPix 535 cases) also the third study's chance-discounted
agreement and the default over a BM25 leg measured above a background floor (`lexical_background`); with --floor-study the
second study of decision 0001 instead (kNN floor at a rank, below-floor rank credit, rival damping exponent); with
--leave-top-out-study (needs --collection-size N <= 256: the background sample is then the whole collection) the
third study (a background that leaves the leg's own first 20 records out, on every query or on one-input queries only,
with a BM25 floor from the same whole-collection background and the less-confident-rival rule); with
--lexical-weight-study session 15's (BM25's weight times λ, and the rival damping read with other confidence measures).
"""
import argparse
import copy
import json
import math
import sys

TOLERANCE = 0.02          # LegCorroboration.Tolerance
AGREEMENT_DEPTH = 20      # LegCorroboration.AgreementDepth
RIVAL_FLATNESS_EXP = 4.0  # LegCorroboration.RivalFlatnessExponent
SIGNAL_DEPTH = 10         # FusionOptions.SignalDepth


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def window(leg):
    seen, out = set(), []
    for key, score in leg['hits']:
        if leg.get('min') is not None and score < leg['min']:
            break
        if key not in seen:
            seen.add(key)
            out.append((key, score))
    return out


def prep(query):
    legs = []
    for leg in query['legs']:
        w = window(leg)
        lo, hi = leg['tmin'], leg['tmax']
        legs.append(dict(name=leg['name'], w=w, e=[min(1.0, max(0.0, (s - lo) / (hi - lo))) for _, s in w],
                         weight=leg['weight'], input=leg['input'], content=leg['content'], terms=matches_terms(leg),
                         sentence=leg.get('sentence', False)))
    return legs


def signal(e):
    if not e or e[0] <= 0:
        return dict(conf=0.0, base=0.0, flat=0.0)
    k = min(SIGNAL_DEPTH, len(e))
    base = e[k - 1] if len(e) >= SIGNAL_DEPTH else 0.0
    return dict(conf=e[0], base=base, flat=base / e[0] if base > 0 else 0.0)


def rivals(legs, a, b):
    return (a != b and legs[a]['input'] is not None and legs[a]['content'] is not None
            and legs[a]['input'] == legs[b]['input'] and legs[a]['content'] == legs[b]['content'])


def agreement(a, b):
    return max((min(v, b[k]) for k, v in a.items() if k in b), default=0.0)


def rival_confidence(leg, sig, measure):
    """Which of two rivals counts as the more confident one (session 15's study; 'top' is the C# default: the best
    evidence; 'separation': best minus the evidence at the signal depth; 'margin': best minus second best)."""
    e = leg['e']
    if not e:
        return 0.0
    if measure == 'separation':
        return e[0] - sig['base']
    if measure == 'margin':
        return e[0] - (e[1] if len(e) > 1 else 0.0)
    return e[0]


RIVAL_MEASURE = 'top'  # session 15's study: 'top' (the C# default), 'separation', 'margin' or 'none' (no rival damping)


def multipliers(legs, sig, rival_exp=1.0, scaled_outvote=False, chance_size=None):
    n = len(legs)
    m = [1.0] * n
    taking = [i for i, leg in enumerate(legs) if leg['input'] is not None and leg['weight'] > 0]
    by_key, conf = {}, [0.0] * n
    for i in taking:
        leg = legs[i]
        conf[i] = max(leg['e'], default=0.0)
        by_key[i] = {k: e for j, ((k, _), e) in enumerate(zip(leg['w'], leg['e'])) if j < AGREEMENT_DEPTH and e > 0}
    if len(taking) < 2:
        return m
    agr = {(a, b): agreement(by_key[a], by_key[b]) for a in taking for b in taking if a != b}
    for l in taking:
        mult = 1.0
        for inp in dict.fromkeys(legs[i]['input'] for i in taking):
            if inp == legs[l]['input']:
                continue
            group = [i for i in taking if legs[i]['input'] == inp]
            if len(group) < 2:
                continue
            within = max((((1 - min(sig[a]['flat'], sig[b]['flat'])) ** RIVAL_FLATNESS_EXP if rivals(legs, a, b) else 1.0)
                          * agr[(a, b)] for a in group for b in group if a < b), default=0.0)
            if chance_size:
                # third study: another input's agreement with this leg discounted by the chance that two legs holding
                # n_l and n_g records above their floors (in their first 20) share one in a collection of N
                with_ = max(agr[(l, g)] * (1 - len(by_key[g]) / chance_size) ** len(by_key[l]) for g in group)
            else:
                with_ = max(agr[(l, g)] for g in group)
            outvote = min(1.0, (TOLERANCE + with_) / (TOLERANCE + within))
            if scaled_outvote and conf[l] > 0:
                # candidate: an outvote counts as far as the other input's agreement reaches this leg's own confidence
                outvote **= min(1.0, within / conf[l])
            mult *= outvote
        for o in taking:
            if RIVAL_MEASURE == 'none':
                break
            if rivals(legs, l, o) and (rival_confidence(legs[o], sig[o], RIVAL_MEASURE)
                                       > rival_confidence(legs[l], sig[l], RIVAL_MEASURE)):
                mult *= min(1.0, (TOLERANCE + agr[(l, o)]) / (TOLERANCE + conf[l])) ** rival_exp
        m[l] = mult
    return m


DEFERRAL = True  # FusionOptions.Deferral (on in the default); --before-deferral turns it off (the studies before session 16)
SURE_RIVAL_EVIDENCE = 0.25  # FusionOptions.SureRivalEvidence


def defer(legs, sig, w):
    """FusionOptions.Deferral (ScoreFusion.Defer): a term-matching leg whose query is as long as the short records it
    searches (the saved `sentence` flag, RankedLeg.QueryAsLongAsRecords) gives its corroborated weight to its most
    confident kNN rival (same input and content, weight above 0, evidence above 0), times min(1, e_M(1) / 0.25)."""
    w = list(w)
    for l, L in enumerate(legs):
        if not (L['terms'] and L['sentence'] and L['input'] is not None and L['content'] is not None and w[l] > 0):
            continue
        rival = None
        for m, M in enumerate(legs):
            if (m != l and not M['terms'] and w[m] > 0 and sig[m]['conf'] > 0 and M['input'] == L['input']
                    and M['content'] == L['content'] and (rival is None or sig[m]['conf'] > sig[rival]['conf'])):
                rival = m
        if rival is not None:
            w[rival] += w[l] * min(1.0, sig[rival]['conf'] / SURE_RIVAL_EVIDENCE)
            w[l] = 0.0
    return w


FOURTH = False  # --fourth-study: the plain mode also prints the fourth study's rules
ABSTENTION = True  # FusionOptions.Abstention (on in the default); --before-abstention turns it off for the older studies


def matches_terms(leg):
    """RankedLeg.MatchesTerms: saved as `terms`; files saved before it name BM25 legs Lexical or Transcript."""
    return leg.get('terms', leg['name'] in ('Lexical', 'Transcript'))


def abstentions(legs):
    """Per leg, the records it abstains on (FusionOptions.Abstention, ScoreFusion.Abstentions): for a term-matching leg
    with an input and content, weight above 0 and a weakest match above 0, every record a rival (not term-matching, same
    input and content, weight above 0) holds above its floor (evidence above 0) that its window lacks, in rival order."""
    out = [None] * len(legs)
    for l, L in enumerate(legs):
        if (not L['terms'] or L['input'] is None or L['content'] is None or L['weight'] <= 0 or not L['w']
                or L['w'][-1][1] <= 0):
            continue
        held = {k for k, _ in L['w']}
        for m, M in enumerate(legs):
            if m == l or M['terms'] or M['weight'] <= 0 or M['input'] != L['input'] or M['content'] != L['content']:
                continue
            for (k, _), e in zip(M['w'], M['e']):
                if e > 0 and k not in held:
                    held.add(k)
                    out[l] = (out[l] or []) + [k]
    return out


def fuse(query, rule=None, strength=1.0, rival_exp=1.0, credit=0.0, credit_depth=10, scaled_outvote=False,
         sampled=None, scale_lowered=False, chance_size=None, rival_gamma=1.0, abstention=None, coverage_exp=1.0):
    """The default fusion; `rule(legs, sig, weights)` may change the weights after corroboration (a candidate rule).
    Candidate rules of decision 0001's second study (defaults reproduce the C# default): `rival_exp` raises the rival
    damping (TOLERANCE + agreement) / (TOLERANCE + confidence) to that power; `credit` gives a hit at its leg's floor
    (evidence 0) among the leg's first `credit_depth` a rank credit credit · confidence · (depth − i) / depth;
    `scaled_outvote` raises the outvote of another input's agreeing legs to the power min(1, agreement / confidence).
    Third study: `sampled` is the same query with the sampled floors (the same hits, other `tmin`); when given,
    corroboration and the narrowing base read it and only the ranking evidence comes from `query`'s (lowered) floors,
    and with `scale_lowered` a leg's evidence gained below its sampled floor counts times its sampled confidence
    (e = e_s + c_s · (e_lowered − e_s)); `chance_size` (the collection's size N) discounts another input's agreement
    with a leg by the chance of a shared record (see `multipliers`); `rival_gamma` < 1 adds a record's contributions
    from legs of one input and content (rivals) as the largest plus `rival_gamma` times the others (1: the sum)."""
    legs = prep(query)
    if coverage_exp != 1.0:
        # fourth study: a term-matching leg with a kNN rival reads a match covering a share s of the query's idf mass as
        # evidence s^p (one common word of five counts less than a fifth)
        for l, L in enumerate(legs):
            if L['terms'] and any(rivals(legs, l, m) and not legs[m]['terms'] for m in range(len(legs))):
                L['e'] = [e ** coverage_exp for e in L['e']]
    if sampled is not None:
        base_legs = prep(sampled)
        if scale_lowered:
            for leg, base in zip(legs, base_legs):
                c = base['e'][0] if base['e'] else 0.0
                leg['e'] = [b + c * (e - b) for e, b in zip(leg['e'], base['e'])]
        sig = [signal(leg['e']) for leg in base_legs]
        w = [leg['weight'] * x for leg, x in zip(legs, multipliers(base_legs, sig, rival_exp, scaled_outvote, chance_size))]
    else:
        sig = [signal(leg['e']) for leg in legs]
        w = [leg['weight'] * x for leg, x in zip(legs, multipliers(legs, sig, rival_exp, scaled_outvote, chance_size))]
    if DEFERRAL:
        w = defer(legs, sig, w)
    if rule is not None:
        w = rule(legs, sig, w)
    shares = [None] * len(legs)
    for l, L in enumerate(legs):
        if L['input'] is None:
            continue
        for j, J in enumerate(legs):
            if J['input'] is None or J['input'] == L['input'] or w[j] <= 0 or not J['e'] or J['e'][0] <= 0:
                continue
            shares[l] = shares[l] or {}
            for (k, _), e in zip(J['w'], J['e']):
                shares[l][k] = max(shares[l].get(k, 0.0), e / J['e'][0])
    abstained = abstentions(legs) if (ABSTENTION if abstention is None else abstention) else [None] * len(legs)
    acc, by_group = {}, {}
    for l, L in enumerate(legs):
        size = len(L['w'])
        conf = L['e'][0] if L['e'] else 0.0
        group = (L['input'], L['content']) if rival_gamma != 1.0 and L['input'] is not None and L['content'] is not None else None
        # abstained records: the leg's weakest match's evidence, narrowed as it is, no rank step
        for i, ((k, _), e) in enumerate(list(zip(L['w'], L['e'])) + [((k, None), L['e'][-1] if L['e'] else 0.0) for k in abstained[l] or []]):
            v = e + (1e-6 * (size - i) / size if i < size else 0.0)
            if credit > 0 and e <= 0:
                v += credit * conf * max(0, credit_depth - i) / credit_depth
            if shares[l] is not None and sig[l]['base'] > 0:
                v -= strength * min(e, sig[l]['base']) * (1 - shares[l].get(k, 0.0))
            if group is None:
                acc[k] = acc.get(k, 0.0) + w[l] * v
            else:
                by_group.setdefault((group, k), []).append(w[l] * v)
    for (_, k), values in by_group.items():
        values.sort(reverse=True)
        acc[k] = acc.get(k, 0.0) + values[0] + rival_gamma * sum(values[1:])
    return sorted(acc, key=lambda k: (-acc[k], k))


def confidence_rule(p):
    """The less confident of two rivals counts (c_L / c_M)^p."""
    def rule(legs, sig, w):
        w = list(w)
        for l in range(len(legs)):
            for m in range(len(legs)):
                if rivals(legs, l, m) and w[m] > 0 and sig[m]['conf'] > sig[l]['conf']:
                    w[l] *= (sig[l]['conf'] / sig[m]['conf']) ** p
        return w
    return rule


def top_overlap_rule(k=SIGNAL_DEPTH):
    """Fourth study: the less confident of two rivals counts as far as its first k records (above its floor) are among
    the other's first k: |top_k(L) ∩ top_k(M)| / k (agreement of the legs' top sets as the weaker leg's confidence)."""
    def rule(legs, sig, w):
        w = list(w)
        for l in range(len(legs)):
            for m in range(len(legs)):
                if rivals(legs, l, m) and w[m] > 0 and sig[m]['conf'] > sig[l]['conf']:
                    top_l = {key for (key, _), e in list(zip(legs[l]['w'], legs[l]['e']))[:k] if e > 0}
                    top_m = {key for (key, _), _e in list(zip(legs[m]['w'], legs[m]['e']))[:k]}
                    w[l] *= len(top_l & top_m) / k
        return w
    return rule


def tie_share_rule():
    """Fourth study: a term-matching leg with a kNN rival counts times 1 − (its near ties − 1) / window-at-depth: the
    share of its first k records it can tell from its best (10% margin, as LegSignal.NearTies)."""
    def rule(legs, sig, w):
        w = list(w)
        for l, L in enumerate(legs):
            if not L['terms'] or not L['e'] or L['e'][0] <= 0 or not any(rivals(legs, l, m) and not legs[m]['terms'] for m in range(len(legs))):
                continue
            k = min(SIGNAL_DEPTH, len(L['e']))
            ties = sum(1 for e in L['e'][:k] if e >= 0.9 * L['e'][0])
            w[l] *= 1 - (ties - 1) / k
        return w
    return rule


def flatness_rule(p):
    """The flatter of two rivals counts ((1 − F_L) / (1 − F_M))^p."""
    def rule(legs, sig, w):
        w = list(w)
        for l in range(len(legs)):
            for m in range(len(legs)):
                if rivals(legs, l, m) and w[m] > 0 and sig[m]['conf'] > 0 and sig[l]['flat'] > sig[m]['flat']:
                    w[l] *= ((1 - sig[l]['flat']) / (1 - sig[m]['flat'])) ** p
        return w
    return rule


def lexical_background(queries, collection_size, percentile=0.97):
    """BM25 measured above what an unrelated document scores (the kNN legs' floor), from the leg's own window padded
    with zeros to the collection size: what a BM25 background sample would give when the window holds every match."""
    out = []
    for q in queries:
        q = copy.deepcopy(q)
        for leg in q['legs']:
            if leg['name'] == 'Lexical' and leg['hits']:
                scores = sorted([s for _, s in leg['hits']] + [0.0] * max(0, collection_size - len(leg['hits'])))
                floor = scores[min(len(scores) - 1, int(percentile * (len(scores) - 1)))]
                leg['tmin'] = min(floor, leg['tmax'] * 0.999)
        out.append(q)
    return out


def floor_at_rank(queries, rank, rivals_only=False, min_confidence=0.0):
    """A kNN leg's floor lowered to just below its `rank`-th record, so its first `rank` records get evidence: in a
    collection of fewer than 256 vectors the background sample is the whole collection and the 97th percentile sits
    at its ~(0.03 N)-th record (the 5th of COCO's 159); this is the percentile 1 − rank / N there. `rivals_only`: only
    a kNN leg with a BM25 rival (same input and content); `min_confidence`: only a leg whose best evidence under the
    sampled floor reaches it."""
    out = []
    for q in queries:
        q = copy.deepcopy(q)
        for leg in q['legs']:
            if leg['tmin'] <= 0 or not leg['hits']:
                continue
            if rivals_only and not any(o is not leg and o['hits'] and o['weight'] > 0 and o['input'] is not None
                                       and o['input'] == leg['input'] and o['content'] == leg['content'] for o in q['legs']):
                continue
            w = window(leg)
            confidence = (w[0][1] - leg['tmin']) / (leg['tmax'] - leg['tmin']) if w else 0.0
            if len(w) >= rank and confidence >= min_confidence:
                s = w[rank - 1][1]
                leg['tmin'] = min(leg['tmin'], s - 1e-6 * (leg['tmax'] - s))
        out.append(q)
    return out


def leave_top_out(queries, collection_size, top=AGREEMENT_DEPTH, single_input_only=False, percentile=0.97, rivals_only=False):
    """A kNN leg's floor taken, as KnnBackground does, at the percentile of the query's scores against the whole
    collection (the sample when the collection holds at most 256 vectors) but with the leg's own first `top` records
    left out of it: "what an unrelated record scores" no longer counts the answer and its neighbours. On COCO (159) the
    floor moves from the 6th record to the 26th. `single_input_only`: only on queries whose legs with hits all answer
    one input (text only); a query with an image keeps the sampled floor. `rivals_only`: only a kNN leg with a BM25
    rival (same input and content)."""
    out = []
    for q in queries:
        q = copy.deepcopy(q)
        inputs = {leg['input'] for leg in q['legs'] if leg['hits'] and leg['weight'] > 0 and leg['input'] is not None}
        if single_input_only and len(inputs) > 1:
            out.append(q)
            continue
        rest = collection_size - top
        rank = top + (rest - int(percentile * (rest - 1)))
        for leg in q['legs']:
            w = window(leg)
            if rivals_only and not any(o is not leg and o['hits'] and o['weight'] > 0 and o['input'] is not None
                                       and o['input'] == leg['input'] and o['content'] == leg['content'] for o in q['legs']):
                continue
            if leg['tmin'] > 0 and len(w) >= rank:
                leg['tmin'] = min(leg['tmin'], w[rank - 1][1])
        out.append(q)
    return out


def abstain(queries):
    """The third study's form of abstention (before it was built; fuse with abstention=False): the credited records are
    appended to the BM25 leg's hits, so where its window is short they also enter its base and its agreement. A BM25 leg that does not match a record at all (no shared term) abstains on it instead of voting 0: every record
    its kNN rival (same input and content) holds above the rival's floor and BM25's hits lack is credited BM25's
    weakest match (its lowest hit score). Short paraphrased captions often share no word with their answer."""
    out = []
    for q in queries:
        q = copy.deepcopy(q)
        for bm25 in q['legs']:
            if bm25['tmin'] != 0 or not bm25['hits'] or bm25['weight'] <= 0 or bm25['input'] is None:
                continue
            held = {k for k, _ in bm25['hits']}
            weakest = bm25['hits'][-1][1]
            for knn in q['legs']:
                if (knn is bm25 or knn['tmin'] <= 0 or knn['input'] != bm25['input'] or knn['content'] != bm25['content']
                        or knn['weight'] <= 0 or weakest <= 0):
                    continue
                extra = [[k, weakest] for k, score in window(knn) if score > knn['tmin'] and k not in held]
                held.update(k for k, _ in extra)
                bm25['hits'] = bm25['hits'] + extra
        out.append(q)
    return out


def with_floors_of(queries, floors_from):
    """`queries` with each leg's `tmin` taken from the same query and leg of `floors_from`."""
    out = []
    for q, f in zip(queries, floors_from):
        q = copy.deepcopy(q)
        for leg, other in zip(q['legs'], f['legs']):
            leg['tmin'] = other['tmin']
        out.append(q)
    return out


def single_input_lexical_background(queries, collection_size):
    """lexical_background (97th percentile) on one-input queries only."""
    multi = [len({l['input'] for l in q['legs'] if l['hits'] and l['weight'] > 0 and l['input'] is not None}) > 1 for q in queries]
    floored = lexical_background(queries, collection_size)
    return [q if m else f for q, f, m in zip(queries, floored, multi)]


def single_input_rule(rule):
    """A weight rule applied only when the legs that count answer one input."""
    def wrapped(legs, sig, w):
        if len({leg['input'] for leg in legs if leg['w'] and leg['weight'] > 0 and leg['input'] is not None}) > 1:
            return w
        return rule(legs, sig, w)
    return wrapped


def legs_alone(queries, metric):
    """Each leg's own ranking (its window), the metric's mean over the queries, keyed '<leg> alone'."""
    return {f'{name} alone': sum(metric([k for k, _ in window(next(l for l in q['legs'] if l['name'] == name))],
                                        set(q['relevant'])) for q in queries) / len(queries)
            for name in sorted({leg['name'] for q in queries for leg in q['legs'] if leg['hits']})}


def mean_of(metric):
    """mean(queries, **fuse options): the metric's mean of the fused rankings."""
    return lambda qs, **kw: sum(metric(fuse(q, **kw), set(q['relevant'])) for q in qs) / len(qs)


def leave_top_out_row(path, metric, size):
    """One line of decision 0001's third study (leave-top-out background) for one saved-legs file."""
    queries = load(path)

    mean = mean_of(metric)

    row = legs_alone(queries, metric)
    row['default'] = mean(queries)
    every = leave_top_out(queries, size)
    single = leave_top_out(queries, size, single_input_only=True)
    row['leave-top-20-out'] = mean(every)
    row['leave-top-20-out, one input'] = mean(single)
    row['leave-top-20-out + BM25 background, one input'] = mean(single_input_lexical_background(single, size))
    for p in (0.5, 1):
        row[f'leave-top-20-out + less confident rival ^{p}, one input'] = mean(single, rule=single_input_rule(confidence_rule(p)))
        row[f'leave-top-20-out + less confident rival ^{p}, every query'] = mean(every, rule=confidence_rule(p))
    row['leave-top-20-out + BM25 background + less confident rival ^0.5, one input'] = mean(
        single_input_lexical_background(single, size), rule=single_input_rule(confidence_rule(0.5)))

    def split(qs, scale):
        return sum(metric(fuse(q, sampled=s, scale_lowered=scale), set(q['relevant'])) for q, s in zip(qs, queries)) / len(qs)

    rivals = leave_top_out(queries, size, rivals_only=True)
    row['leave-top-20-out, rival kNN legs, corroboration on sampled floor'] = split(rivals, False)
    row['... evidence below the sampled floor x sampled confidence'] = split(rivals, True)
    row['BM25 abstains'] = mean(abstain(queries))
    row['BM25 abstains + leave-top-20-out'] = mean(abstain(every))
    row['agreement with another input discounted by chance'] = mean(queries, chance_size=size)
    row['leave-top-20-out + agreement discounted by chance'] = mean(every, chance_size=size)
    row['BM25 abstains + leave-top-20-out + agreement discounted by chance'] = mean(abstain(every), chance_size=size)
    abstained = abstain(rivals)
    row['BM25 abstains + leave-top-20-out, rival kNN legs, corroboration on sampled floor, x confidence'] = sum(
        metric(fuse(q, sampled=s, scale_lowered=True), set(q['relevant']))
        for q, s in zip(abstained, with_floors_of(abstained, queries))) / len(queries)
    print(json.dumps({'file': path.split('/')[-1], **{k: round(v, 4) for k, v in row.items()}}), flush=True)


def ndcg(ranked, relevant):
    dcg = sum(1 / math.log2(i + 2) for i, k in enumerate(ranked[:10]) if k in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
    return dcg / ideal if ideal else 0.0


def mrr(ranked, relevant):
    return next((1.0 / (i + 1) for i, k in enumerate(ranked[:10]) if k in relevant), 0.0)


def main(argv):
    global ABSTENTION, DEFERRAL, FOURTH
    parser = argparse.ArgumentParser(description='Re-fuse saved legs (see the module docstring).')
    parser.add_argument('--metric', choices=('ndcg', 'mrr'), default='ndcg')
    parser.add_argument('--collection-size', type=int, default=None)
    parser.add_argument('--floor-study', action='store_true')
    parser.add_argument('--leave-top-out-study', action='store_true')
    parser.add_argument('--before-abstention', action='store_true')
    parser.add_argument('--before-deferral', action='store_true')
    parser.add_argument('--fourth-study', action='store_true')
    parser.add_argument('--lexical-weight-study', action='store_true')
    parser.add_argument('files', nargs='+')
    args = parser.parse_args(argv)
    metric, size = {'ndcg': ndcg, 'mrr': mrr}[args.metric], args.collection_size
    floor_study, lto_study, argv = args.floor_study, args.leave_top_out_study, args.files
    ABSTENTION, FOURTH = not args.before_abstention, args.fourth_study
    DEFERRAL = not (args.before_deferral or args.before_abstention)
    if lto_study:
        if size is None or size > 256:
            sys.exit('--leave-top-out-study needs --collection-size N with N <= 256 (the sample is then the whole collection)')
        for path in argv:
            leave_top_out_row(path, metric, size)
        return
    if args.lexical_weight_study:
        for path in argv:
            lexical_weight_row(path, metric)
        return
    if floor_study:
        for path in argv:
            floor_study_row(path, metric)
        return
    variants = {'default': None}
    variants.update({f'confidence p={p}': confidence_rule(p) for p in (1, 2, 3)})
    variants.update({f'flatness p={p}': flatness_rule(p) for p in (1, 2, 4)})
    for path in argv:
        queries = load(path)
        row = legs_alone(queries, metric)
        for name, rule in variants.items():
            row[name] = sum(metric(fuse(q, rule), set(q['relevant'])) for q in queries) / len(queries)
        row['without abstention'] = sum(metric(fuse(q, abstention=False), set(q['relevant'])) for q in queries) / len(queries)
        row['BM25 abstains (appended)'] = sum(metric(fuse(q, abstention=False), set(q['relevant'])) for q in abstain(queries)) / len(queries)
        if FOURTH:
            mean = lambda **kw: sum(metric(fuse(q, **kw), set(q['relevant'])) for q in queries) / len(queries)
            row['idf coverage ^2'] = mean(coverage_exp=2.0)
            row['idf coverage ^1.5'] = mean(coverage_exp=1.5)
            row['top-10 overlap of rivals'] = mean(rule=top_overlap_rule())
            row['BM25 near-tie share'] = mean(rule=tie_share_rule())
        for gamma in (0.75, 0.5):
            row[f'rivals max + {gamma} rest'] = sum(metric(fuse(q, rival_gamma=gamma), set(q['relevant'])) for q in queries) / len(queries)
        if size is not None:
            row['agreement discounted by chance'] = sum(metric(fuse(q, chance_size=size), set(q['relevant'])) for q in queries) / len(queries)
            row['BM25 abstains + agreement discounted by chance'] = sum(metric(fuse(q, chance_size=size), set(q['relevant'])) for q in abstain(queries)) / len(queries)
            for pct in (0.9, 0.97, 0.99):
                row[f'lexical background {pct}'] = sum(metric(fuse(q), set(q['relevant'])) for q in lexical_background(queries, size, pct)) / len(queries)
        print(json.dumps({'file': path.split('/')[-1], **{k: round(v, 4) for k, v in row.items()}}))


def lexical_weight_row(path, metric):
    """One line of session 15's study: the term-matching legs' weight times λ (the kNN floor at its default), and the
    rival damping read with another confidence measure (or none)."""
    global RIVAL_MEASURE
    queries = load(path)

    mean = mean_of(metric)

    row = legs_alone(queries, metric)
    row['default'] = mean(queries)
    for lam in (0.5, 0.3, 0.2, 0.1, 0.05, 0.0):
        scaled = copy.deepcopy(queries)
        for q in scaled:
            for leg in q['legs']:
                if matches_terms(leg):
                    leg['weight'] *= lam
        row[f'BM25 weight x {lam}'] = mean(scaled)
    for measure in ('separation', 'margin', 'none'):
        RIVAL_MEASURE = measure
        try:
            row[f'rival damping by {measure}'] = mean(queries)
        finally:
            RIVAL_MEASURE = 'top'
    print(json.dumps({'file': path.split('/')[-1], **{k: round(v, 4) for k, v in row.items()}}), flush=True)


def floor_study_row(path, metric):
    """One line of decision 0001's second study (the small-collection floor) for one saved-legs file."""
    queries = load(path)

    mean = mean_of(metric)

    row = legs_alone(queries, metric)
    row['default'] = mean(queries)
    for rank in (10, 15, 20):
        row[f'floor at rank {rank}'] = mean(floor_at_rank(queries, rank))
    row['floor at rank 20, rivals only'] = mean(floor_at_rank(queries, 20, rivals_only=True))
    row['floor at rank 20, rivals only, confidence >= 0.2'] = mean(floor_at_rank(queries, 20, True, 0.2))
    for beta in (0.1, 0.3, 0.5):
        row[f'below-floor credit {beta}'] = mean(queries, credit=beta)
    for exp in (2, 4):
        row[f'rival damping ^{exp}'] = mean(queries, rival_exp=exp)
        row[f'floor at rank 20 + rival damping ^{exp}'] = mean(floor_at_rank(queries, 20), rival_exp=exp)
    for p in (0.5, 1):
        row[f'floor at rank 20 + less confident rival ^{p}'] = mean(floor_at_rank(queries, 20), rule=confidence_rule(p))
        row[f'floor at rank 20, rivals only + less confident rival ^{p}'] = mean(floor_at_rank(queries, 20, rivals_only=True), rule=confidence_rule(p))
    row['scaled outvote'] = mean(queries, scaled_outvote=True)
    row['scaled outvote + floor at rank 20'] = mean(floor_at_rank(queries, 20), scaled_outvote=True)
    print(json.dumps({'file': path.split('/')[-1], **{k: round(v, 4) for k, v in row.items()}}), flush=True)


if __name__ == '__main__':
    main(sys.argv[1:])
