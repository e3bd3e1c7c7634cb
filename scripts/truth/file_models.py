"""Truth for models defined in plain .py files under test/fixtures/models (own and third-party).

A case names the file, the constructor call as the engine's CLI takes it (--model), and the
inputs. The file is imported as a module (or, for a file with a syntax error, only the part
after its broken class is executed) and the model is run once on CPU, eval mode, batch 1.
"""
import ast
import contextlib
import importlib.util
import io
import os
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

import torch

from record import REPO_ROOT, input_spec, model_record, sha256_of
from torch_macs import profile

Input = Tuple[Tuple[int, ...], str, Any]  # (shape, kind, values or None); kind: float | tokens | lengths


def load_namespace(path: str, start_at_class: Optional[str] = None) -> Dict[str, Any]:
    """Module namespace of a fixture file; with start_at_class, only the imports and that class onward."""
    full = os.path.join(REPO_ROOT, path)
    if start_at_class is None:
        name = 'fixture_' + os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(name, full)
        module = importlib.util.module_from_spec(spec)
        with contextlib.redirect_stdout(io.StringIO()):  # nanoGPT prints while it builds
            spec.loader.exec_module(module)
        return vars(module)
    with open(full, encoding='utf-8') as handle:
        lines = handle.read().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f'class {start_at_class}'))
    imports = [line for line in lines[:start] if line.startswith(('import ', 'from '))]
    namespace: Dict[str, Any] = {'__name__': 'fixture_partial'}
    exec(compile('\n'.join(imports + [''] * (start - len(imports)) + lines[start:]), full, 'exec'), namespace)
    return namespace


def class_line(path: str, class_name: str) -> Optional[int]:
    """1-based line of `class <name>` in the file (found by text, so it works with syntax errors)."""
    with open(os.path.join(REPO_ROOT, path), encoding='utf-8') as handle:
        for number, line in enumerate(handle, start=1):
            if line.startswith(f'class {class_name}(') or line.startswith(f'class {class_name}:'):
                return number
    return None


def syntax_error(path: str) -> Optional[Dict[str, Any]]:
    with open(os.path.join(REPO_ROOT, path), encoding='utf-8') as handle:
        text = handle.read()
    try:
        ast.parse(text)
    except SyntaxError as error:
        return {'line': error.lineno, 'message': error.msg}
    return None


def make_tensor(shape: Tuple[int, ...], kind: str, values: Any) -> torch.Tensor:
    if kind == 'float':
        return torch.randn(*shape)
    if kind == 'tokens':
        return torch.randint(0, 100, shape, dtype=torch.int64)
    if kind == 'lengths':
        return torch.tensor(values, dtype=torch.int64)
    raise ValueError(kind)


def case_record(path: str, entry: str, inputs: List[Input], basis: str, *, start_at_class: Optional[str] = None,
                extra: Optional[Callable[[torch.nn.Module, Dict[str, Any]], Dict[str, Any]]] = None,
                notes: Optional[List[str]] = None) -> Dict[str, Any]:
    namespace = load_namespace(path, start_at_class)
    torch.manual_seed(0)
    with contextlib.redirect_stdout(io.StringIO()):
        model = eval(entry, namespace)  # entries are constants in the case tables, not user input
    tensors = [make_tensor(*spec) for spec in inputs]
    result = profile(model, tuple(tensors))
    class_name = type(model).__name__
    fields = {'file': path, 'class': class_name, 'line': class_line(path, class_name)}
    if extra:
        fields.update(extra(model, namespace))
    all_notes = list(notes or [])
    if result.uncounted_ops:
        all_notes.append(f'UNCOUNTED matmul-like ops seen: {result.uncounted_ops}')
    return model_record(name=class_name, entry=entry, source=path, source_sha256=sha256_of(os.path.join(REPO_ROOT, path)),
                        model=model, profile=result,
                        inputs=[input_spec(t, kind, values if kind == 'lengths' else None)
                                for t, (_, kind, values) in zip(tensors, inputs)],
                        input_basis=basis, execution='cpu', notes=all_notes, extra=fields)


def run_cases(cases: List[Dict[str, Any]], log=print) -> List[Dict[str, Any]]:
    found = []
    for case in cases:
        started = time.time()
        record = case_record(**case)
        found.append(record)
        log(f'  {record["file"].split("/")[-1]:24s} {record["entry"][:58]:58s} {record["macs"] / 1e6:10.3f} MMACs '
            f'{record["uniqueParams"]:>11,} params {time.time() - started:5.1f}s')
    return found
