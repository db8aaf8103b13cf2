#!/usr/bin/python3
"""The seed paper's case study on its own stack (Section 11.1): NumPy for the
simulation, PyTorch for the classifier and the decoder, scikit-learn for
isotonic calibration and the metrics, matplotlib for the plots; the same work
as `rxflow run workflows/case_study.toml` (200 patients, 10 epochs, isotonic
calibration, ROC, reliability, confusion, loss and 30-day plots, one 64x64
image, an HTML page). Timed as a whole process by bench/case_study.sh.

Usage: /usr/bin/python3 bench/baseline/case_study_baseline.py OUT_DIR
"""
import json
import os
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn
from sklearn.calibration import calibration_curve
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import accuracy_score, brier_score_loss, confusion_matrix, roc_auc_score, roc_curve


def compute(seed, alpha=0.6):
    """Everything but the plots and the page: the work of one sweep point."""
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    drugs = rng.normal(0, 1 / np.sqrt(32), (8, 32))
    n = 200
    age = rng.uniform(18, 90, n)
    weight = np.clip(rng.normal(70, 15, n), 40, 150)
    gender = rng.choice(3, n, p=[0.48, 0.48, 0.04])
    marker = rng.uniform(0, 1, n)
    comorbidity = (rng.uniform(size=(n, 5)) < 0.2) @ (w := rng.uniform(size=5)) / w.sum()
    drug = rng.integers(0, 8, n)
    x = np.column_stack([(age - 18) / 72, (weight - 40) / 110, gender == 0, gender == 1, gender == 2, marker, comorbidity])
    z = alpha * x @ rng.normal(size=7) + 0.4 * drugs[drug] @ rng.normal(size=32) + rng.normal(0, 0.1, n)
    y = (z > np.median(z)).astype(np.float32)
    inputs = torch.tensor(np.column_stack([x, drugs[drug]]), dtype=torch.float32)
    labels = torch.tensor(y).unsqueeze(1)
    order = rng.permutation(n)
    train, val, test = order[:120], order[120:160], order[160:]

    model = nn.Sequential(nn.Linear(39, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Dropout(0.2),
                          nn.Linear(128, 32), nn.ReLU(), nn.Linear(32, 1), nn.Sigmoid())
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.BCELoss()
    losses, val_losses = [], []
    for _ in range(10):
        model.train()
        perm = train[rng.permutation(len(train))]
        total = 0.0
        for start in range(0, len(perm), 16):
            idx = perm[start:start + 16]
            optimizer.zero_grad()
            loss = loss_fn(model(inputs[idx]), labels[idx])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        losses.append(total / len(perm))
        model.eval()
        with torch.no_grad():
            val_losses.append(loss_fn(model(inputs[val]), labels[val]).item())
    model.eval()
    with torch.no_grad():
        p_val = model(inputs[val]).numpy().ravel()
        p_test = model(inputs[test]).numpy().ravel()
        request = torch.tensor(np.r_[[(52 - 18) / 72, (82 - 40) / 110, 0, 1, 0, 0.72, 0.3], drugs[0]],
                               dtype=torch.float32).unsqueeze(0)
        p0 = model(request).item()
    iso = IsotonicRegression(out_of_bounds="clip").fit(p_val, y[val])
    p_test_cal = iso.predict(p_test)
    p_cal = float(iso.predict([p0])[0])
    y_test = y[test]
    result = {"x": x, "y": y, "p_val": p_val, "p_test": p_test, "p_test_cal": p_test_cal,
              "p0": p0, "p_cal": p_cal, "losses": losses, "val_losses": val_losses, "metrics": {}}
    t = np.arange(31)
    for name, p in (("raw", p_test), ("calibrated", p_test_cal)):
        result["metrics"][name] = {"accuracy": accuracy_score(y_test, p > 0.5),
                                   "roc_auc": roc_auc_score(y_test, p),
                                   "brier": brier_score_loss(y_test, p)}
        result["confusion_" + name] = confusion_matrix(y_test, p > 0.5)
        result["roc_" + name] = np.column_stack(roc_curve(y_test, p))
        result["reliability_" + name] = np.column_stack(calibration_curve(y_test, p, n_bins=10))
    result["success"] = np.array([p + (1 - p) * (1 - np.exp(-0.08 * t)) for p in (p0, p_cal)])

    decoder = nn.Sequential(nn.Linear(100, 8 * 8 * 128), nn.Unflatten(1, (128, 8, 8)),
                            nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.ReLU(),
                            nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(),
                            nn.ConvTranspose2d(32, 1, 4, 2, 1), nn.Sigmoid())
    with torch.no_grad():
        result["image"] = decoder(torch.randn(1, 100)).numpy()[0, 0]
    return result


def report(out, result):
    """The plots, the image, metrics.json and the page."""
    os.makedirs(out, exist_ok=True)
    for name in ("raw", "calibrated"):
        plt.figure(); plt.imshow(result["confusion_" + name], cmap="Blues"); plt.savefig(f"{out}/confusion_{name}.svg"); plt.close()
    plt.figure()
    for name in ("raw", "calibrated"):
        plt.plot(result["roc_" + name][:, 0], result["roc_" + name][:, 1], label=name)
    plt.savefig(f"{out}/roc.svg"); plt.close()
    plt.figure()
    for name in ("raw", "calibrated"):
        plt.plot(result["reliability_" + name][:, 1], result["reliability_" + name][:, 0], marker="o", label=name)
    plt.savefig(f"{out}/reliability.svg"); plt.close()
    plt.figure(); plt.plot(result["losses"]); plt.plot(result["val_losses"]); plt.savefig(f"{out}/loss.svg"); plt.close()
    plt.figure()
    for curve in result["success"]:
        plt.plot(np.arange(31), curve)
    plt.savefig(f"{out}/success_30_days.svg"); plt.close()
    plt.imsave(f"{out}/image_1.png", result["image"], cmap="gray")
    p0, p_cal = result["p0"], result["p_cal"]
    with open(f"{out}/metrics.json", "w") as f:
        json.dump({"p0": p0, "calibrated": p_cal, "test_metrics": result["metrics"]}, f)
    with open(f"{out}/report.html", "w") as f:
        f.write(f"<html><body><h1>{p_cal:.0%}</h1><p>raw {p0:.0%}</p>"
                + "".join(f'<img src="{name}">' for name in
                          ("image_1.png", "success_30_days.svg", "roc.svg", "reliability.svg", "loss.svg"))
                + "</body></html>")
    print(f"calibrated {p_cal:.3f} (raw {p0:.3f})")


def main():
    report(sys.argv[1], compute(20240521))


if __name__ == "__main__":
    main()
