#!/usr/bin/python3
"""Decision 0002: does scoring a random 1/16 (1/64, 1/256) sample of a clustered set -- what an HNSW graph's level 1
(level 2, 3) holds at M 16 -- find the query's cluster among its best 8? Reads a make_vectors.py set (1M x 512 in
/tmp/m1/v1m by default; pass another DIR as the first argument). Needs numpy (Debian's /usr/bin/python3)."""
import sys
import numpy as np
d=512
D=sys.argv[1] if len(sys.argv)>1 else '/tmp/m1/v1m'
raw=np.memmap(D+'/base.fvecs',dtype=np.float32,mode='r').reshape(-1,d+1)
n=raw.shape[0]
q=np.fromfile(D+'/query.fvecs',dtype=np.float32).reshape(-1,d+1)[:,1:]
gt=np.fromfile(D+'/groundtruth.ivecs',dtype=np.int32).reshape(-1,101)[:,1:11]
rng=np.random.default_rng(1)
nq=300
q=q[:nq]; gt=gt[:nq]
for frac in (16,64,256):
    idx=np.sort(rng.choice(n, n//frac, replace=False))
    S=np.asarray(raw[idx,1:])
    sims=q@S.T
    top=np.argsort(-sims,axis=1)[:,:8]
    g0=np.asarray(raw[gt[:,0],1:])
    hit1=0;hit8=0
    for i in range(nq):
        ss=(S[top[i]]@g0[i])
        hit1+= ss[0]>0.12
        hit8+= (ss>0.12).any()
    # 'in cluster': the seed scores > 0.12 against the query's exact nearest neighbour (cluster mates ~0.2, strangers 0 +/- 0.044)
    print(frac, n//frac, 'seed1 in cluster', hit1/nq, 'any of 8', hit8/nq, flush=True)
