"""The tail both calibration scripts share: print the table (--print) or write it, then a summary."""
import json
import os
from typing import Any, Dict, Iterable

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


def emit_table(table: Dict[str, Any], path: str, print_only: bool, summary: Iterable[str]) -> int:
    """Prints the whole table when `print_only`, else writes it to `path` (one space of indent, a final
    newline: the generated tables' format) and prints `summary`, one item a line. Returns the exit code."""
    if print_only:
        print(json.dumps(table, indent=1))
        return 0
    with open(path, 'w') as f:
        json.dump(table, f, indent=1)
        f.write('\n')
    print('wrote', os.path.relpath(path, ROOT))
    print(*summary, sep='\n')
    return 0
