# hyperparameters from a JSON file beside the script, read with json.load into an attribute dict
# entry: build()
# input: 1x80x8
import json
import os

import torch.nn as nn

CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'config.json')


class AttrDict(dict):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.__dict__ = self


class Generator(nn.Module):
    def __init__(self, h):
        super().__init__()
        ch = h.upsample_initial_channel
        self.pre = nn.Conv1d(h.num_mels, ch, 7, 1, padding=3)
        self.ups = nn.ModuleList()
        for i, u in enumerate(h.upsample_rates):
            self.ups.append(nn.ConvTranspose1d(ch // 2**i, ch // 2 ** (i + 1), u * 2, u, padding=u // 2))
        last = ch // 2 ** len(h.upsample_rates)
        # a float scale: 1.5 * 8 is 12.0, int() of it 12 (an int read as a float would still be exact here)
        self.mid = nn.Conv1d(last, int(last * h.width_mult), max(h.resblock_kernel_sizes), padding=5)
        self.post = nn.Conv1d(int(last * h.width_mult), 1, 7, 1, padding=3)
        self.slope = h.leaky_relu_slope

    def forward(self, x):
        x = self.pre(x)
        for up in self.ups:
            x = up(nn.functional.leaky_relu(x, self.slope))
        return self.post(self.mid(x))


def build():
    with open(CONFIG) as f:
        h = AttrDict(json.load(f))
    return Generator(h)
