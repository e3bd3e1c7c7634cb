import torch.nn as nn
from .heads import Heads
from .transform import Transform


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.transform = Transform()
        self.heads = Heads()

    def forward(self, x):
        return self.heads(self.transform(x))
