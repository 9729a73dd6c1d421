"""scikit-learn side of `npm run bench uplift`: fits HistGradientBoostingClassifier on the files the TypeScript
benchmark wrote, with the same settings, and writes holdout predictions for StormOps to score with the same metrics.

usage: python3 uplift_sklearn.py DIR MODE   (MODE: gbdt | tlearner; threads from OMP_NUM_THREADS)
DIR holds meta.json ({n, f, n_holdout, categorical: [col...], params}), X.f64 (column-major n x f float64),
y.u8, t.u8, H.f64 (holdout, column-major). Prints one JSON line: fit seconds, CPU seconds, threads, iterations.
"""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_info

d, mode = sys.argv[1], sys.argv[2]
meta = json.load(open(f"{d}/meta.json"))
n, f, nh = meta["n"], meta["f"], meta["n_holdout"]
X = np.fromfile(f"{d}/X.f64", dtype=np.float64).reshape(f, n).T.copy()
H = np.fromfile(f"{d}/H.f64", dtype=np.float64).reshape(f, nh).T.copy()
y = np.fromfile(f"{d}/y.u8", dtype=np.uint8).astype(np.int64)
t = np.fromfile(f"{d}/t.u8", dtype=np.uint8)
p = meta["params"]
mask = np.zeros(f, dtype=bool)
mask[meta["categorical"]] = True


def model():
    return HistGradientBoostingClassifier(
        max_iter=p["nEstimators"],
        learning_rate=p["learningRate"],
        max_depth=p["maxDepth"],
        max_leaf_nodes=p["maxLeaves"],
        min_samples_leaf=p["minSamplesLeaf"],
        l2_regularization=p["l2"],
        max_bins=255,
        early_stopping=False,
        categorical_features=mask if mask.any() else None,
        random_state=0,
    )


t0, c0 = time.perf_counter(), time.process_time()
if mode == "gbdt":
    m = model().fit(X, y)
    iters = [int(m.n_iter_)]
    fit_s, cpu_s = time.perf_counter() - t0, time.process_time() - c0
    pred = m.predict_proba(H)[:, 1]
else:
    m0 = model().fit(X[t == 0], y[t == 0])
    m1 = model().fit(X[t == 1], y[t == 1])
    iters = [int(m0.n_iter_), int(m1.n_iter_)]
    fit_s, cpu_s = time.perf_counter() - t0, time.process_time() - c0
    pred = m1.predict_proba(H)[:, 1] - m0.predict_proba(H)[:, 1]
pred.astype(np.float64).tofile(f"{d}/pred-{mode}.f64")
omp = [i.get("num_threads") for i in threadpool_info() if i.get("user_api") == "openmp"]
print(json.dumps({"fit_s": fit_s, "cpu_s": cpu_s, "threads": omp[0] if omp else None, "iters": iters}))
