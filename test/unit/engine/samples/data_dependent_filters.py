# data-dependent filters at their upper bound (torch.where, nonzero, x[mask], masked_select), advanced indices, Sequential slices
# entry: Net()
# input: 2x6x8
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 5)
        self.head = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 8))
        # a slice of a Sequential is a Sequential; isinstance knows slice and type(None)
        self.tail = nn.Sequential(*self.head[:2]) if isinstance(self.head[1:], nn.Sequential) else nn.Identity()
        self.extra = nn.Linear(8, 3) if isinstance(None, (nn.Linear, type(None))) else nn.Identity()

    def forward(self, x):
        flat = x.reshape(-1, 8)
        # always true: real torch keeps every row, as the upper bound does
        keep = flat[:, 0].abs() >= 0
        idx = torch.where(keep)[0]
        nz = torch.nonzero(keep)
        picked = flat[idx]
        masked = flat[keep]
        selected = torch.masked_select(flat, flat.abs() >= 0).reshape(-1, 8)
        # advanced indices broadcast together and take the place of the first (adjacent) or go first
        batch = torch.arange(2)[:, None]
        cols = torch.arange(3)[None, :].expand(2, 3)
        adjacent = x[batch, cols]
        apart = x[[0, 1], :, [2, 3]]
        return (
            self.fc(picked).sum()
            + self.fc(masked).sum()
            + self.fc(selected).sum()
            + self.fc(adjacent).sum()
            + torch.matmul(apart, torch.ones(6, 4)).sum()
            + self.head(picked[nz[:, 0]]).sum()
            + self.tail(adjacent).sum()
            + self.extra(picked).sum()
        )
