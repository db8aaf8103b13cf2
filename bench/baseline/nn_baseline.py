#!/usr/bin/python3
"""The paper's own stack for the same work as bench/nn_bench.cpp: PyTorch on
the CPU (Debian's python3-torch), timed in-process (Python start-up not
counted), default dtype float32 and default threads, as a user would run it.

Usage: /usr/bin/python3 bench/baseline/nn_baseline.py [REPEATS]
"""
import statistics
import sys
import time

import torch
import torch.nn as nn


def classifier(m=39):
    return nn.Sequential(nn.Linear(m, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Dropout(0.2),
                         nn.Linear(128, 32), nn.ReLU(), nn.Linear(32, 1), nn.Sigmoid())


def train(model, x, y, epochs, batch_size):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.BCELoss()
    n = x.shape[0]
    train_rows, val_rows = int(round(n * 0.6)), int(round(n * 0.2))
    order = torch.randperm(n)
    tr, va = order[:train_rows], order[train_rows:train_rows + val_rows]
    for _ in range(epochs):
        model.train()
        perm = tr[torch.randperm(len(tr))]
        for start in range(0, len(perm), batch_size):
            idx = perm[start:start + batch_size]
            if len(idx) < 2:
                continue
            optimizer.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            loss_fn(model(x[va]), y[va])


def median_seconds(repeats, work):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    torch.manual_seed(0)
    x = torch.rand(200, 39)
    y = (torch.rand(200, 1) > 0.5).float()
    seconds = median_seconds(repeats, lambda: train(classifier(), x, y, 10, 16))
    print("case_study_training_ms %.3f" % (seconds * 1e3))

    decoder = nn.Sequential(nn.Linear(100, 8 * 8 * 128), nn.Unflatten(1, (128, 8, 8)),
                            nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.ReLU(),
                            nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(),
                            nn.ConvTranspose2d(32, 1, 4, 2, 1), nn.Sigmoid())
    z = torch.randn(1, 100)

    def forward():
        with torch.no_grad():
            decoder(z)
    forward()
    seconds = median_seconds(repeats, forward)
    print("decoder_forward_ms %.3f" % (seconds * 1e3))
    print("torch_threads %d" % torch.get_num_threads())


if __name__ == "__main__":
    main()
