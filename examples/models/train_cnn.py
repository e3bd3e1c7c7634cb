"""Trains CifarCNN for a few steps on synthetic CIFAR-shaped data (no download needed).

Swap `synthetic_batches` for a torchvision CIFAR10 DataLoader to train for real.
"""
import time

import torch
from torch import nn

from cnn import CifarCNN

BATCH_SIZE = 64
STEPS = 20
LEARNING_RATE = 1e-3


def synthetic_batches(steps, batch_size):
    generator = torch.Generator().manual_seed(0)
    for _ in range(steps):
        images = torch.randn(batch_size, 3, 32, 32, generator=generator)
        labels = torch.randint(0, 10, (batch_size,), generator=generator)
        yield images, labels


def main():
    torch.manual_seed(0)
    model = CifarCNN()
    optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    start = time.perf_counter()
    for step, (images, labels) in enumerate(synthetic_batches(STEPS, BATCH_SIZE)):
        optimizer.zero_grad()
        loss = loss_fn(model(images), labels)
        loss.backward()
        optimizer.step()
        if step % 5 == 0:
            print(f"step {step:3d}  loss {loss.item():.4f}")
    print(f"{STEPS} steps in {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
