# concrete tensor arithmetic in the constructor (arange, linspace, round, tolist)
# entry: Net()
# input: 1x3x8x8
import torch
import torch.nn as nn
import torch.nn.functional as F
import math
class Net(nn.Module):
    def __init__(self, depth=5, w0=24, wa=12.5, wm=2.2):
        super().__init__()
        widths = torch.arange(depth) * wa + w0
        caps = torch.round(torch.log(widths / w0) / math.log(wm))
        ws = (torch.round(w0 * torch.pow(wm, caps) / 8) * 8).int().tolist()
        drop = torch.linspace(0, 0.2, depth).tolist()
        layers, prev = [], 3
        for w, p in zip(ws, drop):
            layers += [nn.Conv2d(prev, w, 3, padding=1), nn.Dropout(p)]
            prev = w
        self.body = nn.Sequential(*layers)
    def forward(self, x):
        return self.body(x)
