"""Small CPU-friendly training run: an MLP learns a linear "teacher" from synthetic data whose
features have a power-law spectrum (as real data tends to), with a DataLoader, epochs x steps
per epoch, and an optional per-step loss log. About 2,000 steps of a few ms each on one core.

    /usr/bin/python3 examples/training/mlp_regression.py --epochs 4 --loss-log losses.json
"""
import argparse
import json
import time

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def parse_args():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--samples", type=int, default=32768)
    p.add_argument("--features", type=int, default=64)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--width", type=int, default=128)
    p.add_argument("--lr", type=float, default=5e-4)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1, help="torch CPU threads (1 keeps timings steady)")
    p.add_argument("--loss-log", help="write every step's loss to this JSON file")
    p.add_argument("--timing-log", help="write the training loop's wall time, step count and per-step clock "
                                        "readings (perf_counter, process CPU time) to this JSON file")
    p.add_argument("--fail-at-step", type=int, help="raise an error after this step (fault-injection tests)")
    return p.parse_args()


def make_data(samples, features, seed):
    g = torch.Generator().manual_seed(seed)
    scale = torch.arange(1, features + 1).float() ** -0.5  # feature i has variance 1/i
    x = torch.randn(samples, features, generator=g) * scale
    teacher = torch.randn(features, 1, generator=g)
    y = x @ teacher + 0.1 * torch.randn(samples, 1, generator=g)
    return TensorDataset(x, y)


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    data = make_data(args.samples, args.features, args.seed)
    torch.manual_seed(args.seed)
    loader = DataLoader(data, batch_size=args.batch_size, shuffle=True, drop_last=True)
    model = nn.Sequential(nn.Linear(args.features, args.width), nn.ReLU(), nn.Linear(args.width, args.width),
                          nn.ReLU(), nn.Linear(args.width, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    losses = []
    clocks = [] if args.timing_log else None  # (wall, CPU) seconds at the end of each step
    step = 0
    t0 = time.perf_counter()
    try:
        for epoch in range(args.epochs):
            for x, y in loader:
                loss = nn.functional.mse_loss(model(x), y)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                step += 1
                losses.append(loss.item())
                if clocks is not None:
                    clocks.append((time.perf_counter(), time.process_time()))
                if args.fail_at_step is not None and step == args.fail_at_step:
                    raise RuntimeError(f"injected failure at step {step}")
    finally:
        # runs even when the pilot stops the script at its budget
        if args.loss_log:
            with open(args.loss_log, "w") as f:
                json.dump(losses, f)
        if args.timing_log:
            with open(args.timing_log, "w") as f:
                json.dump({"loopS": time.perf_counter() - t0, "steps": step,
                           "stepEnds": [c[0] for c in clocks], "stepCpu": [c[1] for c in clocks]}, f)


if __name__ == "__main__":
    main()
