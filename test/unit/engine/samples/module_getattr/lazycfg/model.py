# a module-level __getattr__ (PEP 562) answering attribute reads and from-imports
# entry: Net()
# input: 2x16
import torch.nn as nn

import lazycfg
from lazycfg import BIG


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(lazycfg.SMALL, BIG)
        self.out = nn.Linear(BIG, getattr(lazycfg, "SMALL"))

    def forward(self, x):
        return self.out(self.fc(x))
