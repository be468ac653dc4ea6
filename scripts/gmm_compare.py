#!/usr/bin/python3
"""ugmm's Gaussian mixtures against scikit-learn's GaussianMixture, side by side on this machine.

Run through scripts/gmm-compare.sh (which installs Debian's python3-sklearn if missing and builds ugmm).
Parts (all by default, or name some: quality steps speed full):
  quality  Iris, 4 raw features, K=3: ugmm's best of 10 inits vs sklearn's best over 10 seeds (full, diag)
  steps    from identical initial parameters, parameters after each of 5 EM iterations (full, diag, spherical, tied)
  speed    Fashion-MNIST train (60000 x 784, standardised), K=10, diag, 20 iterations: iterations/s, both
  full     the same data projected on its first 50 principal axes, K=10, full covariances, 20 iterations
Every ugmm number comes from ./ugmm gmm fit --json; timings include initialisation for both.
"""
import gzip
import json
import os
import platform
import struct
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import sklearn
from sklearn.datasets import load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

warnings.filterwarnings("ignore", category=ConvergenceWarning)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UGMM = os.path.join(ROOT, "ugmm")


def ugmm(*args):
    out = subprocess.run([UGMM, "gmm", "fit", "--json", *args], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("ugmm failed: " + out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def write_gmm(path, cov_type, weights, means, covs):
    """A gmm safetensors file (format=gmm, F64 tensors), as ugmm's GmmFiles writes it."""
    tensors = {"covariances": np.asarray(covs, np.float64), "means": np.asarray(means, np.float64),
               "weights": np.asarray(weights, np.float64)}
    header = {"__metadata__": {"format": "gmm", "format_version": "1", "covariance_type": cov_type}}
    offset = 0
    blobs = []
    for name in sorted(tensors):
        b = tensors[name].astype("<f8").tobytes()
        header[name] = {"dtype": "F64", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def read_gmm(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        a, b = e["data_offsets"]
        out[name] = np.frombuffer(data[8 + n + a:8 + n + b], "<f8").reshape(e["shape"])
    return out


def iris():
    # ugmm's built-in iris.csv is sklearn's; both read the float32 values ugmm works on
    return load_iris().data.astype(np.float32).astype(np.float64)


def quality():
    x = iris()
    print("## Quality: Iris, 4 raw features, K = 3, best of 10 initialisations (mean log-likelihood per row)")
    print("| covariance | ugmm (10 k-means++ inits, --n-init 10) | sklearn best of seeds 0-9, init kmeans | sklearn best of seeds 0-9, init k-means++ |")
    print("| --- | --- | --- | --- |")
    for cov in ("full", "diag"):
        ours = ugmm("--dataset", "iris", "--components", "3", "--covariance", cov, "--n-init", "10")
        best = {}
        for init in ("kmeans", "k-means++"):
            best[init] = max(GaussianMixture(3, covariance_type=cov, init_params=init, random_state=s).fit(x).score(x)
                             for s in range(10))
        print(f"| {cov} | {ours['mean_log_likelihood']:.6f} | {best['kmeans']:.6f} | {best['k-means++']:.6f} |")
    print()


def steps():
    x = iris()
    print("## Same steps: Iris, K = 3, both started from identical parameters (sklearn's own k-means start)")
    print("| covariance | iteration | max relative difference in weights, means, covariances | lower bound ugmm | lower bound sklearn |")
    print("| --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        for cov in ("full", "diag", "spherical", "tied"):
            start = GaussianMixture(3, covariance_type=cov, random_state=0, max_iter=1).fit(x)
            init = os.path.join(tmp, "init.safetensors")
            write_gmm(init, cov, start.weights_, start.means_, start.covariances_)
            for it in range(1, 6):
                ref = GaussianMixture(3, covariance_type=cov, weights_init=start.weights_, means_init=start.means_,
                                      precisions_init=start.precisions_, max_iter=it, tol=0).fit(x)
                out = os.path.join(tmp, "out.safetensors")
                ours = ugmm("--dataset", "iris", "--components", "3", "--init-model", init, "--max-iter", str(it),
                            "--tol", "0", "--out", out)
                got = read_gmm(out)
                diff = 0.0
                for mine, theirs in ((got["weights"], ref.weights_), (got["means"], ref.means_),
                                     (got["covariances"], ref.covariances_)):
                    diff = max(diff, float(np.max(np.abs(mine - theirs) / np.maximum(1e-3, np.abs(theirs)))))
                print(f"| {cov} | {it} | {diff:.1e} | {read_bound(out):.9f} | {ref.lower_bound_:.9f} |")
    print()


def read_bound(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    return float(json.loads(data[8:8 + n])["__metadata__"]["lower_bound"])


def fashion_train():
    d = "/usr/share/datasets/fashion-mnist"
    for name in ("train-images-idx3-ubyte.gz", "train-images-idx3-ubyte"):
        p = os.path.join(d, name)
        if os.path.exists(p):
            raw = gzip.open(p).read() if p.endswith(".gz") else open(p, "rb").read()
            n = struct.unpack(">I", raw[4:8])[0]
            x = np.frombuffer(raw, np.uint8, offset=16).reshape(n, 784)
            return (x.astype(np.float32) / np.float32(255))
    sys.exit("Fashion-MNIST not found in " + d + " (see ./ugmm datasets)")


def standardise(x):
    # as ugmm's Standardizer: population std in double, constant features only centred, float32 result
    x64 = x.astype(np.float64)
    mean = x64.mean(0)
    std = x64.std(0)
    std[std == 0] = 1
    return ((x64 - mean) / std).astype(np.float32)


def timed_sklearn(x, k, cov, iters):
    t = time.perf_counter()
    g = GaussianMixture(k, covariance_type=cov, init_params="k-means++", max_iter=iters, tol=0, random_state=0).fit(x)
    s = time.perf_counter() - t
    return g.n_iter_ / s, g.score(x), s


def speed(rounds=2):
    print("## Speed: Fashion-MNIST train, 60000 x 784 standardised, K = 10, diag, 20 iterations (tol 0)")
    x = standardise(fashion_train()).astype(np.float64)
    side_by_side(["--dataset", "fashion-mnist", "--standardize", "yes", "--covariance", "diag"], x, "diag", rounds)


def side_by_side(ugmm_args, x, cov, rounds):
    print("| round | ugmm it/s | sklearn it/s | ratio | ugmm mean log-lik | sklearn mean log-lik |")
    print("| --- | --- | --- | --- | --- | --- |")
    ratios = []
    for r in range(rounds):
        ours = ugmm(*ugmm_args, "--components", "10", "--max-iter", "20", "--tol", "0")
        its, score, _ = timed_sklearn(x, 10, cov, 20)
        ratios.append(ours["iterations_per_s"] / its)
        print(f"| {r + 1} | {ours['iterations_per_s']:.2f} | {its:.2f} | {ratios[-1]:.1f}x | "
              f"{ours['mean_log_likelihood']:.3f} | {score:.3f} |")
    print(f"\nmedian ratio {np.median(ratios):.1f}x\n")


def full(rounds=2):
    print("## Speed: the same data on its first 50 principal axes (60000 x 50), K = 10, full, 20 iterations")
    x = standardise(fashion_train()).astype(np.float64)
    centred = x - x.mean(0)
    _, _, vt = np.linalg.svd(centred[::10], full_matrices=False)
    p = (centred @ vt[:50].T).astype(np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        csv = os.path.join(tmp, "projection.csv")
        labelled = np.hstack([p, np.zeros((p.shape[0], 1), np.float32)])
        np.savetxt(csv, labelled, fmt="%.9g", delimiter=",")
        side_by_side(["--dataset", "csv:" + csv + "?header=no", "--covariance", "full"], p.astype(np.float64),
                     "full", rounds)


def main():
    parts = sys.argv[1:] or ["quality", "steps", "speed", "full"]
    jdk = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
    java = subprocess.run([jdk, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    print(f"# ugmm gmm vs scikit-learn {sklearn.__version__} (numpy {np.__version__}, Python "
          f"{platform.python_version()}), {java}, {os.cpu_count()} cores; JAVA_OPTS={os.environ.get('JAVA_OPTS', '')}\n")
    for part in parts:
        {"quality": quality, "steps": steps, "speed": speed, "full": full}[part]()


if __name__ == "__main__":
    main()
