# Transformer layers from torch.nn
# entry: Enc()
# input: 2x12x32
import torch
import torch.nn as nn
import torch.nn.functional as F
class Enc(nn.Module):
    def __init__(self, d=32, nhead=4, layers=2):
        super().__init__()
        layer = nn.TransformerEncoderLayer(d, nhead, dim_feedforward=64, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, layers)
        self.out = nn.Linear(d, 2)
    def forward(self, x):
        return self.out(self.enc(x))
