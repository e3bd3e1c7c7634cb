# Python that installed libraries use while building: enums, deque, re, PEP 604 unions, star-unpacking of shapes
# entry: Net(Mode.WIDE)
# input: 2x3x8x8
import re
from collections import deque
from enum import Enum, auto

import torch
import torch.nn as nn

Width = int | None


class Mode(str, Enum):
    NARROW = "narrow"
    WIDE = "wide"


class Stage(Enum):
    STEM = auto()
    BODY = auto()


WIDTHS = {Mode.NARROW: 8, Mode.WIDE: 24}


class Net(nn.Module):
    def __init__(self, mode: Mode | str = "narrow", width: Width = None):
        super().__init__()
        mode = Mode(mode)
        width = width or WIDTHS[mode]
        spec = "c3_k3_s1" if mode == "narrow" else "c5_k3_s2"
        opts = dict(re.findall(r"([a-z])(\d+)", spec))
        layers = deque()
        for stage in Stage:
            layers.appendleft(nn.Conv2d(3 if stage is Stage.STEM else width, width, int(opts["k"]), padding=1))
        layers.reverse()
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(width, int(opts["c"]) * 2)

    def forward(self, x):
        b, c, *hw = x.shape
        n, ch, h, w = *self.body(x).shape[:3], x.shape[-1]
        y = self.body(x).reshape(b, ch, h * w).mean(-1)
        return self.head(y)
