#!/usr/bin/env bash
# The PyTorch side of the MDN comparison in the README ("Mixture density networks"): installs Debian's
# python3-torch if it is missing (needs root), then trains the issue's PyTorch MDN (1 -> 32 -> 32 tanh ->
# 5 Gaussians, Adam lr 1e-3, batch 128) on the same bishop-inverse rows ugmm generates, and prints one JSON
# line per run like 'ugmm mdn train --json'.
#
#   scripts/mdn-pytorch-baseline.sh [EPOCHS [THREADS [LR]]]      # default 2000 epochs, 1 thread, lr 1e-3
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
epochs="${1:-2000}"
threads="${2:-1}"
lr="${3:-0.001}"
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "python3-torch is missing; run as root to install it (apt-get install python3-torch)" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-torch >&2
fi
# the exact rows ugmm trains and tests on: written by the same generator
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
"$here/ugmm" help >/dev/null   # builds the jars on first use
java -cp "$here/ugmm-cli/target/lib/*" io.ugmm.datasets.BishopInverse "$data"
/usr/bin/python3 - "$data" "$epochs" "$threads" "$lr" <<'PY'
import json, math, sys, time
import numpy as np
import torch
data, epochs, threads, lr = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
torch.set_num_threads(threads)
torch.manual_seed(42)
def load(name):
    a = np.loadtxt(f"{data}/{name}.csv", delimiter=",", skiprows=1, dtype=np.float32)
    return torch.from_numpy(a[:, :1].copy()), torch.from_numpy(a[:, 1:].copy())
tx, ty = load("train")
vx, vy = load("test")
K = 5
class MDN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = torch.nn.Sequential(torch.nn.Linear(1, 32), torch.nn.Tanh(), torch.nn.Linear(32, 32), torch.nn.Tanh())
        self.head = torch.nn.Linear(32, 3 * K)
    def forward(self, x):
        h = self.head(self.trunk(x))
        return torch.log_softmax(h[:, :K], dim=1), h[:, K:2 * K], h[:, 2 * K:]
def nll(model, x, y):
    log_pi, mu, log_sigma = model(x)
    z = (y - mu) / torch.exp(log_sigma)
    comp = log_pi - log_sigma - 0.5 * math.log(2 * math.pi) - 0.5 * z * z
    return -torch.logsumexp(comp, dim=1).mean()
model = MDN()
opt = torch.optim.Adam(model.parameters(), lr=lr)
n = tx.shape[0]
start = time.time()
for epoch in range(epochs):
    perm = torch.randperm(n)
    for i in range(0, n, 128):
        idx = perm[i:i + 128]
        opt.zero_grad()
        loss = nll(model, tx[idx], ty[idx])
        loss.backward()
        opt.step()
seconds = time.time() - start
with torch.no_grad():
    test = nll(model, vx, vy).item()
print(json.dumps({"command": "pytorch mdn", "test_nll": round(test, 5), "epochs": epochs, "seconds": round(seconds, 3),
                  "samples_per_s": round(epochs * n / seconds), "threads": threads, "torch": torch.__version__}))
PY
