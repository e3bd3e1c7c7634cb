import torch.nn as nn

HIDDEN = 4


def tiny(width):
    return nn.Sequential(nn.Linear(width, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 2))


def wide(width):
    return nn.Sequential(nn.Linear(width, 4 * HIDDEN), nn.ReLU(), nn.Linear(4 * HIDDEN, 2))
