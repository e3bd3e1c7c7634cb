# weight tying counts the shared tensor once
# entry: LM()
# input: 2x7
# input-dtype: long
import torch
import torch.nn as nn
import torch.nn.functional as F
class LM(nn.Module):
    def __init__(self, vocab=100, d=16):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.rnn = nn.GRU(d, d, batch_first=True)
        self.head = nn.Linear(d, vocab, bias=False)
        self.emb.weight = self.head.weight
    def forward(self, idx):
        h, _ = self.rnn(self.emb(idx))
        return self.head(h)
