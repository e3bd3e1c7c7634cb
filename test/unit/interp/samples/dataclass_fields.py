# dataclasses: fields, defaults, default_factory, __post_init__, replace, asdict, eq
from dataclasses import dataclass, field, asdict, replace, fields

RESULT = {}


@dataclass
class Cfg:
    d_model: int = 48
    n_layer: int = 3
    mults: list = field(default_factory=lambda: [1, 2, 4])
    name: str = "base"

    def hidden(self):
        return self.d_model * self.mults[-1]


c = Cfg()
RESULT["defaults"] = [c.d_model, c.n_layer, c.mults, c.name]
RESULT["method"] = c.hidden()
c2 = Cfg(64, name="big")
RESULT["positional_and_keyword"] = [c2.d_model, c2.n_layer, c2.name]
RESULT["factory_fresh"] = Cfg().mults is not Cfg().mults
RESULT["eq"] = [Cfg() == Cfg(), Cfg(1) == Cfg(2)]
RESULT["replace"] = replace(c, n_layer=6).n_layer
RESULT["asdict"] = asdict(Cfg(8))
RESULT["field_names"] = [f.name for f in fields(Cfg)]


@dataclass
class Derived:
    a: int
    b: int = 2

    def __post_init__(self):
        self.total = self.a + self.b


RESULT["post_init"] = Derived(5).total


@dataclass
class Child(Cfg):
    dropout: float = 0.1


RESULT["inherited_fields"] = [Child().d_model, Child(dropout=0.5).dropout, Child(16).d_model]


@dataclass(frozen=True)
class Frozen:
    x: int = 1


RESULT["frozen_read"] = Frozen(3).x
