#!/usr/bin/python3
"""PyTorch reference values for the layer library (plugins/nn) and the two
neural plugins (and the image layers Conv2d, BatchNorm2d and LeakyReLU),
computed with Debian's python3-torch (1.13) in float64 and again in float32
(the two compute types).

Every input, weight and upstream gradient comes from the closed-form
pattern(n, salt)[i] = sin(0.7 i + salt) * scale (tests/nn_pattern.h builds the
same tensors in C++), so no data files are needed. Writes nn_golden.h, where
golden::Reference<double> and golden::Reference<float> hold each type's
values, and classifier_state.h5: a float64 state_dict saved from torch with
h5py (the interop test).

Run with Debian's interpreter: /usr/bin/python3 tests/reference/nn_reference.py
"""
import math
import os
import sys

import h5py
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))


def pattern(shape, salt, scale=1.0):
    n = 1
    for d in shape:
        n *= d
    return torch.tensor([math.sin(0.7 * i + salt) * scale for i in range(n)]).reshape(shape)


def emit(out, name, tensor):
    values = tensor.detach().reshape(-1).tolist()
    out.append("  static constexpr double %s[] = {%s};" % (name, ", ".join(float.hex(v) for v in values)))


def linear_case(out):
    layer = nn.Linear(3, 2)
    with torch.no_grad():
        layer.weight.copy_(pattern((2, 3), 0.1))
        layer.bias.copy_(pattern((2,), 0.2))
    x = pattern((4, 3), 0.3).requires_grad_()
    y = layer(x)
    y.backward(pattern((4, 2), 0.4))
    emit(out, "kLinearOut", y)
    emit(out, "kLinearDx", x.grad)
    emit(out, "kLinearDw", layer.weight.grad)
    emit(out, "kLinearDb", layer.bias.grad)


def batch_norm_case(out):
    layer = nn.BatchNorm1d(3)
    with torch.no_grad():
        layer.weight.copy_(pattern((3,), 0.5, 2.0))
        layer.bias.copy_(pattern((3,), 0.6))
    layer.train()
    x = pattern((5, 3), 0.7, 3.0).requires_grad_()
    y = layer(x)
    y.backward(pattern((5, 3), 0.8))
    emit(out, "kBatchNormOut", y)
    emit(out, "kBatchNormDx", x.grad)
    emit(out, "kBatchNormDgamma", layer.weight.grad)
    emit(out, "kBatchNormDbeta", layer.bias.grad)
    emit(out, "kBatchNormRunningMean", layer.running_mean)
    emit(out, "kBatchNormRunningVar", layer.running_var)
    layer.eval()
    emit(out, "kBatchNormEvalOut", layer(pattern((2, 3), 0.9)))


def activation_case(out):
    x = pattern((3, 4), 1.0, 3.0)
    dy = pattern((3, 4), 1.1)
    for name, module in (("Relu", nn.ReLU()), ("Sigmoid", nn.Sigmoid()), ("Tanh", nn.Tanh())):
        xi = x.clone().requires_grad_()
        y = module(xi)
        y.backward(dy)
        emit(out, "k%sOut" % name, y)
        emit(out, "k%sDx" % name, xi.grad)


def conv_transpose_case(out):
    layer = nn.ConvTranspose2d(3, 2, kernel_size=4, stride=2, padding=1)
    with torch.no_grad():
        layer.weight.copy_(pattern((3, 2, 4, 4), 1.2, 0.5))
        layer.bias.copy_(pattern((2,), 1.3))
    x = pattern((2, 3, 4, 4), 1.4).requires_grad_()
    y = layer(x)
    y.backward(pattern(tuple(y.shape), 1.5))
    emit(out, "kConvTransposeOut", y)
    emit(out, "kConvTransposeDx", x.grad)
    emit(out, "kConvTransposeDw", layer.weight.grad)
    emit(out, "kConvTransposeDb", layer.bias.grad)


def adam_step(out, name, module):
    """One Adam step (lr 1e-2) on the gradients backward left; the parameters after it."""
    torch.optim.Adam(module.parameters(), lr=1e-2).step()
    for param_name, tensor in module.named_parameters():
        emit(out, "k%sAdam_%s" % (name, param_name), tensor)


def conv2d_case(out):
    """Two geometries: the discriminator's (k4 s2 p1) and an odd one (k3 s1 p1,
    a 5 x 6 image, no bias)."""
    cases = (("Conv2d", nn.Conv2d(3, 2, kernel_size=4, stride=2, padding=1), (2, 3, 8, 8)),
             ("Conv2dOdd", nn.Conv2d(2, 3, kernel_size=3, stride=1, padding=1, bias=False), (3, 2, 5, 6)))
    for salt, (name, layer, shape) in enumerate(cases):
        salt = 8.0 + salt
        with torch.no_grad():
            layer.weight.copy_(pattern(tuple(layer.weight.shape), salt, 0.5))
            if layer.bias is not None:
                layer.bias.copy_(pattern(tuple(layer.bias.shape), salt + 0.1))
        x = pattern(shape, salt + 0.2).requires_grad_()
        y = layer(x)
        y.backward(pattern(tuple(y.shape), salt + 0.3))
        emit(out, "k%sOut" % name, y)
        emit(out, "k%sDx" % name, x.grad)
        emit(out, "k%sDw" % name, layer.weight.grad)
        if layer.bias is not None:
            emit(out, "k%sDb" % name, layer.bias.grad)
        adam_step(out, name, layer)


def leaky_relu_case(out):
    x = pattern((3, 4), 10.0, 3.0).requires_grad_()
    y = nn.LeakyReLU(0.2)(x)
    y.backward(pattern((3, 4), 10.1))
    emit(out, "kLeakyReluOut", y)
    emit(out, "kLeakyReluDx", x.grad)


def batch_norm2d_case(out):
    layer = nn.BatchNorm2d(3)
    with torch.no_grad():
        layer.weight.copy_(pattern((3,), 10.5, 2.0))
        layer.bias.copy_(pattern((3,), 10.6))
    layer.train()
    x = pattern((2, 3, 4, 5), 10.7, 3.0).requires_grad_()
    y = layer(x)
    y.backward(pattern((2, 3, 4, 5), 10.8))
    emit(out, "kBatchNorm2dOut", y)
    emit(out, "kBatchNorm2dDx", x.grad)
    emit(out, "kBatchNorm2dDgamma", layer.weight.grad)
    emit(out, "kBatchNorm2dDbeta", layer.bias.grad)
    emit(out, "kBatchNorm2dRunningMean", layer.running_mean)
    emit(out, "kBatchNorm2dRunningVar", layer.running_var)
    adam_step(out, "BatchNorm2d", layer)
    layer.eval()
    emit(out, "kBatchNorm2dEvalOut", layer(pattern((2, 3, 4, 5), 10.9)))


def discriminator(channels=2, width=4):
    """A DCGAN discriminator in miniature: 8 x 8 to 4 x 4 to one logit."""
    return nn.Sequential(nn.Conv2d(channels, width, 4, 2, 1, bias=False), nn.BatchNorm2d(width),
                         nn.LeakyReLU(0.2), nn.Conv2d(width, 1, 4, 1, 0), nn.Flatten(), nn.Sigmoid())


def discriminator_training_case(out):
    """Three Adam steps of the discriminator on a batch of 5 images."""
    model = discriminator()
    fill_pattern(model, 11.0)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    loss_fn = nn.BCELoss()
    losses = []
    model.train()
    for step in range(3):
        x = pattern((5, 2, 8, 8), 12.0 + step)
        y = torch.tensor([[1.0], [0.0], [1.0], [1.0], [0.0]])
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    out.append("  static constexpr double kDiscriminatorLosses[] = {%s};" % ", ".join(float.hex(v) for v in losses))
    for name, tensor in model.state_dict().items():
        emit(out, "kDiscriminator_%s" % name.replace(".", "_"), tensor.double())
    model.eval()
    emit(out, "kDiscriminatorEvalOut", model(pattern((2, 2, 8, 8), 15.0)))


def bce_case(out):
    p = torch.tensor([[0.9], [0.2], [0.5], [1.0], [0.0], [1e-50]]).requires_grad_()
    y = torch.tensor([[1.0], [0.0], [1.0], [0.0], [1.0], [0.0]])
    loss = nn.BCELoss()(p, y)
    loss.backward()
    out.append("  static constexpr double kBceLoss = %s;" % float.hex(loss.item()))
    emit(out, "kBceGrad", p.grad)


def adam_case(out):
    w = nn.Parameter(pattern((2, 3), 1.6))
    optimizer = torch.optim.Adam([w], lr=1e-2)
    for step in range(3):
        optimizer.zero_grad()
        w.grad = pattern((2, 3), 1.7 + step)
        optimizer.step()
    emit(out, "kAdamAfter3", w)


def classifier(m, h1=128, h2=32, dropout=0.0):
    return nn.Sequential(nn.Linear(m, h1), nn.BatchNorm1d(h1), nn.ReLU(), nn.Dropout(dropout),
                         nn.Linear(h1, h2), nn.ReLU(), nn.Linear(h2, 1), nn.Sigmoid())


def fill_pattern(model, salt):
    with torch.no_grad():
        for i, (name, tensor) in enumerate(model.state_dict().items()):
            if name.endswith("num_batches_tracked"):
                continue
            if name.endswith("running_var"):
                tensor.copy_(1.0 + pattern(tuple(tensor.shape), salt + i, 0.5).abs())
            else:
                tensor.copy_(pattern(tuple(tensor.shape), salt + i, 0.3))


def classifier_training_case(out):
    """Three Adam steps of the Section 6.1 network (dropout 0, so no mask)."""
    model = classifier(9, 16, 8)
    fill_pattern(model, 2.0)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.BCELoss()
    losses = []
    model.train()
    for step in range(3):
        x = pattern((6, 9), 3.0 + step)
        y = torch.tensor([[1.0], [0.0], [1.0], [1.0], [0.0], [0.0]])
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    out.append("  static constexpr double kTrainLosses[] = {%s};" % ", ".join(float.hex(v) for v in losses))
    for i, (name, tensor) in enumerate(model.state_dict().items()):
        emit(out, "kTrained_%s" % name.replace(".", "_"), tensor.double())
    model.eval()
    emit(out, "kTrainedEvalOut", model(pattern((4, 9), 4.0)))


def write_interop_state():
    """A float64 state_dict saved by torch (its own init), for rxflow to load."""
    torch.manual_seed(0)
    model = classifier(39)
    model.train()
    model(torch.randn(16, 39))  # move the running statistics off their defaults
    with h5py.File(os.path.join(HERE, "classifier_state.h5"), "w") as f:
        for name, tensor in model.state_dict().items():
            f[name] = tensor.numpy()


def interop_case(out):
    """The saved state_dict loaded into a model of the default dtype."""
    model = classifier(39)
    with h5py.File(os.path.join(HERE, "classifier_state.h5"), "r") as f:
        model.load_state_dict({name: torch.tensor(f[name][()]) for name in f})
    model.eval()
    emit(out, "kInteropEvalOut", model(pattern((5, 39), 5.0)))


def decoder_case(out):
    model = nn.Sequential(nn.Linear(100, 8 * 8 * 128), nn.Unflatten(1, (128, 8, 8)),
                          nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.ReLU(),
                          nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(),
                          nn.ConvTranspose2d(32, 1, 4, 2, 1), nn.Sigmoid())
    fill_pattern(model, 6.0)
    image = model(pattern((1, 100), 7.0))
    emit(out, "kDecoderImage", image)


def main():
    out = ["// Generated by tests/reference/nn_reference.py with PyTorch %s; do not edit." % torch.__version__,
           "#pragma once", "namespace rxflow::golden {", "",
           "// PyTorch's values computed in T, widened to double.",
           "template <typename T>", "struct Reference;"]
    torch.set_default_dtype(torch.float64)
    write_interop_state()
    for dtype, name in ((torch.float64, "double"), (torch.float32, "float")):
        torch.set_default_dtype(dtype)
        out += ["", "template <>", "struct Reference<%s> {" % name]
        linear_case(out)
        batch_norm_case(out)
        activation_case(out)
        conv_transpose_case(out)
        bce_case(out)
        adam_case(out)
        classifier_training_case(out)
        interop_case(out)
        conv2d_case(out)
        leaky_relu_case(out)
        batch_norm2d_case(out)
        discriminator_training_case(out)
        decoder_case(out)
        out.append("};")
    out += ["", "}  // namespace rxflow::golden"]
    with open(os.path.join(HERE, "nn_golden.h"), "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
