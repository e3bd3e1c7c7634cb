"""Turn a torch_macs.Profile into the truth JSON record, and write truth files.

The format is documented in scripts/truth/README.md; keep the two in step.
"""
import hashlib
import inspect
import json
import os
from typing import Any, Dict, List, Optional

import torch

from torch_macs import Profile, tensor_shapes

SCHEMA = 'wattlens-truth/1'
CONVENTION = ('macs: multiply-accumulates of convolutions, linear layers, matrix products '
              '(mm/bmm/matmul) and fused attention kernels, as torchvision publishes them; '
              'nothing else (no bias adds, norms, activations, pooling, softmax). flops = 2 x macs.')
REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


def sha256_of(path: str) -> str:
    with open(path, 'rb') as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def input_spec(tensor: torch.Tensor, kind: str, values: Optional[List[Any]] = None) -> Dict[str, Any]:
    """kind: 'float' (data), 'tokens' (integer ids), 'lengths' (valid lengths per batch item)."""
    spec: Dict[str, Any] = {'shape': list(tensor.shape), 'dtype': str(tensor.dtype).replace('torch.', ''), 'kind': kind}
    if values is not None:
        spec['values'] = values
    return spec


def input_text(specs: List[Dict[str, Any]]) -> str:
    """The CLI form: shapes joined by ',', dims by 'x' (e.g. 1x100x80,1)."""
    return ','.join('x'.join(str(d) for d in spec['shape']) for spec in specs)


def class_files(model: torch.nn.Module, package_dir: str) -> List[str]:
    """Files under package_dir that define the classes of model's modules (what a reader must parse)."""
    found = set()
    for module in model.modules():
        try:
            path = inspect.getsourcefile(type(module))
        except TypeError:
            continue
        if path and os.path.abspath(path).startswith(os.path.abspath(package_dir) + os.sep):
            found.add(os.path.relpath(path, package_dir).replace(os.sep, '/'))
    return sorted(found)


def model_record(*, name: str, entry: str, source: Optional[str], source_sha256: Optional[str],
                 model: torch.nn.Module, profile: Profile, inputs: List[Dict[str, Any]],
                 input_basis: str, execution: str, notes: Optional[List[str]] = None,
                 with_layers: bool = True, extra: Optional[Dict[str, Any]] = None,
                 source_files: Optional[List[str]] = None) -> Dict[str, Any]:
    unique = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    layers = [row for row in profile.rows if row.leaf or row.params > 0 or row.macs > 0]
    shapes = tensor_shapes(profile.output)
    record: Dict[str, Any] = {
        'name': name,
        'entry': entry,
        'source': source,
        'sourceSha256': source_sha256,
        'sourceFiles': source_files if source_files is not None else ([source] if source else []),
        'inputs': inputs,
        'inputText': input_text(inputs),
        'inputBasis': input_basis,
        'execution': execution,
        'params': sum(row.params for row in profile.rows),
        'uniqueParams': unique,
        'trainableParams': trainable,
        'bufferElements': sum(b.numel() for b in model.buffers()),
        'macs': profile.macs,
        'flops': 2 * profile.macs,
        'macsByOp': profile.macs_by_op,
        'uncountedOps': profile.uncounted_ops,
        'outputShape': shapes[0] if shapes else None,
        'outputShapes': shapes,
        'layerCount': len(layers),
    }
    if extra:
        record.update(extra)
    record['notes'] = notes or []
    if with_layers:
        record['layers'] = [
            {'path': row.path, 'type': row.type, 'leaf': row.leaf, 'params': row.params, 'macs': row.macs,
             'calls': row.calls, 'outputShape': row.output_shape}
            for row in layers
        ]
    else:
        record['layers'] = None
    return record


def versions() -> Dict[str, str]:
    found = {'torch': torch.__version__}
    for package in ('torchvision', 'torchaudio'):
        try:
            found[package] = __import__(package).__version__
        except ImportError:
            found[package] = None
    return found


def _dump(value: Any, indent: int, key: Optional[str] = None) -> str:
    """Pretty JSON, but one line per layer row and per shape list, so files stay small and diffable."""
    pad = '  ' * indent
    inner = '  ' * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return '{}'
        items = [f'{inner}{json.dumps(k)}: {_dump(v, indent + 1, k)}' for k, v in value.items()]
        return '{\n' + ',\n'.join(items) + '\n' + pad + '}'
    if isinstance(value, list):
        if not value:
            return '[]'
        if key == 'layers' or all(not isinstance(v, (dict, list)) for v in value) \
                or all(isinstance(v, list) for v in value):
            if key == 'layers':
                rows = [inner + json.dumps(v, separators=(', ', ': ')) for v in value]
                return '[\n' + ',\n'.join(rows) + '\n' + pad + ']'
            return json.dumps(value, separators=(', ', ': '))
        items = [inner + _dump(v, indent + 1) for v in value]
        return '[\n' + ',\n'.join(items) + '\n' + pad + ']'
    return json.dumps(value)


def write_truth(path: str, payload: Dict[str, Any]) -> int:
    """Write a truth file under the repository; returns its size in bytes."""
    document = {'schema': SCHEMA, 'generatedBy': 'scripts/truth/make_truth.py (npm run truth)',
                'convention': CONVENTION, 'versions': versions(), **payload}
    text = _dump(document, 0) + '\n'
    full = os.path.join(REPO_ROOT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, 'w', encoding='utf-8') as handle:
        handle.write(text)
    return len(text.encode('utf-8'))
