# if / elif / while / comprehensions with conditions
# entry: Net()
# input: 1x3x16x16
import torch
import torch.nn as nn
import torch.nn.functional as F
class Net(nn.Module):
    def __init__(self, channels=(3, 16, 32, 64), pool_every=2):
        super().__init__()
        convs = [nn.Conv2d(a, b, 3, padding=1) for a, b in zip(channels[:-1], channels[1:]) if b > 8]
        i = 0
        mods = []
        while i < len(convs):
            mods.append(convs[i])
            if (i + 1) % pool_every == 0:
                mods.append(nn.MaxPool2d(2))
            elif i == 0:
                mods.append(nn.BatchNorm2d(16))
            else:
                mods.append(nn.Identity())
            i += 1
        self.features = nn.Sequential(*mods)
        self.fc = nn.Linear({c: c * 8 * 8 for c in channels}[64], 10)
    def forward(self, x):
        return self.fc(torch.flatten(self.features(x), 1))
