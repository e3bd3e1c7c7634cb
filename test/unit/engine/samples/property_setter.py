# a @property setter that builds a layer: `self.width = …` in __init__ goes through it
# entry: Net()
# input: 3x10
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self, width=54):
        super().__init__()
        self.width = width
        self.head = nn.Linear(self.width, 2)

    @property
    def width(self):
        return self.body.out_features

    @width.setter
    def width(self, w):
        self.body = nn.Linear(10, w)

    def forward(self, x):
        return self.head(F.relu(self.body(x)))
