"""Host terms of a training step outside the model's forward and backward, measured on real torch.

Used by host_overhead.py (which writes them into src/core/gpu/hostCosts.json):
- the optimizer step: µs per step and per parameter tensor, per optimizer and implementation
  (for-loop, foreach), on N tensors of 4 elements (N = 4, 16, 64) so that the arithmetic is
  negligible; for foreach, the part of each tensor's cost that is torch's foreach ops themselves:
  on a CPU they run per tensor (the slow path), on a GPU one launch covers a group of tensors, so
  a GPU host keeps only the rest (the optimizer's Python lists, state look-ups, step counters);
- zero_grad(set_to_none=True): µs per step and per parameter tensor;
- a DataLoader in the main process (num_workers=0, shuffle, default collate): µs per batch and
  per sample, on two calibration datasets (a TensorDataset of 12 + 3 features, a Python Dataset
  of 16-token windows); neither is a validated case's data.
Each figure is the thread's CPU time inside a step-like loop (see repeats), fitted as a + b·N by least squares over the sizes; low from
the fastest repeat of each size, mid from the median, high from the slowest round's median (each
coefficient's three fits sorted: on a shared machine they can trade places).
"""
import statistics
import time
from typing import Any, Callable, Dict, List, Sequence, Tuple

import torch
from torch.utils.data import DataLoader, Dataset, TensorDataset

from kernel_counts import OPTIMIZERS

# where the tensors live: host_overhead.py --device sets it (a DataLoader's batches stay on the CPU)
DEVICE = 'cpu'
TENSORS = (4, 16, 64)
BATCHES = (8, 32, 128)


def repeats(run: Callable[[], Any], inner: int, outer: int) -> List[float]:
    """Mean CPU µs of one run() in each of `outer` repeats of `inner` runs, as it costs inside a
    training step: each run follows an unrelated small forward and backward (in a tight loop of its
    own, an optimizer step runs 20-50% faster: warm caches), whose own time, timed in the same
    repeat, is subtracted."""
    for _ in range(10):
        _other_work()
        run()
    out = []
    for _ in range(outer):
        _sync()
        t0 = time.thread_time()
        for _ in range(inner):
            _other_work()
        _sync()
        t1 = time.thread_time()
        for _ in range(inner):
            _other_work()
            run()
        _sync()
        t2 = time.thread_time()
        out.append(((t2 - t1) - (t1 - t0)) / inner * 1e6)
    return out


_OTHER: Dict[str, Any] = {}


def _other_work() -> None:
    if _OTHER.get('device') != DEVICE:
        torch.manual_seed(1)
        model = torch.nn.Sequential(torch.nn.Linear(6, 6), torch.nn.Tanh(), torch.nn.Linear(6, 1)).to(DEVICE)
        _OTHER.update(device=DEVICE, model=model, x=torch.randn(3, 6, device=DEVICE))
    _OTHER['model'].zero_grad(set_to_none=True)
    _OTHER['model'](_OTHER['x']).sum().backward()


def _sync() -> None:
    """On a GPU, the queued kernels end inside the repeat that launched them."""
    if DEVICE == 'cuda':
        torch.cuda.synchronize()


def fit(points: Sequence[Tuple[float, float]]) -> Tuple[float, float]:
    """Least-squares a + b·x through (x, y)."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    b = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x in xs)
    return my - b * mx, b


def banded(sizes: Sequence[int], rounds: List[Dict[int, List[float]]]) -> Dict[str, Dict[str, float]]:
    """Per-unit and fixed costs fitted on the fastest repeats, on the medians and on the slowest round's medians."""
    ends = {
        'low': [(n, min(x for r in rounds for x in r[n])) for n in sizes],
        'mid': [(n, statistics.median([x for r in rounds for x in r[n]])) for n in sizes],
        'high': [(n, max(statistics.median(r[n]) for r in rounds)) for n in sizes],
    }
    fits = [fit(pts) for pts in ends.values()]
    # on a shared machine a fit's intercept and slope can trade places between the ends: each
    # coefficient's three fits, sorted, make its band
    return {'fixed': ordered([round(max(0.0, a), 2) for a, _ in fits]),
            'perUnit': ordered([round(max(0.0, b), 3) for _, b in fits])}


def ordered(xs: List[float]) -> Dict[str, float]:
    lo, mid, hi = sorted(xs)
    return {'low': lo, 'mid': mid, 'high': hi}


def tiny_params(n: int) -> List[torch.Tensor]:
    torch.manual_seed(0)
    ps = [torch.randn(4, device=DEVICE, requires_grad=True) for _ in range(n)]
    for p in ps:
        p.grad = torch.randn(4, device=DEVICE)
    return ps


def optimizer_round(inner: int, outer: int) -> Dict[str, Dict[int, List[float]]]:
    out: Dict[str, Dict[int, List[float]]] = {}
    for kind, make in OPTIMIZERS.items():
        for foreach in (False, True):
            key = f'{kind}.{"foreach" if foreach else "forloop"}'
            for n in TENSORS:
                opt = make(tiny_params(n), foreach)
                out.setdefault(key, {})[n] = repeats(opt.step, inner, outer)
    return out


def foreach_ops_round(inner: int, outer: int) -> Dict[str, Dict[int, List[float]]]:
    """The foreach ops of each optimizer's foreach step alone (their CPU slow path), on the same lists."""
    out: Dict[str, Dict[int, List[float]]] = {}
    for kind, ops in FOREACH_OPS.items():
        for n in TENSORS:
            a, b, c = tiny_params(n), tiny_params(n), tiny_params(n)
            out.setdefault(f'{kind}.foreach', {})[n] = repeats(lambda: ops(a, b, c), inner, outer)
    return out


def _adam_ops(decoupled: bool) -> Callable[[List[torch.Tensor], List[torch.Tensor], List[torch.Tensor]], None]:
    """The device-tensor foreach ops of torch 1.13's _multi_tensor_adam(w) (kernelCounts.json foreachOps)."""
    @torch.no_grad()  # as inside the optimizer: in-place on leaves that require grad
    def run(p, m, v):
        g = [x.grad for x in p]
        if decoupled:
            torch._foreach_mul_(p, 0.99)
        torch._foreach_mul_(m, 0.9)
        torch._foreach_add_(m, g, alpha=0.1)
        torch._foreach_mul_(v, 0.999)
        torch._foreach_addcmul_(v, g, g, 0.001)
        d = torch._foreach_sqrt(v)
        torch._foreach_div_(d, 1.0)
        d = torch._foreach_add(d, 1e-8)
        torch._foreach_addcdiv_(p, m, d, -1e-3)
    return run


def _sgd_ops(momentum: bool) -> Callable[[List[torch.Tensor], List[torch.Tensor], List[torch.Tensor]], None]:
    @torch.no_grad()
    def run(p, buf, _):
        g = [x.grad for x in p]
        if momentum:
            torch._foreach_mul_(buf, 0.9)
            torch._foreach_add_(buf, g)
            torch._foreach_add_(p, buf, alpha=-1e-2)
        else:
            torch._foreach_add_(p, g, alpha=-1e-2)
    return run


FOREACH_OPS = {'adamw': _adam_ops(True), 'adam': _adam_ops(False), 'sgd': _sgd_ops(False), 'sgd-momentum': _sgd_ops(True)}


def zero_grad_round(inner: int, outer: int) -> Dict[int, List[float]]:
    """zero_grad(set_to_none=True) with every gradient present: the step less re-setting the gradients."""
    out = {}
    for n in TENSORS:
        ps = tiny_params(n)
        grads = [p.grad for p in ps]
        opt = torch.optim.SGD(ps, lr=0.1)

        def reset():
            for p, g in zip(ps, grads):
                p.grad = g

        def both():
            reset()
            opt.zero_grad(set_to_none=True)

        base = repeats(reset, inner, outer)
        out[n] = [max(0.0, t - b) for t, b in zip(repeats(both, inner, outer), base)]
    return out


class Windows(Dataset):
    """16-token windows (input, target) of a 1-D token tensor, as a language model's dataset slices them."""

    def __init__(self, length: int):
        self.data = torch.arange(length) % 50

    def __len__(self):
        return len(self.data) - 17

    def __getitem__(self, i):
        chunk = self.data[i:i + 17]
        return chunk[:-1], chunk[1:]


LOADERS = {
    'TensorDataset(randn(4096, 12), randn(4096, 3))': lambda: TensorDataset(torch.randn(4096, 12), torch.randn(4096, 3)),
    'Python Dataset of 16-token windows (input, target)': lambda: Windows(4096),
}


def loader_round(inner: int, outer: int) -> Dict[str, Dict[int, List[float]]]:
    out: Dict[str, Dict[int, List[float]]] = {}
    for name, make in LOADERS.items():
        data = make()
        for b in BATCHES:
            loader = DataLoader(data, batch_size=b, shuffle=True, drop_last=True)
            state = {'it': iter(loader)}

            def fetch():
                try:
                    next(state['it'])
                except StopIteration:
                    state['it'] = iter(loader)
                    next(state['it'])

            out.setdefault(name, {})[b] = repeats(fetch, inner, outer)
    return out


def terms_round(inner: int, outer: int) -> Dict[str, Any]:
    """One round of every term (host_overhead.py interleaves the rounds with its models' rounds)."""
    out = {'optimizer': optimizer_round(inner, outer), 'foreachOps': foreach_ops_round(inner, outer),
           'zeroGrad': zero_grad_round(inner, outer), 'loader': loader_round(inner, outer)}
    if DEVICE == 'cuda':
        out['copy'] = copy_round(inner, outer)
    return out


COPIES = {'int64 32x256 (token ids)': (torch.int64, (32, 256)), 'fp32 64x3x32x32 (small images)': (torch.float32, (64, 3, 32, 32))}


def copy_round(inner: int, outer: int) -> Dict[str, List[float]]:
    """A batch's copy to the GPU from pageable memory, as `x.to('cuda')` does (it waits for the copy)."""
    out = {}
    for name, (dtype, shape) in COPIES.items():
        x = torch.zeros(shape, dtype=dtype)
        out[name] = repeats(lambda: x.to(DEVICE), inner, outer)
    return out


def aggregate_terms(rounds: List[Dict[str, Any]]) -> Dict[str, Any]:
    """The table's terms from the rounds of terms_round."""
    opt_rounds = [r['optimizer'] for r in rounds]
    ops_rounds = [r['foreachOps'] for r in rounds]
    optimizers = {}
    for key in opt_rounds[0]:
        b = banded(TENSORS, [r[key] for r in opt_rounds])
        entry = {'perStepUs': b['fixed'], 'perTensorUs': b['perUnit']}
        if key in ops_rounds[0]:
            ops = banded(TENSORS, [r[key] for r in ops_rounds])['perUnit']
            entry['foreachOpsPerTensorUs'] = ops
            # a GPU's foreach ops launch once per group of tensors: its host keeps the rest per tensor
            entry['perTensorUsBesideForeachOps'] = ordered([round(max(0.0, entry['perTensorUs'][e] - ops[e]), 3) for e in ops])
        optimizers[key] = entry
    zero = banded(TENSORS, [r['zeroGrad'] for r in rounds])
    loader_rounds = [r['loader'] for r in rounds]
    loaders = {name: banded(BATCHES, [r[name] for r in loader_rounds]) for name in loader_rounds[0]}
    ends = ('low', 'mid', 'high')
    copies = {}
    if 'copy' in rounds[0]:
        for name in rounds[0]['copy']:
            xs = [x for r in rounds for x in r['copy'][name]]
            copies[name] = {'low': round(min(xs), 2), 'mid': round(statistics.median(xs), 2), 'high': round(max(xs), 2)}
    return {
        **({'h2dCopyUs': copies} if copies else {}),
        'optimizerUs': optimizers,
        'zeroGradUs': {'perStep': zero['fixed'], 'perTensor': zero['perUnit']},
        'dataLoaderUs': {
            'perBatch': {e: round(_pick(e, [v['fixed'][e] for v in loaders.values()]), 2) for e in ends},
            'perSample': {e: round(_pick(e, [v['perUnit'][e] for v in loaders.values()]), 3) for e in ends},
            'cases': {name: {'perBatchUs': v['fixed'], 'perSampleUs': v['perUnit']} for name, v in loaders.items()},
        },
    }


def _pick(end: str, xs: List[float]) -> float:
    """Across datasets: the cheapest at low, the mean at mid, the dearest at high."""
    return min(xs) if end == 'low' else max(xs) if end == 'high' else statistics.fmean(xs)
