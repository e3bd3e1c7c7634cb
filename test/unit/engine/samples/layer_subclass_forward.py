# subclasses of built-in layers whose forward calls super().forward(x) (timm's LayerNorm2d, LayerNormFp32)
# entry: Net()
# input: 2x3x16x16
import torch
import torch.nn as nn
import torch.nn.functional as F


class LayerNorm2d(nn.LayerNorm):
    def forward(self, x):
        x = x.permute(0, 2, 3, 1)
        x = super().forward(x)
        return x.permute(0, 3, 1, 2)


class LayerNormFp32(nn.LayerNorm):
    def forward(self, x):
        orig = x.dtype
        x = F.layer_norm(x.float(), self.normalized_shape, self.weight.float(), self.bias.float(), self.eps)
        return x.to(orig)


class ScaledLinear(nn.Linear):
    def __init__(self, *args, scale=0.5, **kwargs):
        super().__init__(*args, **kwargs)
        self.scale = scale

    def forward(self, x):
        return super().forward(x) * self.scale


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.norm = LayerNorm2d(8)
        self.norm32 = LayerNormFp32(8)
        self.head = ScaledLinear(8, 10)

    def forward(self, x):
        x = self.norm(self.conv(x))
        x = self.norm32(x.permute(0, 2, 3, 1))
        return self.head(x).mean((1, 2))
