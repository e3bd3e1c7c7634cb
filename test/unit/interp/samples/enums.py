# enum.Enum members: value, name, lookup, iteration, comparison, auto
from enum import Enum, IntEnum, auto

RESULT = {}


class Color(Enum):
    RED = 1
    GREEN = 2
    BLUE = 3


class Size(IntEnum):
    SMALL = 8
    LARGE = 64


class Mode(Enum):
    TRAIN = auto()
    EVAL = auto()


RESULT["value_name"] = [Color.RED.value, Color.GREEN.name]
RESULT["lookup"] = [Color(2).name, Color["BLUE"].value]
RESULT["iterate"] = [c.name for c in Color]
RESULT["compare"] = [Color.RED == Color.RED, Color.RED == Color.BLUE, Color.RED is Color(1)]
RESULT["isinstance"] = isinstance(Color.RED, Color)
RESULT["intenum_value"] = Size.LARGE.value * 2
RESULT["auto"] = [Mode.TRAIN.value, Mode.EVAL.value]
RESULT["len"] = len(Color)
RESULT["in_dict"] = {Color.RED: "r"}[Color.RED]
