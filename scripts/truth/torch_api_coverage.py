#!/usr/bin/env python3
"""Torch's public API as data, and the engine's coverage of it.

Step 1 (here, needs torch): enumerate the public names of torch's namespaces and write them to
src/core/ops/data/torchApi.json. Step 2 (node, no torch): scripts/truth/torch_coverage.mjs asks
the engine's catalogue about every name and writes src/core/ops/data/torchCoverage.json with a
status per name: "cost" (output and cost modelled), "shape" (output or value modelled, no cost
counted) or "unknown". test/unit/ops/torchCoverage.test.ts fails when the catalogue and the
committed table disagree.

Run: /usr/bin/python3 scripts/truth/torch_api_coverage.py          (both steps)
     /usr/bin/python3 scripts/truth/torch_api_coverage.py --api-only
"""
import inspect
import json
import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
DATA = os.path.join(ROOT, 'src', 'core', 'ops', 'data')

# Re-exports and typing helpers that are no API of their own.
NOT_API = {
    'torch.nn.functional': {'boolean_dispatch', 'handle_torch_function', 'has_torch_function', 'has_torch_function_unary',
                            'has_torch_function_variadic', 'Callable', 'List', 'Optional', 'Tuple', 'Union'},
}
# Underscored names that model code calls as public API.
PRIVATE_BUT_USED = {'torch': ['_assert']}


def public(mod, names=None):
    for n in sorted(names if names is not None else dir(mod)):
        if n.startswith('_') and n not in PRIVATE_BUT_USED.get(mod.__name__, []):
            continue
        yield n, getattr(mod, n)


def callables(mod):
    skip = NOT_API.get(mod.__name__, set())
    return [n for n, v in public(mod, list(dir(mod)) + PRIVATE_BUT_USED.get(mod.__name__, []))
            if n not in skip and callable(v) and not inspect.ismodule(v)
            and not (inspect.isclass(v) and issubclass(v, BaseException))
            and not getattr(v, '__module__', '').startswith('typing')
            # classes: torch's own (FloatTensor, Size), not the JIT's C++ types nor re-exports
            and not (inspect.isclass(v) and (mod.__name__ != 'torch' or getattr(v, '__module__', '').startswith('torch._C')
                                         or 'pybind11' in type(v).__name__))]


def module_classes(mod):
    import torch.nn as nn
    return [n for n, v in public(mod) if inspect.isclass(v) and issubclass(v, nn.Module)]


def tensor_members():
    import torch
    out = []
    for n in sorted(dir(torch.Tensor)):
        if n.startswith('_'):
            continue
        v = inspect.getattr_static(torch.Tensor, n)
        out.append({'name': n, 'kind': 'method' if callable(v) and not isinstance(v, property) and type(v).__name__ != 'getset_descriptor' else 'attribute'})
    return out


def enumerate_api():
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    import torch.fft
    import torch.linalg
    import torch.ao.nn.quantized as nnq
    import torch.ao.nn.quantized.dynamic as nnqd
    import torch.ao.quantization as quant
    namespaces = [
        ('torch', [{'name': n} for n in callables(torch)]),
        ('Tensor', tensor_members()),
        ('torch.nn.functional', [{'name': n} for n in callables(F)]),
        ('torch.nn', [{'name': n} for n in module_classes(nn)]),
        ('torch.ao.nn.quantized', [{'name': n} for n in module_classes(nnq)]),
        ('torch.ao.nn.quantized.dynamic', [{'name': n} for n in module_classes(nnqd)]),
        ('torch.ao.quantization', [{'name': n} for n in module_classes(quant)]),
        ('torch.fft', [{'name': n} for n in callables(torch.fft)]),
        ('torch.linalg', [{'name': n} for n in callables(torch.linalg)]),
    ]
    return {
        'generatedBy': 'scripts/truth/torch_api_coverage.py',
        'torch': torch.__version__,
        'namespaces': [{'namespace': ns, 'names': names} for ns, names in namespaces],
    }


def main():
    try:
        api = enumerate_api()
    except ImportError as e:
        print(f'needs torch: {e}', file=sys.stderr)
        return 2
    os.makedirs(DATA, exist_ok=True)
    with open(os.path.join(DATA, 'torchApi.json'), 'w') as f:
        json.dump(api, f, indent=1)
        f.write('\n')
    for ns in api['namespaces']:
        print(f"{ns['namespace']:32} {len(ns['names']):5} names")
    if '--api-only' in sys.argv:
        return 0
    return subprocess.call(['node', os.path.join(ROOT, 'scripts', 'truth', 'torch_coverage.mjs')], cwd=ROOT)


if __name__ == '__main__':
    sys.exit(main())
