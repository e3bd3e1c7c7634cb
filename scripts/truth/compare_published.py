"""Compare torchvision's published per-weights figures with torch_macs on the same builder.

Reads test/fixtures/truth/torchvision-published.json (hand-gathered data, sources cited there),
recounts each entry's MACs and params, and returns rows for torchvision-published-check.json.
Agreement: |ours - published| <= max(1 % of published, half a unit of its last printed decimal).
"""
import json
import os
from typing import Any, Dict, List, Tuple

from record import REPO_ROOT
from torchvision_truth import macs_at

PUBLISHED = 'test/fixtures/truth/torchvision-published.json'
RELATIVE_TOLERANCE = 0.01


def load_published() -> Dict[str, Any]:
    with open(os.path.join(REPO_ROOT, PUBLISHED), encoding='utf-8') as handle:
        return json.load(handle)


def within(ours_g: float, published_g: float, decimals: int) -> bool:
    allowed = max(RELATIVE_TOLERANCE * published_g, 0.5 * 10 ** -decimals)
    return abs(ours_g - published_g) <= allowed + 1e-12


def check(log=print) -> Tuple[List[Dict[str, Any]], List[str]]:
    """(rows, problems): problems are disagreements not listed under knownExceptions."""
    published = load_published()
    exceptions = published.get('knownExceptions', {})
    cache: Dict[Tuple, Tuple[int, int]] = {}
    rows: List[Dict[str, Any]] = []
    problems: List[str] = []
    for entry in published['entries']:
        macs, params = macs_at(entry['builder'], entry['cropSize'], entry['builderKwargs'], cache)
        row: Dict[str, Any] = {
            'weights': entry['weights'], 'builder': entry['builder'], 'builderKwargs': entry['builderKwargs'],
            'input': f'1x3x{entry["cropSize"]}x{entry["cropSize"]}', 'macs': macs,
            'publishedGmacs': entry['gmacs'], 'params': params, 'publishedParams': entry['numParams'],
        }
        macs_ok = None
        if entry['gmacs'] is not None:
            row['relativeDiff'] = round((macs / 1e9 - entry['gmacs']) / entry['gmacs'], 6)
            macs_ok = within(macs / 1e9, entry['gmacs'], entry['decimals'])
        params_ok = params == entry['numParams']
        row['macsAgree'] = macs_ok
        row['paramsAgree'] = params_ok
        exception = exceptions.get(entry['weights'])
        if exception:
            row['exception'] = exception['reason']
        elif macs_ok is False or not params_ok:
            problems.append(f'{entry["weights"]}: macs {macs / 1e9:.3f} G vs published {entry["gmacs"]}, '
                            f'params {params:,} vs {entry["numParams"]:,}')
        rows.append(row)
        flag = 'n/a ' if macs_ok is None else ('ok  ' if macs_ok else 'DIFF')
        log(f'  {entry["weights"]:48s} {macs / 1e9:9.3f} vs {str(entry["gmacs"]):>7s} G {flag} '
            f'params {"ok" if params_ok else "DIFF"}{"  (known exception)" if exception else ""}')
    return rows, problems
