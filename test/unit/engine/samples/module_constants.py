# module constants and functions
# entry: Net()
# input: 4x32
import torch
import torch.nn as nn
import torch.nn.functional as F
HIDDEN = 64
def width(k):
    return HIDDEN * k
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(32, width(2))
        self.b = nn.Linear(width(2), 10)
    def forward(self, x):
        return self.b(F.relu(self.a(x)))
