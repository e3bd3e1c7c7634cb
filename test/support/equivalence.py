"""Runs an original and a rewritten model file with real torch on the same weights and inputs
and compares outputs; also counts the rewritten model with torch_macs. Used by the advisor
tests: every automatic rewrite must keep the program's results.

    python3 equivalence.py cases.json   -> JSON list of {maxAbsDiff, allclose, params, macs, error?}

Where torch predates F.scaled_dot_product_attention (torch 1.13), PyTorch's documented
reference definition is installed in its place.
"""
import importlib.util
import json
import math
import os
import sys
import traceback

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', 'scripts', 'truth'))
from torch_macs import count  # noqa: E402


def reference_sdpa(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None, enable_gqa=False):
    """torch.nn.functional.scaled_dot_product_attention as PyTorch documents it."""
    L, S = query.size(-2), key.size(-2)
    scale_factor = 1 / math.sqrt(query.size(-1)) if scale is None else scale
    attn_bias = torch.zeros(L, S, dtype=query.dtype, device=query.device)
    if is_causal:
        assert attn_mask is None
        temp_mask = torch.ones(L, S, dtype=torch.bool).tril(diagonal=0)
        attn_bias = attn_bias.masked_fill(temp_mask.logical_not(), float("-inf"))
    if attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            attn_bias = attn_bias.masked_fill(attn_mask.logical_not(), float("-inf"))
        else:
            attn_bias = attn_mask + attn_bias
    attn_weight = query @ key.transpose(-2, -1) * scale_factor
    attn_weight = attn_weight + attn_bias
    attn_weight = torch.softmax(attn_weight, dim=-1)
    attn_weight = torch.dropout(attn_weight, dropout_p, train=True)
    return attn_weight @ value


if not hasattr(F, 'scaled_dot_product_attention'):
    F.scaled_dot_product_attention = reference_sdpa


def load(path, name, package=None):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    # a file of a package (segment_anything.modeling): its relative imports resolve in the original package
    if package:
        module.__package__ = package
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def first_tensor(v):
    if torch.is_tensor(v):
        return v
    if isinstance(v, (tuple, list)):
        for x in v:
            t = first_tensor(x)
            if t is not None:
                return t
    if isinstance(v, dict):
        for x in v.values():
            t = first_tensor(x)
            if t is not None:
                return t
    return None


def run(case, index):
    for p in case.get('sysPath', []):
        if p not in sys.path:
            sys.path.insert(0, p)
    original = load(case['original'], f'wattlens_original_{index}', case.get('package'))
    rewritten = load(case['rewritten'], f'wattlens_rewritten_{index}', case.get('package'))
    torch.manual_seed(0)
    a = eval(case['entry'], vars(original))
    b = eval(case['entry'], vars(rewritten))
    b.load_state_dict(a.state_dict())
    a.eval()
    b.eval()
    torch.manual_seed(1)
    inputs = [torch.randint(0, 10, i['shape']) if i.get('long') else torch.randn(*i['shape']) for i in case['inputs']]
    with torch.no_grad():
        ya = first_tensor(a(*inputs))
        yb = first_tensor(b(*inputs))
    diff = (ya - yb).abs().max().item() if ya.numel() else 0.0
    return {
        'maxAbsDiff': diff,
        'allclose': bool(torch.allclose(ya, yb, rtol=1e-4, atol=1e-5)),
        'params': sum(p.numel() for p in b.parameters()),
        'macs': count(b, *inputs),
    }


def main():
    cases = json.load(open(sys.argv[1]))
    out = []
    for i, c in enumerate(cases):
        try:
            out.append(run(c, i))
        except Exception:
            out.append({'error': traceback.format_exc(limit=4)})
    print(json.dumps(out))


if __name__ == '__main__':
    main()
