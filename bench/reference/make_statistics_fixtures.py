#!/usr/bin/python3
"""Golden values for the seed statistics (tests/fixtures/seed-statistics.json), from scipy.stats (Debian's
python3-scipy), which src/Training/Evaluation/SeedComparison.cs must reproduce with MathNet.Numerics.

  t_quantiles  stats.t.ppf(0.975, df) at whole and fractional degrees of freedom (Welch's df is fractional)
  t_p_values   two-sided p of a t statistic: 2 * stats.t.sf(|t|, df)
  welch        stats.ttest_ind(a, b, equal_var=False): statistic, p-value; Welch-Satterthwaite df; the 95%
               interval of mean(a) - mean(b) with that df
  paired       stats.ttest_rel(a, b): p-value; the 95% interval of mean(a - b) with n - 1 df

Rerun from the repository root: /usr/bin/python3 bench/reference/make_statistics_fixtures.py
"""

import json
import os

import numpy as np
from scipy import stats

dfs = [1, 2, 3, 4, 5, 9, 29, 30, 31, 60, 120, 1000, 1.5, 2.37, 3.9, 7.25, 44.4]
t_quantiles = [{"df": df, "q975": float(stats.t.ppf(0.975, df))} for df in dfs]
t_p_values = [{"t": t, "df": df, "p": float(2 * stats.t.sf(abs(t), df))}
              for t, df in [(0.5, 2), (2.0, 2), (4.303, 2), (-3.1, 4.6), (10.0, 3), (1.96, 1000), (0.0, 5)]]

# Linear top-1 of three or more seeds, like an ablation grid's cells: one clear gap, one within noise, one with
# unequal spreads (Welch's df well below n_a + n_b - 2).
sets = [
    ([60.0, 61.0, 62.0], [40.0, 41.0, 42.5]),
    ([50.0, 55.0, 45.0], [52.0, 47.0, 51.0]),
    ([81.3, 80.9, 81.7], [79.2, 77.0, 80.8]),
    ([88.1, 87.6, 88.4, 87.9, 88.0], [86.0, 87.9, 85.2, 86.6, 87.1]),
]


def interval(diff, se, df):
    half = stats.t.ppf(0.975, df) * se
    return [diff - half, diff + half]


welch, paired = [], []
for a, b in sets:
    x, y = np.array(a), np.array(b)
    r = stats.ttest_ind(x, y, equal_var=False)
    vx, vy = x.var(ddof=1) / len(x), y.var(ddof=1) / len(y)
    df = (vx + vy) ** 2 / (vx ** 2 / (len(x) - 1) + vy ** 2 / (len(y) - 1))
    diff = x.mean() - y.mean()
    welch.append({"a": a, "b": b, "difference": float(diff), "t": float(r.statistic), "p": float(r.pvalue),
                  "df": float(df), "ci": [float(v) for v in interval(diff, np.sqrt(vx + vy), df)]})
    rel = stats.ttest_rel(x, y)
    d = x - y
    paired.append({"a": a, "b": b, "difference": float(d.mean()), "t": float(rel.statistic), "p": float(rel.pvalue),
                   "df": len(d) - 1, "ci": [float(v) for v in interval(d.mean(), d.std(ddof=1) / np.sqrt(len(d)), len(d) - 1)]})

out = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "fixtures", "seed-statistics.json")
with open(out, "w") as f:
    json.dump({"scipy": __import__("scipy").__version__, "t_quantiles": t_quantiles, "t_p_values": t_p_values,
               "welch": welch, "paired": paired}, f, indent=1)
print("wrote", os.path.normpath(out))
