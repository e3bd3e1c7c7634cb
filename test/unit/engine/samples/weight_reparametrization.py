# weight reparametrizations: spectral_norm (weight_orig and u, v buffers; W v and a dot product on every call, rows along dim 1 for a transposed convolution; its hook kept by deepcopy; the parametrization too), weight_norm, remove_weight_norm (as hifi-gan's inference folds it away)
# entry: Net()
# input: 1x8x16
import copy

import torch
from torch import nn
from torch.nn.utils import remove_weight_norm, spectral_norm, weight_norm
from torch.nn.utils.parametrizations import spectral_norm as parametrized_spectral_norm


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = spectral_norm(nn.Conv1d(8, 32, 3, padding=1))
        self.up = spectral_norm(nn.ConvTranspose1d(32, 16, 4, stride=2, padding=1))
        self.post = weight_norm(nn.Conv1d(16, 4, 3, padding=1))
        self.kept = weight_norm(nn.Conv1d(4, 2, 1))
        self.head = spectral_norm(nn.Linear(64, 64), n_power_iterations=3)
        self.tail = copy.deepcopy(self.head)
        self.out = parametrized_spectral_norm(nn.Linear(64, 64))
        remove_weight_norm(self.post)

    def forward(self, x):
        x = self.kept(self.post(self.up(self.conv(x))))
        x = x.flatten(1)
        return self.out(self.tail(self.head(self.head(x))))
