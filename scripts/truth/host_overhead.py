"""Host time of an eager PyTorch training step, measured on real torch (CPU, one thread).

Writes the host-time table of the static step estimate (src/core/gpu/hostCosts.json):
- the host microseconds per counted op of forward, loss and backward (each kernel launch
  kernel_counts.py counts), with everything between them folded in: Python module calls, the
  dispatcher, autograd's bookkeeping, views, the backward engine;
- on a CPU, the microseconds per convolution launch (oneDNN's or the reference kernels' fixed cost);
- the terms outside the model (host_terms.py): the optimizer step per step and per parameter
  tensor for each optimizer, for-loop and foreach; zero_grad(set_to_none=True); a DataLoader in the
  main process per batch and per sample.

    /usr/bin/python3 scripts/truth/host_overhead.py            # writes the table
    /usr/bin/python3 scripts/truth/host_overhead.py --print    # prints, writes nothing
    /usr/bin/python3 scripts/truth/host_overhead.py --quick    # a smoke test: 1 short round, prints
    python3 scripts/truth/host_overhead.py --device cuda --out OUT/host-cuda.json   # a GPU machine's host

How: whole training steps (zero_grad(set_to_none=True), forward, loss, backward, the optimizer's
for-loop step, torch's default on a CPU) of a CALIBRATION set of tiny models, on tensors of a few
elements, so that their arithmetic is negligible and a step's time is the host's, timed three ways
(forward and loss; with backward; the whole step). None of them is a model of docs/validation.md's
rows: those stay hold-out. Each is timed as the mean over `inner` steps, repeated `outer` times,
in several rounds over the models, each round followed by a round of the other terms; the host µs
per op of a model is its forward-and-backward time divided by the ops OpCounter counts in them. The
band: low = the lowest per-op cost of a model at its fastest repeat, mid = the median over the
models of their median repeat, high = the highest median repeat (the machine is shared: other
processes slow some repeats down). The optimizer's term is checked against the optimizer inside
each model's own step (`optimizerCheck`).
"""
import argparse
import json
import os
import statistics
import sys
import time
from typing import Any, Callable, Dict, List

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(__file__))
from kernel_counts import OPTIMIZERS, OpCounter, mark_step_counters  # noqa: E402
import host_terms  # noqa: E402
from host_terms import aggregate_terms, terms_round  # noqa: E402
from table_out import ROOT, emit_table  # noqa: E402

CONV = ('convolution', 'convolution_backward')
TABLE = os.path.join(ROOT, 'src', 'core', 'gpu', 'hostCosts.json')
OUTER, INNER = 21, 30
# where the models run: --device cuda calibrates a GPU machine's host (written with --out, not to the table)
DEVICE = 'cpu'


def timed(run: Callable[[], Any], inner: int = INNER, outer: int = OUTER) -> List[float]:
    """The mean CPU µs of one run() in each of `outer` repeats: the thread's CPU time, not the wall
    clock, so that other processes on a shared machine do not count (they still slow caches)."""
    for _ in range(20):
        run()
    means = []
    for _ in range(outer):
        sync()
        t0 = time.thread_time()
        for _ in range(inner):
            run()
        sync()
        means.append((time.thread_time() - t0) / inner * 1e6)
    return means


class Block(nn.Module):
    """A pre-norm attention block with an MLP, as a transformer layer is written."""

    def __init__(self, d: int, heads: int):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))

    def forward(self, x):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class Encoder(nn.Module):
    def __init__(self, vocab: int, d: int, layers: int):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.blocks = nn.ModuleList(Block(d, 2) for _ in range(layers))
        self.out = nn.Linear(d, vocab)

    def forward(self, idx):
        x = self.emb(idx)
        for b in self.blocks:
            x = b(x)
        return self.out(x)


class ResidualConv(nn.Module):
    def __init__(self, c: int):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)
        self.conv2, self.bn2 = nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c)

    def forward(self, x):
        return torch.relu(x + self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x))))))


def sync() -> None:
    if DEVICE == 'cuda':
        torch.cuda.synchronize()


def ce(classes: int):
    return lambda o: nn.functional.cross_entropy(o.reshape(-1, classes),
                                                 torch.zeros(o.numel() // classes, dtype=torch.long, device=o.device))


def calibration_models() -> List[Dict[str, Any]]:
    """Tiny models of the op classes the kernel table measures; none is a validation row's model."""
    return [
        dict(name='deep MLP: 9 nn.Linear(8, 8) with GELU, SGD momentum, MSE',
             build=lambda: nn.Sequential(*[m for _ in range(8) for m in (nn.Linear(8, 8), nn.GELU())], nn.Linear(8, 1)),
             opt='sgd-momentum', x=lambda: torch.randn(4, 8), loss=lambda o: nn.functional.mse_loss(o, torch.zeros_like(o))),
        dict(name='MLP with LayerNorm: 4 x (Linear(8, 8), LayerNorm, Tanh), AdamW, cross-entropy',
             build=lambda: nn.Sequential(*[m for _ in range(4) for m in (nn.Linear(8, 8), nn.LayerNorm(8), nn.Tanh())]),
             opt='adamw', x=lambda: torch.randn(4, 8), loss=ce(8)),
        dict(name='ConvNet: 2 x (Conv2d, BatchNorm2d, ReLU), pools, Linear on 2x3x8x8, Adam, cross-entropy',
             build=lambda: nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                                         nn.Conv2d(4, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                                         nn.Flatten(), nn.Linear(8, 2)),
             opt='adam', x=lambda: torch.randn(2, 3, 8, 8), loss=ce(2)),
        dict(name='residual ConvNet: stem + 3 residual blocks of 4 channels on 2x3x8x8, SGD, cross-entropy',
             build=lambda: nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), *[ResidualConv(4) for _ in range(3)],
                                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2)),
             opt='sgd', x=lambda: torch.randn(2, 3, 8, 8), loss=ce(2)),
        dict(name='attention encoder: Embedding, 3 pre-norm blocks d=8 (MultiheadAttention, MLP), on 2x4 tokens, AdamW, cross-entropy',
             build=lambda: Encoder(8, 8, 3), opt='adamw', x=lambda: torch.randint(0, 8, (2, 4)), loss=ce(8)),
    ]


def count_step(model: nn.Module, opt: torch.optim.Optimizer, x, loss_of) -> Dict[str, int]:
    """Ops of one step, by phase: kernels (as kernel_counts.py counts them) and host ops."""
    c = OpCounter()
    mark_step_counters(c, opt)
    with c:
        c.phase = 'zero_grad'
        opt.zero_grad(set_to_none=True)
        c.phase = 'forward'
        out = model(x)
        c.phase = 'loss'
        loss = loss_of(out)
        c.phase = 'backward'
        loss.backward()
        c.phase = 'optimizer'
        opt.step()
        c.phase = 'setup'
    phases = ('zero_grad', 'forward', 'loss', 'backward', 'optimizer')
    counts = {p: c.total(p) for p in phases}
    counts['hostOps'] = sum(c.hosts(p) for p in phases)
    # convolution launches (bias add and one per gradient included, as kernelCounts.json counts them)
    counts['convLaunches'] = sum(c.kernels.get(p, {}).get(n, 0) for p in phases for n in CONV)
    return counts


PHASES = ('forward', 'forwardBackward', 'step')


def calibration_steps(rounds: int, between: Callable[[], None]) -> List[Dict[str, Any]]:
    """Each model's step in `rounds` rounds (models interleaved, so a busy minute of the shared machine
    falls on several models, not one), timed three ways: forward and loss (with zero_grad before them),
    then with backward, then the whole step with the optimizer; the fastest, median and slowest repeat
    of each over all rounds. `between` runs after each round (the other terms' rounds)."""
    per_model: Dict[str, Dict[str, List[float]]] = {}
    first: Dict[str, Dict[str, Any]] = {}
    for _ in range(rounds):
        for rec in calibration_round():
            for phase, means in rec.pop('means').items():
                per_model.setdefault(rec['case'], {}).setdefault(phase, []).extend(means)
            first.setdefault(rec['case'], rec)
        between()
    out = []
    for name, rec in first.items():
        means = per_model[name]
        for phase in PHASES:
            xs = means[phase]
            rec[f'{phase}Us'] = {'fastest': round(min(xs), 1), 'median': round(statistics.median(xs), 1),
                                 'slowest': round(max(xs), 1)}
        ops, c = rec['modelOps'], rec['ops']
        fb = rec['forwardBackwardUs']
        rec['usPerOp'] = {'fastest': round(fb['fastest'] / ops, 2), 'median': round(fb['median'] / ops, 2)}
        fwd = rec['forwardUs']['median']
        rec['usPerForwardOp'] = round(fwd / (c['forward'] + c['loss']), 2)
        rec['usPerBackwardOp'] = round((fb['median'] - fwd) / c['backward'], 2)
        # the optimizer in place: the whole step less forward and backward (compared with its own term in main)
        rec['optimizerInStepUs'] = round(rec['stepUs']['median'] - fb['median'], 1)
        out.append(rec)
    return out


def calibration_round() -> List[Dict[str, Any]]:
    out = []
    for case in calibration_models():
        torch.manual_seed(0)
        m = case['build']().to(DEVICE)
        m.train()
        # torch's default implementation: for-loop on a CPU, foreach on CUDA (torch >= 2.0)
        opt = OPTIMIZERS[case['opt']](list(m.parameters()), False if DEVICE == 'cpu' else None)
        x = case['x']().to(DEVICE)

        def forward():
            opt.zero_grad(set_to_none=True)
            return case['loss'](m(x))

        def forward_backward():
            forward().backward()

        def step():
            forward_backward()
            opt.step()

        for _ in range(3):
            step()
        counts = count_step(m, opt, x, case['loss'])
        ops = sum(v for k, v in counts.items() if k != 'convLaunches')
        out.append({'case': case['name'], 'optimizer': f"{case['opt']}, {IMPL[DEVICE]}", 'ops': counts, 'totalOps': ops,
                    'modelOps': counts['forward'] + counts['loss'] + counts['backward'],
                    'paramTensors': sum(1 for _ in m.parameters()),
                    'means': {'forward': timed(forward), 'forwardBackward': timed(forward_backward), 'step': timed(step)}})
    return out


def conv_costs(steps: List[Dict[str, Any]], per_op: Dict[str, float]) -> Dict[str, Any]:
    """µs per convolution launch on a CPU: a conv model's forward and backward less its other ops at the per-op cost."""
    fastest, median = [], []
    for s in steps:
        n = s['ops']['convLaunches']
        if not n:
            continue
        others = s['modelOps'] - n
        fastest.append((s['forwardBackwardUs']['fastest'] - others * per_op['low']) / n)
        median.append((s['forwardBackwardUs']['median'] - others * per_op['mid']) / n)
    both = fastest + median
    return {'low': round(min(both), 2), 'mid': round(statistics.median(median), 2), 'high': round(max(both), 2)}


def optimizer_check(steps: List[Dict[str, Any]], terms: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The optimizer's term (measured on tiny tensors) against the optimizer in each model's own step:
    the terms add up only if these agree."""
    out = []
    for s in steps:
        kind = s['optimizer'].split(',')[0]
        t = terms['optimizerUs'][f'{kind}.{IMPL_KEY[DEVICE]}']
        term = t['perStepUs']['mid'] + t['perTensorUs']['mid'] * s['paramTensors']
        out.append({'case': s['case'], 'inStepUs': s['optimizerInStepUs'], 'termUs': round(term, 1),
                    'termError': round(term / s['optimizerInStepUs'] - 1, 3) if s['optimizerInStepUs'] > 0 else None})
    return out


IMPL = {'cpu': 'for-loop', 'cuda': "torch's default (foreach on torch >= 2.0)"}
IMPL_KEY = {'cpu': 'forloop', 'cuda': 'foreach'}


def main() -> int:
    global OUTER, INNER, DEVICE
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--print', action='store_true', help='print the results, write nothing')
    ap.add_argument('--rounds', type=int, default=3, help='rounds over the calibration models (default 3)')
    ap.add_argument('--quick', action='store_true', help='1 round of few repeats: a smoke test, implies --print')
    ap.add_argument('--device', default='cpu', choices=['cpu', 'cuda'], help='where the models run (default cpu)')
    ap.add_argument('--out', help='write the table here instead of src/core/gpu/hostCosts.json (required with --device cuda)')
    args = ap.parse_args()
    if args.device == 'cuda' and not args.out and not args.print:
        ap.error('--device cuda writes a calibration of a GPU machine, not the table: give --out PATH (or --print)')
    if args.device == 'cuda' and not torch.cuda.is_available():
        ap.error('--device cuda: no CUDA device visible to this Python')
    DEVICE = host_terms.DEVICE = args.device
    if args.quick:
        args.rounds, args.print, OUTER, INNER = 1, True, 3, 5
    torch.set_num_threads(1)
    with open('/proc/cpuinfo') as f:
        cpu = next((line.split(':', 1)[1].strip() for line in f if line.startswith('model name')), 'unknown CPU')
    load0 = os.getloadavg()[0]
    term_rounds: List[Dict[str, Any]] = []
    steps = calibration_steps(args.rounds, lambda: term_rounds.append(terms_round(INNER, max(3, OUTER // 2))))
    terms = aggregate_terms(term_rounds)
    plain = [s for s in steps if not s['ops']['convLaunches']]
    fastest = [s['usPerOp']['fastest'] for s in plain]
    median = [s['usPerOp']['median'] for s in plain]
    per_op = {'low': min(fastest), 'mid': round(statistics.median(median), 2), 'high': max(median)}
    load = (load0 + os.getloadavg()[0]) / 2
    where = 'CPU' if DEVICE == 'cpu' else f'CUDA: {torch.cuda.get_device_name(0)}, host'
    table = {
        'description': 'Host time of an eager PyTorch training step (src/core/gpu/hostModel.ts), measured in CPU time on '
                       'tiny calibration models and terms whose arithmetic is negligible. usPerOp: per kernel launch of '
                       'forward, loss and backward (kernelCounts.json\'s counts), with the host work around it (Python '
                       'module calls, dispatcher, autograd bookkeeping, views, the backward engine). optimizerUs: per '
                       'optimizer step and per parameter tensor, by optimizer and implementation (its launches and step '
                       'counters included). zeroGradUs: zero_grad(set_to_none=True). dataLoaderUs: a DataLoader in the main '
                       'process, per batch and per sample. Generated, do not edit: regenerate with '
                       'scripts/truth/host_overhead.py.',
        'madeWith': f'scripts/truth/host_overhead.py on torch {torch.__version__} ({where}, 1 thread), {cpu} '
                    f'({os.cpu_count()} vCPUs), {time.strftime("%Y-%m-%d")}, load average {load:.1f} while measuring; '
                    f'{args.rounds} rounds of {OUTER} repeats of {INNER} steps per model',
        'usPerOp': per_op,
        'cpuConvLaunchUs': conv_costs(steps, per_op),
        **terms,
        'band': 'usPerOp from forward, loss and backward of the calibration models without convolutions: low, the lowest '
                'per-op cost of a model at its fastest repeat; mid, the median over the models of their median repeat; '
                'high, the highest median repeat. cpuConvLaunchUs: on a CPU a convolution launch costs more (oneDNN or '
                'the reference kernels\' fixed cost per call): each conv model\'s forward and backward less its other '
                'ops at usPerOp (at its fastest repeat with usPerOp low, at its median with usPerOp mid), per '
                'convolution launch; low and high the extremes, mid the median of the median repeats. optimizerUs, '
                'zeroGradUs, dataLoaderUs: a + b·N fitted by least squares over N = 4, 16, 64 tensors of 4 elements '
                '(batches of 8, 32, 128 samples), after an unrelated small forward and backward each time (as in a '
                'step), on the fastest repeats, on the medians and on the slowest round\'s medians, each coefficient\'s '
                'three fits sorted into low, mid, high; dataLoaderUs across its two datasets: the cheaper at low, the mean at mid, the '
                'dearer at high. perTensorUsBesideForeachOps: a foreach step\'s cost per tensor less its foreach ops\' '
                '(which a CPU runs per tensor and a GPU launches once per group of tensors)',
        'optimizerCheck': optimizer_check(steps, terms),
        'calibration': steps,
    }
    return emit_table(table, args.out or TABLE, args.print, [json.dumps({
        'usPerOp': table['usPerOp'], 'cpuConvLaunchUs': table['cpuConvLaunchUs'],
        'optimizerUs': table['optimizerUs'], 'zeroGradUs': table['zeroGradUs'],
        'dataLoaderUs': {k: v for k, v in table['dataLoaderUs'].items() if k != 'cases'},
        'optimizerCheck': table['optimizerCheck'],
        'models': [(s['case'], s['usPerOp'], s['usPerForwardOp'], s['usPerBackwardOp']) for s in steps]}, indent=1)])


if __name__ == '__main__':
    sys.exit(main())
