#!/usr/bin/env python3
"""Write the seed corpus of SafetensorsReaderFuzzTest: small valid model files and broken variants of them.

Jazzer runs every file in the corpus directory in each normal build (regression mode) and starts from them
when fuzzing (JAZZER_FUZZ=1). Crash files that Jazzer finds land in the same directory and are kept there.

Run from the repository root:  python3 scripts/make_fuzz_seeds.py
"""
import json
import os
import struct

import numpy as np

OUT = "ugmm-model/src/test/resources/io/ugmm/model/io/SafetensorsReaderFuzzTestInputs/fuzzReader"
CODES = {"float32": "F32", "float16": "F16", "float64": "F64"}


def header_bytes(header):
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    return text + b" " * ((8 - len(text) % 8) % 8)


def safetensors(tensors, metadata=None, dtype_names=None):
    """tensors: name -> numpy array (or (dtype_name, raw bytes, shape) for types numpy lacks)."""
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    offset, chunks = 0, []
    for name in sorted(tensors):
        value = tensors[name]
        if isinstance(value, tuple):
            dtype, data, shape = value
        else:
            dtype, data, shape = CODES[str(value.dtype)], value.astype(value.dtype.newbyteorder("<")).tobytes(), list(value.shape)
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        chunks.append(data)
    text = header_bytes(header)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def layer(rng, nodes, inputs, dtype=np.float32):
    return {"mu": rng.standard_normal((nodes, inputs)).astype(dtype),
            "std": np.log(1 - rng.random((nodes, inputs))).astype(dtype),
            "k": rng.random((nodes, inputs)).astype(dtype)}


def named(layers, first=1, aliases=False):
    out = {}
    for i, params in enumerate(layers, start=first):
        for p, v in params.items():
            out[f"layers.{i}.{p}"] = v
        if aliases:
            for depth in range(1, i - first + 1):
                for p, v in layers[i - first - depth].items():
                    out[f"layers.{i}." + "prev_layer." * depth + p] = v.copy()
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(4)
    net = [layer(rng, 3, 2), layer(rng, 2, 3)]
    ugmm_meta = {"format": "ugmm", "format_version": "1", "architecture": "2-3-2", "dataset": "seed", "epochs": "1"}
    valid = safetensors(named(net), ugmm_meta)
    seeds = {
        "valid-ugmm-2-3-2": valid,
        "valid-reference-state-dict": safetensors(named(net, aliases=True)),
        "valid-zero-based": safetensors(named(net, first=0), {"format": "pt"}),
        "valid-f16": safetensors(named([{p: v.astype(np.float16) for p, v in l.items()} for l in net])),
        "valid-f64-and-bf16": safetensors({
            "layers.1.mu": net[0]["mu"].astype(np.float64),
            "layers.1.std": ("BF16", (net[0]["std"].view(np.uint32) >> 16).astype("<u2").tobytes(), [3, 2]),
            "layers.1.k": net[0]["k"]}),
        "valid-empty": struct.pack("<Q", 8) + b"{}      ",
        "valid-other-dtypes": safetensors({"b": ("BOOL", b"\x01", [1]), "i": ("I64", b"\x00" * 16, [2]),
                                           "z": ("F32", b"", [0, 4])}),
        "truncated-header": valid[:40],
        "truncated-data": valid[:-5],
        "short-file": b"\x10\x00\x00",
        "header-length-huge": struct.pack("<Q", 1 << 63) + b"{}",
        "trailing-bytes": valid + b"\x00\x00\x00\x00",
        "duplicate-key": struct.pack("<Q", 32) + b'{"a":{},"a":{}}                 ',
        "not-utf8": valid[:20] + b"\xc0\x80" + valid[22:],
        "metadata-not-string": struct.pack("<Q", 24) + b'{"__metadata__":{"a":1}}',
        "nan-parameter": safetensors(named([dict(net[0], mu=np.full((3, 2), np.nan, np.float32))])),
        "missing-layer": safetensors(dict(named([net[0]], first=1), **named([net[1]], first=3))),
        "deep-nesting": struct.pack("<Q", 136) + b'{"__metadata__":' + b"[" * 120,
    }
    text = valid[8:8 + struct.unpack("<Q", valid[:8])[0]]
    rest = valid[8 + len(text):]
    seeds["overlapping-offsets"] = valid[:8] + text.replace(b'"data_offsets":[24,48]', b'"data_offsets":[20,44]') + rest
    seeds["gap-between-tensors"] = valid[:8] + text.replace(b'"data_offsets":[24,48]', b'"data_offsets":[28,52]') + rest
    for name, data in seeds.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    print(f"wrote {len(seeds)} seeds to {OUT}")


if __name__ == "__main__":
    main()
