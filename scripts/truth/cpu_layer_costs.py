"""CPU time per element of the layers a roofline calls memory-bound, measured on real torch (CPU).

On a CPU, torch's batch norm, pooling, dropout, activations, layer norm and softmax do not run at
the memory bandwidth the step estimate's roofline gives them: their kernels are bound by their own
arithmetic and bookkeeping (max pooling's index search, dropout's random numbers, batch norm's
reductions in backward), and a fresh output that the allocator takes from the operating system
pays its first-touch page faults. Writes src/core/gpu/cpuLayerCosts.json: for each class of such
layers, the CPU time of one forward + backward per OUTPUT element on one thread, measured on a
CALIBRATION set of shapes, none of them a shape of docs/validation.md's models (CifarCNN's
64x32x32x32, 64x64x16x16, 64x128x8x8; the tiny GPT's 32x32x64 and 32x32x256; the MLP's 64x128).
The step estimate takes, on a CPU, the longer of a layer's roofline and this cost (stepEstimate.ts).

It also writes the step's first-touch page faults: the CPU time of one minor page fault (a fresh
64 MB tensor filled, less the same fill into a tensor already touched, per page), and the pages
faulted per training step as a fraction of the forward activations' bytes, on calibration models
(two small convnets, an MLP, a two-block transformer encoder; none of the validated models): the
allocator gives large activations back to the operating system when backward frees them, and the
next step touches them afresh. Both depend on the machine (a virtual machine's fault costs more)
and on the allocator's state: the estimate counts none at its low end.

    /usr/bin/python3 scripts/truth/cpu_layer_costs.py            # writes the table
    /usr/bin/python3 scripts/truth/cpu_layer_costs.py --print    # prints, writes nothing

How: a layer's forward and backward (the gradient of its input and of its parameters) as in a
training step: a fresh output each step, the input's gradient set to None between steps; the
thread's CPU time (other processes on a shared machine do not count), 5 repeats per shape in each
of 3 interleaved rounds. Per class: low = the fastest repeat over the shapes, mid = the median of
the shapes' medians, high = the slowest shape's slowest round median.
"""
import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(__file__))
from table_out import ROOT, emit_table  # noqa: E402

TABLE = os.path.join(ROOT, 'src', 'core', 'gpu', 'cpuLayerCosts.json')
PAGE = 4096


class Encoder(nn.Module):
    """A pre-norm transformer block (calibration only)."""

    def __init__(self, d: int = 96, heads: int = 4):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


def fault_models():
    def convnet(c1, c2, side, k):
        return nn.Sequential(nn.Conv2d(3, c1, k, padding=k // 2), nn.BatchNorm2d(c1), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Conv2d(c1, c2, 3, padding=1), nn.BatchNorm2d(c2), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(c2 * (side // 4) ** 2, 10))
    return {
        'convnet 3-24-48 on 48x3x24x24': (convnet(24, 48, 24, 3), (48, 3, 24, 24)),
        'convnet 3-16-40 on 96x3x28x28': (convnet(16, 40, 28, 5), (96, 3, 28, 28)),
        'convnet 3-12-24 on 32x3x36x36': (convnet(12, 24, 36, 3), (32, 3, 36, 36)),
        'MLP 256-1024-1024-10 on 512 rows': (nn.Sequential(nn.Linear(256, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(),
                                                           nn.Linear(1024, 10)), (512, 256)),
        'encoder 2 x d=96 on 16x48x96': (nn.Sequential(Encoder(), Encoder()), (16, 48, 96)),
    }


def fault_us() -> list:
    """CPU µs of one first-touch page fault: a fresh 64 MB tensor filled, less a fill of a touched one, per faulted page."""
    n = 16 << 20
    touched = torch.empty(n)
    touched.fill_(0.0)
    out = []
    for _ in range(7):
        r0, t0 = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt, time.thread_time()
        fresh = torch.empty(n)
        fresh.fill_(1.0)
        del fresh
        t1, r1 = time.thread_time(), resource.getrusage(resource.RUSAGE_THREAD).ru_minflt
        touched.fill_(1.0)
        t2 = time.thread_time()
        if r1 > r0:
            out.append(((t1 - t0) - (t2 - t1)) / (r1 - r0) * 1e6)
    return out


def fault_fraction(model: nn.Module, shape) -> tuple:
    """Pages faulted per training step (AdamW) ÷ the forward activations' pages (every leaf module's output)."""
    torch.manual_seed(0)
    acts = [0]
    leaves = [m for m in model.modules() if not list(m.children())]
    hooks = [m.register_forward_hook(lambda _m, _i, o: acts.__setitem__(0, acts[0] + (o[0] if isinstance(o, tuple) else o).numel() * 4))
             for m in leaves]
    x = torch.randn(*shape)
    with torch.no_grad():
        g = torch.randn_like(model(x))
    for h in hooks:
        h.remove()
    opt = torch.optim.AdamW(model.parameters())

    def step():
        opt.zero_grad(set_to_none=True)
        model(x).backward(g)
        opt.step()

    for _ in range(3):
        step()
    r0 = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt
    for _ in range(10):
        step()
    faults = (resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - r0) / 10
    return faults * PAGE / acts[0], acts[0]


IMAGES = [(8, 16, 20, 20), (16, 24, 40, 40), (32, 48, 28, 28)]
TOKENS = [(8, 50, 128), (16, 96, 200), (24, 160, 320)]
# class: (the layer types of the engine's per-layer table it covers, as a regular expression; a maker; shapes)
CLASSES = {
    'batchnorm': (r'^(BatchNorm[123]d|SyncBatchNorm|F\.batch_norm|InstanceNorm[123]d|GroupNorm|F\.group_norm)$',
                  lambda s: nn.BatchNorm2d(s[1]), IMAGES),
    'maxpool': (r'^(MaxPool[123]d|F\.max_pool[123]d|AdaptiveMaxPool[123]d)$', lambda s: nn.MaxPool2d(2), IMAGES),
    'avgpool': (r'^(AvgPool[123]d|F\.avg_pool[123]d)$', lambda s: nn.AvgPool2d(2), IMAGES),
    'dropout': (r'^(Dropout[123]?d?|F\.dropout[123]?d?|AlphaDropout)$', lambda s: nn.Dropout(0.25), IMAGES),
    'relu': (r'^(ReLU6?|F\.relu6?|torch\.relu|LeakyReLU|F\.leaky_relu|Hardtanh|F\.hardtanh)$', lambda s: nn.ReLU(), IMAGES),
    'gelu': (r'^(GELU|F\.gelu|SiLU|F\.silu|Mish|F\.mish|Tanh|torch\.tanh|Sigmoid|torch\.sigmoid|F\.sigmoid|ELU|F\.elu)$',
             lambda s: nn.GELU(), TOKENS),
    'layernorm': (r'^(LayerNorm|F\.layer_norm|RMSNorm)$', lambda s: nn.LayerNorm(s[-1]), TOKENS),
    'softmax': (r'^(Softmax|F\.softmax|torch\.softmax|LogSoftmax|F\.log_softmax)$', lambda s: nn.Softmax(-1), TOKENS),
}


def step_of(layer: nn.Module, shape):
    torch.manual_seed(0)
    x = torch.randn(*shape, requires_grad=True)
    with torch.no_grad():
        g = torch.randn_like(layer(x))
    elements = g.numel()

    def step():
        x.grad = None
        layer.zero_grad(set_to_none=True)
        layer(x).backward(g)

    return step, elements


def repeats(step, elements: int, n: int = 5):
    """ns per output element of each of n repeats, and the minor page faults per step."""
    inner = max(2, int(3e6 / elements))
    step()
    out, faults = [], 0
    for _ in range(n):
        r0 = resource.getrusage(resource.RUSAGE_THREAD)
        t0 = time.thread_time()
        for _ in range(inner):
            step()
        t1 = time.thread_time()
        faults += resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - r0.ru_minflt
        out.append((t1 - t0) / inner / elements * 1e9)
    return out, faults / (n * inner)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--print', action='store_true', help='print the results, write nothing')
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--fault-case', help=argparse.SUPPRESS)
    args = ap.parse_args()
    torch.set_num_threads(1)
    if args.fault_case:
        model, shape = fault_models()[args.fault_case]
        print(json.dumps(fault_fraction(model, shape)))
        return 0
    samples = {k: {s: [] for s in shapes} for k, (_, _, shapes) in CLASSES.items()}
    faults = {k: {s: 0.0 for s in shapes} for k, (_, _, shapes) in CLASSES.items()}
    for _ in range(args.rounds):
        for k, (_, make, shapes) in CLASSES.items():
            for s in shapes:
                step, elements = step_of(make(s), s)
                ns, f = repeats(step, elements)
                samples[k][s].append(ns)
                faults[k][s] += f / args.rounds
    classes = {}
    for k, (match, make, shapes) in CLASSES.items():
        per = samples[k]
        classes[k] = {
            'match': match,
            'nsPerElement': {
                'low': round(min(x for s in shapes for r in per[s] for x in r), 3),
                'mid': round(statistics.median(statistics.median([x for r in per[s] for x in r]) for s in shapes), 3),
                'high': round(max(statistics.median(r) for s in shapes for r in per[s]), 3),
            },
            'calibration': [{'case': f'{type(make(s)).__name__} on {"x".join(map(str, s))}, forward + backward',
                             'nsPerElementMedian': round(statistics.median([x for r in per[s] for x in r]), 3),
                             'pageFaultsPerStep': round(faults[k][s], 1)} for s in shapes],
        }
    # each calibration model in a fresh process, as a training script starts: the allocator's
    # thresholds move with what a process allocated before (this script's own layers)
    fractions = {k: tuple(json.loads(subprocess.run([sys.executable, __file__, '--fault-case', k], check=True,
                                                    capture_output=True, text=True).stdout)) for k in fault_models()}
    per_fault = fault_us()
    fr = sorted(f for f, _ in fractions.values())
    cpu = re.search(r'^model name\s*:\s*(.*)$', open('/proc/cpuinfo').read(), re.M)
    table = {
        'description': 'CPU time of one forward + backward per output element, on one thread, of the layers a roofline calls '
                       'memory-bound: on a CPU their kernels run far below the bandwidth (index search, random numbers, '
                       'reductions, first-touch page faults of fresh outputs). On a CPU the step estimate takes the longer of '
                       'a layer\'s roofline and elements x this cost (src/core/gpu/stepEstimate.ts). match: the layer types '
                       'of the per-layer table a class covers. Generated, do not edit: regenerate with '
                       'scripts/truth/cpu_layer_costs.py. low / mid / high: the fastest repeat, the median shape, the slowest '
                       'shape\'s slowest round.',
        'madeWith': f'scripts/truth/cpu_layer_costs.py on torch {torch.__version__}, {cpu.group(1) if cpu else "unknown CPU"}, '
                    f'one thread, {time.strftime("%Y-%m-%d")}; thread CPU time, {args.rounds} interleaved rounds of 5 repeats, '
                    f'load average {os.getloadavg()[0]:.1f} at the end',
        'classes': classes,
        'pageFaults': {
            'usPerFault': {'low': round(min(per_fault), 2), 'mid': round(statistics.median(per_fault), 2),
                           'high': round(max(per_fault), 2)},
            'ofActivationBytes': {'low': round(fr[0], 4), 'mid': round(statistics.median(fr), 4), 'high': round(fr[-1], 4)},
            'calibration': [{'case': k, 'activationMB': round(a / 1e6, 2), 'faultedOfActivationBytes': round(f, 4)}
                            for k, (f, a) in fractions.items()],
        },
    }
    return emit_table(table, TABLE, args.print, [
        *(f"{k}: {json.dumps(v['nsPerElement'])} ns per element" for k, v in classes.items()),
        f"page fault: {json.dumps(table['pageFaults']['usPerFault'])} µs; faulted of activation bytes: "
        f"{json.dumps(table['pageFaults']['ofActivationBytes'])}"])


if __name__ == '__main__':
    sys.exit(main())
