"""A plain multilayer perceptron for flattened 28x28 MNIST digits."""
import torch
from torch import nn


class MLP(nn.Module):
    def __init__(self, in_features=784, hidden=512, num_classes=10, dropout=0.1):
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.Linear(in_features, hidden),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, num_classes),
        )

    def forward(self, x):
        return self.net(x)


if __name__ == "__main__":
    model = MLP()
    x = torch.randn(64, 1, 28, 28)
    print(model(x).shape)
    print(sum(p.numel() for p in model.parameters()), "parameters")
