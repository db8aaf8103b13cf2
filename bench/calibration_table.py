#!/usr/bin/python3
"""The calibration claim's table (docs/calibration-sweep.md) from the sweep
index of workflows/calibration_sweep.toml: per cohort size, each
calibrator's Brier change relative to its classifier's raw score, over the
seeds: median and interquartile range (numpy.percentile, linear), mean, and
the seeds on which it helped; with --figure, the same as a PNG (matplotlib).

    /usr/bin/python3 bench/calibration_table.py results/calibration_sweep/calibration/sweep.h5 \
        [--figure docs/calibration-claim.png]
"""
import sys

import h5py
import numpy as np

# evaluator stage -> the label the table gives it
EVALUATORS = [("evaluate_isotonic", "isotonic (validation fold)"),
              ("evaluate_platt", "Platt (validation fold)"),
              ("evaluate_isotonic_cv", "isotonic, cross-fitted (cv = 5, ensemble)")]


def column(columns, stage, name):
    """The index's metric columns: the first stage's under their own name,
    the others' as "stage.name" (docs/sweeps.md)."""
    qualified = f"{stage}.{name}"
    return columns.index(qualified if qualified in columns else name)


def draw(summary, path):
    """Median and interquartile range of the relative change, per cohort
    size (x) and calibrator (offset markers)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    sizes = sorted({n for n, _ in summary})
    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=110)
    for k, (stage, label) in enumerate(EVALUATORS):
        x = np.arange(len(sizes)) + (k - 1) * 0.22
        q = np.array([summary[(n, stage)] for n in sizes]) * 100
        ax.errorbar(x, q[:, 1], yerr=[q[:, 1] - q[:, 0], q[:, 2] - q[:, 1]], fmt="o", capsize=4,
                    label=label)
    ax.axhline(0, color="#888888", lw=1)
    ax.axhspan(-15, -5, color="#2da44e", alpha=0.12, label="the paper's claim: 5-15% lower")
    ax.set_xticks(np.arange(len(sizes)), [f"n = {n:,}" for n in sizes])
    ax.set_ylabel("Brier change vs raw (%)")
    ax.set_title("Calibration on the test fold: median and IQR over 100 seeds", fontsize=10)
    ax.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    fig.savefig(path)


def main(path, figure=None):
    with h5py.File(path, "r") as f:
        points = f["points"]
        columns = [c.decode() for c in points["metrics"].attrs["columns"]]
        metrics = points["metrics"][()]
        status = [s.decode() for s in points["status"]]
        axes = [a.decode() for a in f["definition/axes"]]
        values = points["values"][()]
    n_axis = axes.index("cohort.n")
    cohort = np.array([int(v[n_axis].decode()) for v in values])
    complete = np.array([s == "complete" for s in status])
    print(f"{complete.sum()} complete points of {len(status)}")
    summary = {}
    print("| cohort n | calibrator | raw Brier (median) | relative change: median [IQR] | mean "
          "| better in |")
    print("|---:|---|---:|---:|---:|---:|")
    for n in sorted(set(cohort)):
        rows = complete & (cohort == n)
        for stage, label in EVALUATORS:
            raw = metrics[rows, column(columns, stage, "brier")]
            calibrated = metrics[rows, column(columns, stage, "calibrated_brier")]
            change = (calibrated - raw) / raw
            q1, median, q3 = np.percentile(change, [25, 50, 75])
            summary[(n, stage)] = (q1, median, q3)
            print(f"| {n:,} | {label} | {np.median(raw):.4f} | {median:+.1%} "
                  f"[{q1:+.1%}, {q3:+.1%}] | {change.mean():+.1%} | "
                  f"{int((change < 0).sum())}/{len(change)} |")


    if figure:
        draw(summary, figure)


if __name__ == "__main__":
    if len(sys.argv) not in (2, 4) or (len(sys.argv) == 4 and sys.argv[2] != "--figure"):
        sys.exit("usage: bench/calibration_table.py SWEEP.h5 [--figure PNG]")
    main(sys.argv[1], sys.argv[3] if len(sys.argv) == 4 else None)
