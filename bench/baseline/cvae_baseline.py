#!/usr/bin/python3
"""The paper's own stack for the training cvae_trainer does in
workflows/case_study_trained_image.toml: the same conditional VAE
(plugins/generator/cvae_trainer/conditional_vae.h, as the module and loss
of tests/reference/cvae_reference.py), loss, Adam, batch size and data shape,
in PyTorch on the CPU (Debian's python3-torch). The data are numpy's
uniform images and normal conditions of the workflow's shapes: only the
time per epoch is compared. Timed in-process (Python start-up, the data
and one warm-up batch not counted); prints the median epoch of EPOCHS.

Usage: /usr/bin/python3 bench/baseline/cvae_baseline.py [ROWS [EPOCHS [THREADS [DTYPE]]]]
  defaults 2000 rows, 1 epoch, 1 thread (rxflow's stages run on one), float32
"""
import os
import statistics
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests",
                                "reference"))
from cvae_reference import Cvae, loss_terms  # the model the C++ is checked against

CONDITION, LATENT, BATCH, BETA, LR = 7 + 32, 16, 32, 1.0, 0.002


def epoch(model, optimizer, images, conditions, rows_limit=None):
    model.train()
    order = torch.randperm(images.shape[0])[:rows_limit]
    for start in range(0, len(order), BATCH):
        rows = order[start:start + BATCH]
        optimizer.zero_grad()
        x, c = images[rows], conditions[rows]
        eps = torch.randn(len(rows), LATENT)
        loss_terms(model, x, c, eps, BETA)[2].backward()
        optimizer.step()


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    dtype = sys.argv[4] if len(sys.argv) > 4 else "float32"
    torch.set_num_threads(threads)
    torch.set_default_dtype(getattr(torch, dtype))
    torch.manual_seed(0)
    generator = np.random.default_rng(0)
    images = torch.from_numpy(generator.uniform(size=(rows, 1, 64, 64))).to(torch.get_default_dtype())
    conditions = torch.from_numpy(generator.normal(size=(rows, CONDITION))).to(torch.get_default_dtype())
    model = Cvae(CONDITION, LATENT)
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    epoch(model, optimizer, images, conditions, BATCH)  # warm-up: one batch
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        epoch(model, optimizer, images, conditions)
        times.append(time.perf_counter() - start)
    print("cvae_epoch_s %.3f" % statistics.median(times))
    print("rows %d" % rows)
    print("dtype %s" % dtype)
    print("torch_threads %d" % torch.get_num_threads())


if __name__ == "__main__":
    main()
