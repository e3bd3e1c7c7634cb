# annotations and typing constructs model files carry: they evaluate and change nothing
from typing import Dict, List, NamedTuple, Optional, Tuple, Union

RESULT = {}


def scale(xs: List[int], k: Optional[int] = None) -> List[int]:
    return [x * (k or 1) for x in xs]


RESULT["annotated_function"] = scale([1, 2], 3)
width: int = 64
RESULT["annotated_assign"] = width
table: Dict[str, Tuple[int, int]] = {"a": (1, 2)}
RESULT["generic_alias"] = table["a"]


class Shape(NamedTuple):
    h: int
    w: int = 1


s = Shape(3)
RESULT["namedtuple_class"] = [s.h, s.w, s[0], Shape(2, 5).w]


class Cfg:
    layers: int = 4
    kind: Union[str, None] = None


RESULT["class_annotations"] = [Cfg.layers, Cfg.kind, sorted(Cfg.__annotations__)]
