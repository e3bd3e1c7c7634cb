// The dtype of each tensor given with --input: what torch requires of the layer forward passes it
// to (torch 1.13: an int64 hidden state makes nn.GRU raise "mat1 and mat2 must have the same dtype";
// float indices make nn.Embedding raise), else a guess the report states.
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../editor/analyze';

const GRU_LM = `import torch.nn as nn


class GRULM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(100, 16)
        self.rnn = nn.GRU(16, 20, 2, batch_first=True)
        self.out = nn.Linear(20, 100)

    def forward(self, tokens, hidden):
        state = hidden.clone()
        y, h = self.rnn(self.embed(tokens), state)
        return self.out(y), h
`;

describe('--input dtypes of a language model with a recurrent state', () => {
  it('gives the hidden state float32, as nn.GRU requires, not the token ids int64', async () => {
    const m = (await analyzeSource(GRU_LM, { input: '1x10,2x1x20' })).models[0]!;
    // output bytes measured with real torch (forward hooks; clone of a float32 2x1x20 state):
    // embed 640, rnn (y, h) 960, out 4000, hidden.clone() 160
    expect(m.activationBytes).toBe(640 + 960 + 4000 + 160);
    expect(m.assumptions).toContain('input dtypes: tokens int64 (passed to Embedding embed), hidden float32 (passed to GRU rnn)');
  });

  it('states a guess when no layer decides', async () => {
    const source = GRU_LM.replace('state = hidden.clone()', 'state = hidden.clone() * 1');
    const m = (await analyzeSource(source, { input: '1x10,2x1x20' })).models[0]!;
    expect(m.assumptions).toContain('input dtypes: tokens int64 (passed to Embedding embed), hidden int64 (as the first input, assumed)');
  });

  it('says nothing more for a single input', async () => {
    const m = (await analyzeSource(GRU_LM.replace(', hidden):', ', hidden=None):'), { input: '1x10' })).models[0]!;
    expect(m.assumptions.some((a) => a.startsWith('input dtypes'))).toBe(false);
  });
});

describe('a parameter rebound in forward', () => {
  it('is not judged by where its new value goes', async () => {
    const source = `import torch.nn as nn


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(100, 16)
        self.fc = nn.Linear(16, 5)

    def forward(self, x, mask):
        x = self.embed(x)
        return self.fc(x) * mask
`;
    const m = (await analyzeSource(source, { input: '1x10,1x10x5' })).models[0]!;
    expect(m.assumptions).toContain('input dtypes: x int64 (from the first layer, assumed), mask int64 (as the first input, assumed)');
  });
});
