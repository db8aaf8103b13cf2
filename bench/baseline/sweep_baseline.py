#!/usr/bin/python3
"""A sweep of the case study on the paper's own stack, in one process: for
each point (alpha 0.4 and 0.6, a seed per repeat, as bench/sweep.sh sweeps)
the same work as case_study_baseline.compute (simulation, classifier,
isotonic calibration, metrics and curves, the decoder's image), each point's
arrays and metrics saved to its own HDF5 file with h5py, the report left out
as in the rxflow sweep. Prints the points per second of the loop (imports
and start-up not counted).

Usage: /usr/bin/python3 bench/baseline/sweep_baseline.py POINTS OUT_DIR
"""
import os
import sys
import time

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from case_study_baseline import compute  # noqa: E402


def save(path, result):
    with h5py.File(path, "w") as f:
        for name, value in result.items():
            if name == "metrics":
                for fold, values in value.items():
                    for metric, number in values.items():
                        f.attrs[f"{fold}_{metric}"] = number
            else:
                f[name] = np.asarray(value)


def main():
    points, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    start = time.perf_counter()
    for i in range(points):
        save(f"{out}/point_{i}.h5", compute(20240521 + i // 2, (0.4, 0.6)[i % 2]))
    seconds = time.perf_counter() - start
    print(f"{points / seconds:.2f}")


if __name__ == "__main__":
    main()
