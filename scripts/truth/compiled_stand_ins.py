"""Stand-ins for the compiled cores of libraries in the corpus venv.

The corpus ships libraries as their Python source only. safetensors' Python package imports
its Rust core (`safetensors._safetensors_rust`), which transformers needs at import time but
never calls while a model is built: the truth registers a module with the same names whose
functions refuse to run, so a figure can never come from it.
"""
import sys
import types


def install() -> None:
    if 'safetensors._safetensors_rust' in sys.modules:
        return
    core = types.ModuleType('safetensors._safetensors_rust')

    class SafetensorError(Exception):
        pass

    def absent(*_args, **_kwargs):
        raise RuntimeError('the compiled safetensors core is not part of the corpus')

    core.SafetensorError = SafetensorError
    core.__version__ = '0.4.3'
    for name in ('deserialize', 'safe_open', 'serialize', 'serialize_file'):
        setattr(core, name, absent)
    sys.modules[core.__name__] = core
