#!/usr/bin/python3
"""Golden values for the 2-D embedding maps (tests/fixtures/tsne.json), from scikit-learn 1.2 (Debian's
python3-sklearn), whose exact t-SNE src/Training/Evaluation/EmbeddingProjection.cs follows term by term.

  x            60 points in 8-D: three Gaussian clusters of 20 (labels 0, 1, 2), rounded to float32.
  pca          PCA(2): explained variance ratios and the coordinates (signs may differ; the test aligns them).
  p            sklearn.manifold._t_sne._joint_probabilities at perplexity 10, as the full symmetric 60x60 matrix.
  y, kl, grad  a random 2-D map and sklearn's _kl_divergence(P, y): KL(P || Q) and its gradient.
  tsne_kl      TSNE(perplexity=10, method="exact", init="pca", learning_rate="auto", random_state=0).kl_divergence_

Rerun from the repository root: /usr/bin/python3 bench/reference/make_tsne_fixtures.py
"""

import json
import os

import numpy as np
from scipy.spatial.distance import squareform
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE
from sklearn.manifold._t_sne import _joint_probabilities, _kl_divergence
from sklearn.metrics import pairwise_distances

rng = np.random.RandomState(0)
centres = rng.normal(0, 4, size=(3, 8))
x = np.concatenate([c + rng.normal(0, 1, size=(20, 8)) for c in centres]).astype(np.float32).astype(np.float64)
labels = np.repeat(np.arange(3), 20)

pca = PCA(2, svd_solver="full").fit(x)
coords = pca.transform(x)

perplexity = 10.0
distances = pairwise_distances(x, metric="euclidean", squared=True)
p_condensed = _joint_probabilities(distances, perplexity, 0)
p_full = squareform(p_condensed)

y = rng.normal(0, 1, size=(60, 2))
kl, grad = _kl_divergence(y.ravel(), p_condensed, 1.0, 60, 2)

tsne = TSNE(2, perplexity=perplexity, method="exact", init="pca", learning_rate="auto", random_state=0).fit(x)

out = {
    "x": x.ravel().tolist(), "labels": labels.tolist(), "n": 60, "d": 8,
    "pca_explained": pca.explained_variance_ratio_.tolist(), "pca": coords.ravel().tolist(),
    "perplexity": perplexity, "p": p_full.ravel().tolist(),
    "y": y.ravel().tolist(), "kl": float(kl), "grad": grad.ravel().tolist(),
    "tsne_kl": float(tsne.kl_divergence_),
}
path = os.path.join("tests", "fixtures", "tsne.json")
with open(path, "w") as f:
    json.dump(out, f)
print(f"wrote {path}: sklearn t-SNE KL {tsne.kl_divergence_:.4f}, KL at random map {kl:.4f}")
