# X | Y in annotations and type aliases evaluated at module level; typing constructs as no-ops
from typing import Any, Callable, Final, Literal, Optional, TypeVar, Union, TYPE_CHECKING
import typing

RESULT = {}
IntOrNone = int | None
Shape = tuple[int, ...] | list[int]
Layer = Union[int, str]
T = TypeVar("T")
Act = Callable[..., Any]
Mode = Literal["a", "b"]
MAX: Final = 3
PadType = Union[str, int, tuple[int, int]]


def pad(x: int | None = None, mode: Optional["str"] = None) -> list[int] | None:
    return [x or 0]


RESULT["union_alias_call"] = pad(3)
RESULT["final"] = MAX
RESULT["type_checking"] = TYPE_CHECKING
RESULT["isinstance_union"] = [isinstance(3, int | str), isinstance(None, int | None), isinstance(2.0, int | str)]
RESULT["isinstance_tuple_types"] = isinstance("a", (int, str))
if TYPE_CHECKING:
    RESULT["not_run"] = 1


class Block:
    kind: str | None = None
    dims: dict[str, int] | None = None

    def forward(self, x: "Block | None" = None) -> int | float:
        return 1


RESULT["class_union_annotations"] = [Block.kind, Block().forward()]
RESULT["generic_subscript"] = [list[int]([1, 2]), dict[str, int](a=1)]
RESULT["cast"] = typing.cast(int, 5)
