import torch.nn as nn


class Block(nn.Module):
    def __init__(self, c, dropout):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        return self.drop(self.conv(x)).relu()
