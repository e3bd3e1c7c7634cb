"""CPU time of one training step of docs/validation.md's CPU cases, on one thread, measured on real torch.

The pilots of those cases timed the wall clock of a loaded, shared machine (load average 9-11 on
2 vCPUs), which no static estimate can know. This measures what the CPU estimate models: the
thread's CPU time of a step (zero_grad, forward, loss, backward, AdamW) with the batch already in
memory, so other processes' share of the CPUs does not count. Prints JSON: per case the median,
fastest and slowest round (ms per step) and the load average.

    /usr/bin/python3 scripts/truth/cpu_step_times.py [--rounds 5]
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch
from torch import nn

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'examples', 'training'))
sys.path.insert(0, os.path.join(ROOT, 'examples', 'models'))
import cnn  # noqa: E402
import tiny_gpt  # noqa: E402


def cases():
    torch.manual_seed(0)
    mlp = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1))
    x, y = torch.randn(64, 64), torch.randn(64, 1)
    yield 'MLP regression (64 rows)', mlp, x, lambda out: nn.functional.mse_loss(out, y), 400
    gpt = tiny_gpt.TinyGPT(20, 32)
    idx, tgt = torch.randint(20, (32, 32)), torch.randint(20, (32, 32))
    yield 'tiny GPT d=64 (batch 32 x 32)', gpt, idx, lambda out: nn.functional.cross_entropy(out.reshape(-1, 20), tgt.reshape(-1)), 10
    net = cnn.CifarCNN()
    img, lab = torch.randn(64, 3, 32, 32), torch.randint(10, (64,))
    yield 'CifarCNN (batch 64)', net, img, lambda out: nn.functional.cross_entropy(out, lab), 10


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--rounds', type=int, default=5)
    args = ap.parse_args()
    torch.set_num_threads(1)
    out = []
    for name, model, x, loss_of, steps in cases():
        opt = torch.optim.AdamW(model.parameters(), lr=1e-3)

        def step():
            opt.zero_grad(set_to_none=True)
            loss_of(model(x)).backward()
            opt.step()

        for _ in range(3):
            step()
        rounds = []
        for _ in range(args.rounds):
            t0 = time.thread_time()
            for _ in range(steps):
                step()
            rounds.append((time.thread_time() - t0) / steps * 1e3)
        out.append({'case': name, 'msPerStep': {'fastest': round(min(rounds), 3), 'median': round(statistics.median(rounds), 3),
                                                'slowest': round(max(rounds), 3)}})
    print(json.dumps({'torch': torch.__version__, 'threads': 1, 'date': time.strftime('%Y-%m-%d %H:%M'),
                      'loadAverage': round(os.getloadavg()[0], 1), 'cases': out}, indent=1))
    return 0


if __name__ == '__main__':
    sys.exit(main())
