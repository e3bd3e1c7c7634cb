# enum as library code uses it: str mixins, members by value and name, __members__, IntEnum arithmetic
from enum import Enum, IntEnum, IntFlag, auto

RESULT = {}


class Format(str, Enum):
    NCHW = "NCHW"
    NHWC = "NHWC"


class Interp(Enum):
    NEAREST = "nearest"
    BILINEAR = "bilinear"


class Stage(IntEnum):
    STEM = auto()
    BODY = auto()


RESULT["str_mixin"] = [Format.NCHW == "NCHW", Format("NHWC").name, Format.NHWC.value, isinstance(Format.NCHW, str)]
RESULT["by_value_name"] = [Interp("bilinear").name, Interp["NEAREST"].value]
table = {m.value: m for m in Interp}
RESULT["table"] = table["bilinear"].name
RESULT["members"] = list(Interp.__members__)
RESULT["intenum"] = [Stage.BODY + 1, Stage.BODY > Stage.STEM, int(Stage.STEM), Stage(2).name]
try:
    Interp("cubic")
    RESULT["bad_value"] = "no error"
except ValueError:
    RESULT["bad_value"] = "ValueError"
RESULT["identity"] = Interp("nearest") is Interp.NEAREST
RESULT["str_value"] = Format.NCHW.value.lower()
