# builder functions passing blocks and lists through **kwargs (torchvision style)
# entry: net18(num_classes=7)
# input: 1x3x16x16
import torch
import torch.nn as nn
import torch.nn.functional as F
class Block(nn.Module):
    expansion = 2
    def __init__(self, cin, c):
        super().__init__()
        self.conv = nn.Conv2d(cin, c * self.expansion, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(c * self.expansion)
    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))
class Net(nn.Module):
    def __init__(self, block, layers, num_classes=10, width=8):
        super().__init__()
        mods, cin = [], 3
        for i, n in enumerate(layers):
            for _ in range(n):
                mods.append(block(cin, width * 2 ** i))
                cin = width * 2 ** i * block.expansion
        self.body = nn.Sequential(*mods)
        self.fc = nn.Linear(cin, num_classes)
    def forward(self, x):
        return self.fc(self.body(x).mean((2, 3)))
def _net(block, layers, weights, **kwargs):
    if weights is not None:
        kwargs['num_classes'] = 1000
    return Net(block, layers, **kwargs)
def net18(*, weights=None, **kwargs):
    return _net(Block, [2, 2], weights, **kwargs)
