# Idioms of library code at import time (transformers, huggingface_hub): optional imports,
# importlib probes, logging set-up, config classes that map attribute names, ModelOutput.
# expect-unknown: dist_version — installed versions are not read
import importlib
import importlib.metadata
import importlib.util
import logging
import types
from collections import OrderedDict
from dataclasses import MISSING, dataclass, fields
from typing import Optional

RESULT = {}

# set operators on a dict's keys
submodules = {"a", "b"}
attrs = {"x": "a", "y": "b"}
RESULT["set_or_keys"] = sorted(submodules | attrs.keys())
RESULT["keys_minus_set"] = sorted(attrs.keys() - {"x"})

# built-in exceptions library code names
RESULT["exceptions"] = [
    issubclass(TimeoutError, OSError),
    issubclass(ConnectionError, OSError),
    EnvironmentError is OSError,
    IOError is OSError,
    issubclass(UnicodeDecodeError, ValueError),
]

# an optional dependency: the fallback runs when it is not installed
try:
    from no_such_package_wattlens.normalization import FusedNorm  # noqa: F401

    HAS_FUSED = True
except ImportError:
    HAS_FUSED = False
RESULT["optional_import"] = HAS_FUSED

# importlib probes
RESULT["find_spec"] = [importlib.util.find_spec("no_such_package_wattlens") is None, importlib.util.find_spec("math") is not None]
RESULT["import_module_relative"] = importlib.import_module(".path", "os").join("a", "b")
try:
    RESULT["dist_version"] = importlib.metadata.version("no_such_package_wattlens")
except importlib.metadata.PackageNotFoundError:
    RESULT["dist_version"] = "not installed"

# logging configured at import time
logger = logging.getLogger("wattlens.sample")
handler = logging.StreamHandler()
handler.setFormatter(logging.Formatter("%(message)s"))
logger.addHandler(handler)
logger.setLevel(logging.INFO)
logger.propagate = False


def warning_once(self, *args, **kwargs):
    self.warning(*args, **kwargs)
    return "warned"


logging.Logger.warning_once = warning_once
RESULT["logging"] = [logging.getLogger("wattlens.sample") is logger, logger.warning_once("x"), logging.WARNING, logger.propagate]


# a module subclass answering names lazily
class LazyModule(types.ModuleType):
    def __init__(self, name, structure):
        super().__init__(name)
        self._structure = structure

    def __getattr__(self, name):
        if name in self._structure:
            value = self._structure[name] * 2
            setattr(self, name, value)
            return value
        raise AttributeError(name)


lazy = LazyModule("pkg", {"a": 21})
RESULT["lazy_module"] = [lazy.__name__, lazy.a, hasattr(lazy, "b")]


# a config class mapping attribute names through __getattribute__ / __setattr__
class Config:
    attribute_map = {"hidden_size": "n_embd"}

    def __init__(self, n_embd=768, label2id=None):
        self.n_embd = n_embd
        self.label2id = label2id

    def __setattr__(self, key, value):
        if key in super().__getattribute__("attribute_map"):
            key = super().__getattribute__("attribute_map")[key]
        super().__setattr__(key, value)

    def __getattribute__(self, key):
        if key != "attribute_map" and key in super().__getattribute__("attribute_map"):
            key = super().__getattribute__("attribute_map")[key]
        return super().__getattribute__(key)


c = Config()
c.hidden_size = 1024
RESULT["attribute_map"] = [c.hidden_size, c.n_embd, c.label2id, hasattr(c, "missing")]


# a dataclass output that is also an OrderedDict (transformers' ModelOutput)
class ModelOutput(OrderedDict):
    def __post_init__(self):
        class_fields = fields(self)
        if not all(field.default is None for field in class_fields[1:]):
            raise ValueError("more than one required field")
        for field in class_fields:
            v = getattr(self, field.name)
            if v is not None:
                self[field.name] = v

    def __setattr__(self, name, value):
        if name in self.keys() and value is not None:
            super().__setitem__(name, value)
        super().__setattr__(name, value)

    def to_tuple(self):
        return tuple(self[k] for k in self.keys())


@dataclass
class BaseOutput(ModelOutput):
    last_hidden_state: Optional[int] = None
    hidden_states: Optional[int] = None
    attentions: Optional[int] = None


out = BaseOutput(last_hidden_state=3, attentions=5)
RESULT["model_output"] = [list(out.keys()), out.to_tuple(), out["attentions"], out.last_hidden_state, len(out)]
RESULT["field_defaults"] = [fields(BaseOutput)[0].default, fields(BaseOutput)[0].default_factory is MISSING]
