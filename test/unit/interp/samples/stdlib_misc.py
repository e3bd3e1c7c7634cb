# stdlib bits library modules touch at import time: argparse, dir, sys, os.path, math, operator, copy, abc
import abc
import argparse
import copy
import logging
import math
import operator
import os
import sys
import warnings

RESULT = {}


class ParseKwargs(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, self.dest, dict(v.split("=") for v in values))


parser = argparse.ArgumentParser(description="train")
group = parser.add_argument_group("model")
group.add_argument("--model", default="resnet50", type=str)
parser.add_argument("--kw", nargs="*", action=ParseKwargs, default={})
RESULT["action_subclass"] = issubclass(ParseKwargs, argparse.Action)
ns = argparse.Namespace(a=1, b="x")
RESULT["namespace"] = [ns.a, ns.b]
ns.c = 0
RESULT["namespace_in"] = ["a" in ns, "c" in ns, "dropout" not in ns]


class Net:
    width = 4

    def grow(self):
        return 1


RESULT["dir_class"] = [n for n in dir(Net) if not n.startswith("__")]
RESULT["dir_instance_has"] = "grow" in dir(Net())
RESULT["dir_module"] = "sqrt" in dir(math) and "nope" not in dir(math)
RESULT["version_info"] = [sys.version_info >= (3, 8), sys.version_info[0], sys.version_info.major]
RESULT["os_path"] = [
    os.path.join("a", "b", "c.py"),
    os.path.basename("/x/y/z.py"),
    os.path.dirname("/x/y/z.py"),
    os.path.splitext("model.tar.gz"),
    os.path.split("/x/y"),
    os.path.abspath("/x/./y/../z.py"),
    os.sep,
]
RESULT["math"] = [math.ceil(7 / 2), math.floor(-0.5), math.isqrt(17), math.log2(8), math.gcd(12, 18), math.comb(5, 2), math.prod([2, 3])]
RESULT["math_float"] = [math.sqrt(16), math.radians(180) == math.pi, math.hypot(3, 4), math.copysign(2, -1)]
RESULT["operator"] = [
    operator.attrgetter("width")(Net()),
    operator.itemgetter(0, 2)("abc"),
    operator.methodcaller("upper")("x"),
    operator.floordiv(7, 2),
    operator.neg(3),
    operator.getitem([5, 6], 1),
]
orig = {"a": [1, 2]}
shallow = copy.copy(orig)
deep = copy.deepcopy(orig)
orig["a"].append(3)
RESULT["copy"] = [shallow["a"], deep["a"]]


class Base(abc.ABC):
    @abc.abstractmethod
    def f(self):
        ...


class Impl(Base):
    def f(self):
        return "impl"


RESULT["abc"] = Impl().f()
logger = logging.getLogger(__name__)
logger.info("x %s", 1)
logging.getLogger("timm").setLevel(logging.WARNING)
warnings.warn("deprecated", DeprecationWarning)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    RESULT["warnings_noop"] = True
RESULT["logging_levels"] = [logging.INFO, logging.DEBUG]
