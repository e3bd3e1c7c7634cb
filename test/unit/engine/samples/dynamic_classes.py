# classes made and changed at run time: type(name, bases, dict) subclassing nn.Module, a layer
# removed with delattr, a class attribute deleted, a module global rebound through globals()
# entry: Net()
# input: 2x16
import torch
import torch.nn as nn

HIDDEN = 8
for _name, _width in [("WIDE", 32)]:
    globals()[_name] = _width
globals()["HIDDEN"] = WIDE  # noqa: F821


def _block_init(self, width):
    nn.Module.__init__(self)
    self.fc = nn.Linear(width, width)
    self.spare = nn.Linear(width, 1000)
    delattr(self, "spare")


Block = type("Block", (nn.Module,), {"__init__": _block_init, "forward": lambda self, x: torch.relu(self.fc(x))})


class Config:
    depth = 3


class Small(Config):
    depth = 1


del Small.depth  # back to the parent's depth


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(16, HIDDEN)
        self.blocks = nn.Sequential(*[Block(HIDDEN) for _ in range(Small.depth)])

    def forward(self, x):
        return self.blocks(self.inp(x))
