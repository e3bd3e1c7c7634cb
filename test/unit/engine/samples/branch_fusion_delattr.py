# a structural re-parameterization: branches fused into one conv, then removed with self.__delattr__
# entry: fused()
# input: 1x8x16x16
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Sequential(nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c))
        self.point = nn.Sequential(nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c))

    def forward(self, x):
        if hasattr(self, 'fused'):
            return torch.relu(self.fused(x))
        return torch.relu(self.dense(x) + self.point(x))

    def switch_to_deploy(self):
        kernel = self.dense[0].weight + nn.functional.pad(self.point[0].weight, [1, 1, 1, 1])
        self.fused = nn.Conv2d(kernel.shape[1], kernel.shape[0], 3, padding=1)
        self.fused.weight.data = kernel
        self.__delattr__('dense')
        self.__delattr__('point')


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.Sequential(Block(8), Block(8), Block(8))
        self.head = nn.Linear(8, 4)

    def forward(self, x):
        return self.head(self.blocks(x).mean(dim=(2, 3)))


def fused():
    model = Net()
    for module in model.modules():
        if hasattr(module, 'switch_to_deploy'):
            module.switch_to_deploy()
    return model
