"""Truth for the real-world corpus (test/fixtures/realworld/cases.json) from real torch.

Each case names a file in the corpus workspace, a --model call, --input shapes and optional
--set overrides, exactly as the CLI takes them. The model is built the way the user's Python
would: sys.path holds the case's repository folder, the workspace, the workspace venv's
site-packages, the repository's own venv's where it has one, then the file's own folder (the roots the analyzer sees), the file is imported as a module of its
repository, and the call is evaluated in that module. A case with `truthBuild` gives the Python
statements that build `model` instead (a --set on a config object has no plain-Python spelling).

Random init (init functions skipped: they do not change sizes), eval, no_grad, batch 1 as the
shapes say. params = sum(p.numel() for p in model.parameters()); MACs by torch_macs.py.
Cases of one repository run in one child process (repositories reuse module names such as
`models`), two children at a time. A case real torch cannot run is recorded with its error,
never with a figure of ours.
"""
import contextlib
import importlib
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
CORPUS = os.path.join(REPO_ROOT, 'test', 'fixtures', 'realworld')
WORKSPACE = os.path.join(CORPUS, 'workspace')
SITE_PACKAGES = os.path.join(WORKSPACE, '.venv', 'lib', 'python3.11', 'site-packages')
TRUTH_PATH = 'test/fixtures/truth/realworld.json'
GROUP_TIMEOUT_S = 1800


def load_cases() -> List[Dict[str, Any]]:
    with open(os.path.join(CORPUS, 'cases.json'), encoding='utf-8') as handle:
        return json.load(handle)['cases']


def repository_of(case: Dict[str, Any]) -> str:
    """The case's repository folder, workspace-relative ('.' for the user's own top-level files)."""
    parts = case['file'].split('/')
    return parts[0] if len(parts) > 1 else '.'


def module_name(case: Dict[str, Any]) -> str:
    repo = repository_of(case)
    relative = case['file'] if repo == '.' else case['file'][len(repo) + 1:]
    return relative[:-len('.py')].replace('/', '.')


def parse_input(text: str) -> List[Any]:
    """The CLI's --input: a shape ([35, 10]) per forward argument, or a tuple of them in
    parentheses: '35x10,(2x10x200,2x10x200)' -> [[35, 10], ([2, 10, 200], [2, 10, 200])]."""
    return _parse_arguments(text.replace(' ', ''))


def _parse_arguments(text: str) -> List[Any]:
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text + ','):
        depth += {'(': 1, ')': -1}.get(char, 0)
        if char == ',' and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    return [tuple(_parse_arguments(part[1:-1])) if part.startswith('(') else [int(d) for d in part.split('x')]
            for part in parts]


# ---------------------------------------------------------------- worker (one repository)

def _worker(repo: str, ids: List[str]) -> None:
    sys.dont_write_bytecode = True  # leave the corpus workspace as committed
    import warnings
    warnings.filterwarnings('ignore')
    import torch
    from fast_build import skipped_init
    import compiled_stand_ins
    compiled_stand_ins.install()
    from torch_macs import profile, tensor_shapes
    repo_dir = WORKSPACE if repo == '.' else os.path.join(WORKSPACE, repo)
    # The roots the analyzer sees, in the user's interpreter's order; drop this script's folder.
    # A repository with its own venv (the analyzer finds the nearest one above the file) adds it last.
    repo_venv = os.path.join(repo_dir, '.venv', 'lib', 'python3.11', 'site-packages')
    own_env = [repo_venv] if repo != '.' and os.path.isdir(repo_venv) else []
    sys.path[:] = [repo_dir, WORKSPACE, SITE_PACKAGES] + own_env + [p for p in sys.path if p not in ('', HERE)]
    compiled_stand_ins.install_absent_libraries()  # absent from these roots too (a repository's venv may hold one)
    os.chdir(repo_dir)
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    cases = {c['id']: c for c in load_cases()}
    for case_id in ids:
        case = cases[case_id]
        record: Dict[str, Any] = {'id': case_id}
        started = time.time()
        try:
            torch.manual_seed(0)
            _add_script_folder(case, repo_dir)
            if case.get('truthDefinitionsOnly'):
                module = _definitions_only(case, repo_dir)  # a script that runs at import
            else:
                module = importlib.import_module(module_name(case))
            namespace = dict(vars(module))
            with skipped_init():
                if case.get('truthBuild'):
                    exec(case['truthBuild'], namespace)  # noqa: S102 - corpus data, written by us
                    model = namespace['model']
                else:
                    for key, value in (case.get('set') or {}).items():
                        if key not in namespace:
                            raise KeyError(f'--set {key}: not a module global; give the case a truthBuild')
                        setattr(module, key, eval(value, namespace))  # noqa: S307
                        namespace[key] = getattr(module, key)
                    model = eval(case['model'], namespace)  # noqa: S307
            record['params'] = sum(p.numel() for p in model.parameters())
            record.update(_measure(model, case, torch, profile, tensor_shapes))
        except Exception as error:  # noqa: BLE001 - recorded, the corpus shows what torch says
            record.update({'status': 'error', 'error': _error_text(error)})
        record['seconds'] = round(time.time() - started, 1)
        print('CASE ' + json.dumps(record), flush=True)


def _add_script_folder(case: Dict[str, Any], repo_dir: str) -> None:
    """The analyzer also searches the opened file's own folder (Python's sys.path[0] for a script run
    from there, as `cd src; python train.py` does): Conv-TasNet's src/conv_tasnet.py imports its
    sibling `utils`. Appended last, so it never shadows the roots above."""
    folder = os.path.dirname(os.path.join(repo_dir, module_name(case).replace('.', os.sep)))
    if folder not in sys.path:
        sys.path.append(folder)


def _definitions_only(case: Dict[str, Any], repo_dir: str):
    """A script that parses arguments, loads data or trains at import (truthDefinitionsOnly):
    run only its imports, functions and classes, as a user who copies the model out of it
    does; the module constants its classes read come from the case's `set`, as the CLI's
    --set gives them to the analyzer."""
    import ast
    import types
    path = os.path.join(repo_dir, module_name(case).replace('.', os.sep) + '.py')
    with open(path, encoding='utf-8') as handle:
        tree = ast.parse(handle.read(), filename=path)
    kept = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    tree.body = [node for node in tree.body if isinstance(node, kept)]
    module = types.ModuleType(module_name(case))
    module.__file__ = path
    for key, value in (case.get('set') or {}).items():
        setattr(module, key, eval(value, {}))  # noqa: S307 - corpus data, written by us
    exec(compile(tree, path, 'exec'), vars(module))  # noqa: S102 - the corpus file's own definitions
    return module


def _error_text(error: BaseException) -> str:
    message = str(error).strip().splitlines()[0] if str(error).strip() else ''
    return f'{type(error).__name__}: {message}'[:300]


def _inputs(case: Dict[str, Any], torch, device: str):
    kinds = case.get('inputKinds') or []
    out = []
    for index, shape in enumerate(parse_input(case['input'])):
        kind = kinds[index] if index < len(kinds) else 'float'
        torch.manual_seed(index)
        if isinstance(shape, tuple):  # a tuple argument (an LSTM's (h0, c0)): float tensors
            out.append(_float_tuple(shape, torch, device))
        elif kind == 'tokens':
            out.append(torch.randint(0, 50, shape, device=device))
        elif kind == 'ones':  # an attention mask that keeps every position
            out.append(torch.ones(shape, dtype=torch.long, device=device))
        else:
            out.append(torch.randn(*shape, device=device))
    return out


def _float_tuple(shapes: tuple, torch, device: str) -> tuple:
    return tuple(_float_tuple(s, torch, device) if isinstance(s, tuple) else torch.randn(*s, device=device) for s in shapes)


def _measure(model, case: Dict[str, Any], torch, profile, tensor_shapes) -> Dict[str, Any]:
    """Forward on the meta device (shapes only: fast); data-dependent code falls back to CPU."""
    model.eval()
    import copy
    try:
        with _autocast_off_on_meta(torch):
            result = profile(copy.deepcopy(model).to('meta'), tuple(_inputs(case, torch, 'meta')))
        execution = 'meta'
    except Exception:  # noqa: BLE001
        try:
            result = profile(model, tuple(_inputs(case, torch, 'cpu')))
            execution = 'cpu'
        except Exception as error:  # noqa: BLE001 - torch itself rejects the forward: params only
            return {'status': 'forward-error', 'error': _error_text(error)}
    return {'status': 'ok', 'execution': execution, 'macs': result.macs, 'macsByOp': result.macs_by_op,
            'uncountedOps': result.uncounted_ops, 'outputShapes': tensor_shapes(result.output)}



@contextlib.contextmanager
def _autocast_off_on_meta(torch):
    """torch 1.13's autocast accepts only 'cuda' and 'cpu' device types, so code that turns
    autocast off around a block (transformers' LLaMA rotary embedding) fails on meta tensors.
    Autocast is not on while measuring, so a disabled autocast on meta is what it is on CPU:
    nothing. An enabled one still goes to torch and fails as before."""
    real = torch.autocast

    def autocast(device_type, *args, **kwargs):
        if device_type == 'meta' and kwargs.get('enabled', args[1] if len(args) > 1 else True) is False:
            return contextlib.nullcontext()
        return real(device_type, *args, **kwargs)

    torch.autocast = autocast
    try:
        yield
    finally:
        torch.autocast = real


# ---------------------------------------------------------------- parent

def _run_group(python: str, repo: str, ids: List[str], log) -> List[Dict[str, Any]]:
    command = [python, os.path.abspath(__file__), '--worker', repo, ','.join(ids)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=GROUP_TIMEOUT_S, cwd=HERE)
        stdout, stderr = done.stdout, done.stderr
    except subprocess.TimeoutExpired as expired:
        stdout = expired.stdout.decode() if isinstance(expired.stdout, bytes) else (expired.stdout or '')
        stderr = 'timed out'
    found = {}
    for line in stdout.splitlines():
        if line.startswith('CASE '):
            record = json.loads(line[5:])
            found[record['id']] = record
    records = []
    for case_id in ids:
        record = found.get(case_id) or {'id': case_id, 'status': 'error',
                                        'error': f'worker died: {stderr.strip().splitlines()[-1] if stderr.strip() else "?"}'}
        verdict = (f'{record["params"]:,} params, {record["macs"]:,} MACs ({record["execution"]})' if record['status'] == 'ok'
                   else f'{record.get("params", "no"):,} params, forward: {record["error"]}' if record['status'] == 'forward-error'
                   else record['error'])
        log(f'  {case_id}: {verdict} ({record.get("seconds", "?")} s)')
        records.append(record)
    return records


def records(log=print, only: List[str] = ()) -> List[Dict[str, Any]]:
    cases = [c for c in load_cases() if not only or c['id'] in only or c['project'] in only]
    groups: Dict[str, List[str]] = {}
    for case in cases:
        groups.setdefault(repository_of(case), []).append(case['id'])
    python = sys.executable
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda item: _run_group(python, item[0], item[1], log), sorted(groups.items())))
    by_id = {r['id']: r for group in results for r in group}
    out = []
    for case in cases:
        measured = by_id[case['id']]
        record = {'id': case['id'], 'project': case['project'], 'file': case['file'], 'entry': case['model'],
                  'inputText': case['input']}
        if case.get('set'):
            record['set'] = case['set']
        measured = {k: v for k, v in measured.items() if k not in ('id', 'seconds')}
        record.update(measured)
        published = case.get('published')
        if measured['status'] != 'ok' and published:
            record['published'] = published  # {params, macs?, source}: figures for torch >= 2 only
        out.append(record)
    return out


def payload(cases: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {'workspace': 'test/fixtures/realworld/workspace',
            'roots': ['<repository folder>', '<workspace>', '<workspace>/.venv/lib/python3.11/site-packages'],
            'cases': cases}


def _merged(fresh: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The truth file's records with the fresh ones in their place, in cases.json order
    (--merge: regenerate some cases, keep the others as measured before)."""
    path = os.path.join(REPO_ROOT, TRUTH_PATH)
    kept = {}
    if os.path.exists(path):
        with open(path, encoding='utf-8') as handle:
            kept = {r['id']: r for r in json.load(handle)['cases']}
    kept.update({r['id']: r for r in fresh})
    return [kept[c['id']] for c in load_cases() if c['id'] in kept]


def main(argv: List[str]) -> int:
    if argv[:1] == ['--worker']:
        _worker(argv[1], argv[2].split(','))
        return 0
    sys.path.insert(0, HERE)
    from record import write_truth
    dry = '--dry-run' in argv
    merge = '--merge' in argv
    only = [a for a in argv if not a.startswith('--')]
    started = time.time()
    result = records(only=only)
    if not dry and (merge or not only):
        cases = _merged(result) if merge else result
        size = write_truth(TRUTH_PATH, payload(cases))
        print(f'  wrote {TRUTH_PATH} ({size / 1024:.0f} KiB)')
    print(f'done in {time.time() - started:.0f}s: {sum(r["status"] == "ok" for r in result)} of {len(result)} measured')
    return 1 if any(r.get('uncountedOps') for r in result) else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
