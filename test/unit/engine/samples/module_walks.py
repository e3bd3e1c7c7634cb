# modules(), parameters() and buffers() with a shared submodule and a tied weight, sizing later layers
# entry: Walked()
# input: 2x6
import torch
import torch.nn as nn
class Walked(nn.Module):
    def __init__(self):
        super().__init__()
        shared = nn.Linear(6, 6)
        self.a = nn.Sequential(shared, nn.ReLU(), nn.BatchNorm1d(6))
        self.b = nn.Sequential(shared, nn.Linear(6, 6))
        self.b[1].weight = self.a[0].weight
        n_modules = len(list(self.modules()))
        n_params = len(list(self.parameters()))
        n_buffers = len(list(self.buffers()))
        kinds = [type(m).__name__ for m in self.modules()]
        self.requires_grad_(False)
        frozen = sum(1 for p in self.parameters() if p.requires_grad)
        self.eval()
        # 7 modules (the shared Linear once), 5 distinct parameters (the tied weight once), BatchNorm1d 5th, 3 buffers
        self.head = nn.Linear(6, n_modules * 10 + n_params + kinds.index('BatchNorm1d') + frozen)
        self.tail = nn.Linear(self.head.out_features, n_buffers + 1)
    def forward(self, x):
        return self.tail(self.head(self.b(self.a(x))))
