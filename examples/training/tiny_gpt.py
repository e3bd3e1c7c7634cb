"""A tiny GPT (character level) on a synthetic corpus: epochs x steps per epoch with a DataLoader.
CPU-friendly by default; `--device cuda` for the GPU validation script.

    /usr/bin/python3 examples/training/tiny_gpt.py --epochs 1
"""
import argparse
import math

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset


class CharWindows(Dataset):
    """Fixed-length windows of a synthetic corpus of repeated, shuffled words."""

    def __init__(self, block, samples, seed):
        g = torch.Generator().manual_seed(seed)
        words = ["energy", "watt", "joule", "carbon", "model", "train", "step", "loss", "grid", "pilot"]
        order = torch.randint(len(words), (samples + block,), generator=g).tolist()
        text = " ".join(words[i] for i in order)
        self.vocab = sorted(set(text))
        ids = torch.tensor([self.vocab.index(c) for c in text])
        self.data, self.block, self.samples = ids, block, samples

    def __len__(self):
        return self.samples

    def __getitem__(self, i):
        chunk = self.data[i:i + self.block + 1]
        return chunk[:-1], chunk[1:]


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, mask):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class TinyGPT(nn.Module):
    def __init__(self, vocab, block, d=64, layers=2, heads=4):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, d), nn.Embedding(block, d)
        self.blocks = nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.head = nn.Linear(d, vocab)
        self.register_buffer("mask", torch.triu(torch.full((block, block), -math.inf), 1))

    def forward(self, idx):
        x = self.tok(idx) + self.pos(torch.arange(idx.shape[1], device=idx.device))
        for b in self.blocks:
            x = b(x, self.mask[: idx.shape[1], : idx.shape[1]])
        return self.head(x)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--samples", type=int, default=8192)
    p.add_argument("--block", type=int, default=32)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--width", type=int, default=64, help="model width d")
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--device", default="cpu")
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    data = CharWindows(args.block, args.samples, seed=0)
    loader = DataLoader(data, batch_size=args.batch_size, shuffle=True, drop_last=True)
    model = TinyGPT(len(data.vocab), args.block, d=args.width, layers=args.layers, heads=args.heads).to(args.device)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr)
    for epoch in range(args.epochs):
        for x, y in loader:
            x, y = x.to(args.device), y.to(args.device)
            logits = model(x)
            loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()


if __name__ == "__main__":
    main()
