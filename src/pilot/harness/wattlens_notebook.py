"""Runs a Jupyter notebook's code cells in order as one `__main__` module, as the editor analyzes
them (src/core/editor/notebook.ts): IPython magics and shell escapes (`%time`, `!pip`) become
`pass`, a cell magic (`%%bash`) blanks its cell, so every line keeps its number in tracebacks."""
import json
import re
import sys
import types

_MAGIC = re.compile(r"^(\s*)(%|!)")
_CELL_MAGIC = re.compile(r"^\s*%%")


def notebook_source(path):
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    language = (nb.get("metadata", {}).get("kernelspec", {}) or {}).get("language", "python")
    out = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code" or language != "python":
            continue
        source = cell.get("source", "")
        lines = ("".join(source) if isinstance(source, list) else source).split("\n")
        whole_magic = bool(lines) and bool(_CELL_MAGIC.match(lines[0]))
        for line in lines:
            m = _MAGIC.match(line)
            out.append("" if whole_magic else f"{m.group(1)}pass" if m else line)
    return "\n".join(out) + "\n"


def run_notebook(path):
    """Like runpy.run_path for a script: a fresh __main__ for the notebook's code, restored after."""
    code = compile(notebook_source(path), path, "exec")
    main = types.ModuleType("__main__")
    main.__file__ = path
    main.__builtins__ = __builtins__
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = main
    try:
        exec(code, main.__dict__)
    finally:
        if saved is not None:
            sys.modules["__main__"] = saved
