#!/usr/bin/env python3
"""Make test files that stand in for a PyTorch export of the uGMM reference model (github zakeria/uGMM).

Neither PyTorch nor the `safetensors` package is available here, so this script does by hand, with numpy
only, what a PyTorch user does:

    model = uGMMNet(device); model.addLayer(InputLayer(6, 6)); model.addLayer(uGMMLayer(prev, 5)); ...
    safetensors.torch.save_model(model, "reference-6-5-4-3.safetensors")

It builds a 6 -> 5 -> 4 -> 3 network with the reference's initialisation (mu ~ N(0,1), std = log U(0,1),
k ~ U(0,1), all float32), names the tensors as the reference's state_dict does (layers.0 is the input
layer, which has no parameters; uGMM layers are layers.1..3; layer i also holds layer i-1 under
layers.<i>.prev_layer.*), and writes safetensors files byte by byte as the format's reference writer
lays them out. It then computes the root's log-densities for some inputs in float64 with the math of
DESIGN.md section 1, for the Java test to compare against.

Files written to the output directory (default: ugmm-model's test resources):
  reference-6-5-4-3.safetensors             as save_model writes it: canonical names, {"format": "pt"}
  reference-6-5-4-3-state-dict.safetensors  the full state_dict with the prev_layer duplicates, no metadata,
                                            as save_file({k: v.clone().contiguous() ...}) writes it
  reference-6-5-4-3-f16.safetensors         the same model in half precision (model.half()), F16 tensors
  inputs.csv                                 input rows (header x_0..x_5), float32 values
  expected.csv                               the root's outputs out_0..out_2 in float64, from the F32 model
  expected-f16.csv                           the same from the F16 model's parameters

Run from the repository root:  python3 scripts/export_reference_model.py
"""
import argparse
import json
import math
import os
import struct

import numpy as np

ARCHITECTURE = [6, 5, 4, 3]
SEED = 20250907
ROWS = 40

DTYPE_NAMES = {np.dtype("float32"): "F32", np.dtype("float16"): "F16", np.dtype("float64"): "F64"}


def reference_init(rng, inputs, nodes):
    """The reference's nn.Parameter initialisation for one uGMM layer, float32."""
    mu = rng.standard_normal((nodes, inputs)).astype(np.float32)
    # torch.rand draws from [0, 1); 1 - U keeps the log finite
    std = np.log(1.0 - rng.random((nodes, inputs))).astype(np.float32)
    k = rng.random((nodes, inputs)).astype(np.float32)
    return {"mu": mu, "std": std, "k": k}


def state_dict(layers, with_aliases):
    """The reference's state_dict names: layers.<i>.{mu,std,k} for i >= 1, and the prev_layer chains."""
    tensors = {}
    for i, params in enumerate(layers, start=1):
        for name, value in params.items():
            tensors[f"layers.{i}.{name}"] = value
        if with_aliases:
            # uGMMLayer keeps prev_layer as a submodule, so layer i repeats layer i-1, i-2, ... (not the input layer)
            for depth in range(1, i):
                for name, value in layers[i - 1 - depth].items():
                    tensors[f"layers.{i}." + "prev_layer." * depth + name] = value.copy()
    return tensors


def write_safetensors(path, tensors, metadata=None):
    """Header JSON (metadata first, tensors sorted by name), space-padded to 8 bytes, then the data."""
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    offset = 0
    chunks = []
    for name in sorted(tensors):
        array = np.ascontiguousarray(tensors[name])
        data = array.astype(array.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": DTYPE_NAMES[array.dtype], "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        chunks.append(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for data in chunks:
            f.write(data)


def forward(layers, x):
    """Root log-densities, float64, exactly DESIGN.md section 1 (stable logsumexp, log-softmax of k)."""
    half_log_two_pi = 0.5 * math.log(2 * math.pi)
    out = x.astype(np.float64)
    for params in layers:
        mu = params["mu"].astype(np.float64)
        s = params["std"].astype(np.float64)
        k = params["k"].astype(np.float64)
        log_pi = k - k.max(axis=1, keepdims=True)
        log_pi = log_pi - np.log(np.exp(log_pi).sum(axis=1, keepdims=True))
        sigma = np.exp(s)
        # t[b, j, n] = log pi[j, n] - (x[b, n] - mu[j, n])^2 / (2 sigma^2) - s[j, n] - log(2 pi) / 2
        t = log_pi[None] - (out[:, None, :] - mu[None]) ** 2 / (2 * sigma[None] ** 2) - s[None] - half_log_two_pi
        top = t.max(axis=2, keepdims=True)
        out = (top + np.log(np.exp(t - top).sum(axis=2, keepdims=True)))[:, :, 0]
    return out


def write_csv(path, header, rows):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            # repr of a Python float round-trips; for float32 inputs it is the exact float32 value
            f.write(",".join(repr(float(v)) for v in row) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="ugmm-model/src/test/resources/io/ugmm/model/io/reference")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    rng = np.random.default_rng(SEED)
    layers = [reference_init(rng, n, m) for n, m in zip(ARCHITECTURE, ARCHITECTURE[1:])]
    # inputs of growing magnitude: standard normal rows, then rows scaled by 3 and by 10
    x = rng.standard_normal((ROWS, ARCHITECTURE[0]))
    x[ROWS // 2:] *= 3
    x[3 * ROWS // 4:] *= 10 / 3
    x = x.astype(np.float32)

    name = "reference-" + "-".join(map(str, ARCHITECTURE))
    write_safetensors(os.path.join(args.out, name + ".safetensors"), state_dict(layers, False), {"format": "pt"})
    write_safetensors(os.path.join(args.out, name + "-state-dict.safetensors"), state_dict(layers, True))
    half = [{p: v.astype(np.float16) for p, v in params.items()} for params in layers]
    write_safetensors(os.path.join(args.out, name + "-f16.safetensors"), state_dict(half, False), {"format": "pt"})

    write_csv(os.path.join(args.out, "inputs.csv"), [f"x_{i}" for i in range(ARCHITECTURE[0])], x)
    outputs = [f"out_{j}" for j in range(ARCHITECTURE[-1])]
    write_csv(os.path.join(args.out, "expected.csv"), outputs, forward(layers, x))
    write_csv(os.path.join(args.out, "expected-f16.csv"), outputs, forward(half, x))
    print(f"wrote {name}*.safetensors, inputs.csv, expected*.csv to {args.out}")


if __name__ == "__main__":
    main()
