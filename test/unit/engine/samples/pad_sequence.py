# torch.nn.utils.rnn imported by its dotted name; pad_sequence pads to the longest sequence
# entry: Net()
# input: 2x10x8
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(8, 16)
        self.mix = nn.Linear(7, 3)

    def forward(self, x):
        first, second = x.unbind(0)
        pieces = [first[:4], second[:7], first[2:5]]
        padded = pad_sequence(pieces, batch_first=True)
        y = self.proj(padded)
        time_major = pad_sequence(pieces)
        return self.mix(y.transpose(1, 2)), time_major.sum()
