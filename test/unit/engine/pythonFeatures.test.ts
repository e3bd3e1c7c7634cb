// The Python that real model files use, one construct per case, each checked against what
// real torch builds from the same file (parameters exactly, MACs within 1%).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelReport } from '../../../src/core/report/types';
import { torchTruth, type TorchResult } from '../../support/torchTruth';
import { sharedEngine } from './truthCorpus';

interface Case {
  name: string;
  /** Files of the case: the first is the one analyzed. */
  files: Record<string, string>;
  entry: string;
  input: string;
  long?: boolean;
}

const HEADER = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

const CASES: Case[] = [
  {
    name: 'module constants and functions',
    files: { 'm.py': `${HEADER}HIDDEN = 64\ndef width(k):\n    return HIDDEN * k\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.a = nn.Linear(32, width(2))\n        self.b = nn.Linear(width(2), 10)\n    def forward(self, x):\n        return self.b(F.relu(self.a(x)))\n` },
    entry: 'Net()',
    input: '4x32',
  },
  {
    name: 'inheritance, super().__init__ with arguments, *args / **kwargs',
    files: { 'm.py': `${HEADER}class Base(nn.Module):\n    def __init__(self, d, *args, scale=2, **kwargs):\n        super().__init__()\n        self.proj = nn.Linear(d, d * scale, **kwargs)\n        self.extra = len(args)\nclass Child(Base):\n    def __init__(self, d=16):\n        super().__init__(d, 1, 2, scale=3, bias=False)\n        self.out = nn.Linear(d * 3 + self.extra, 5)\n    def forward(self, x):\n        y = self.proj(x)\n        return self.out(torch.cat([y, x[:, :2]], dim=1))\n` },
    entry: 'Child()',
    input: '2x16',
  },
  {
    name: '@dataclass config with defaults and a derived field',
    files: { 'm.py': `${HEADER}from dataclasses import dataclass, field\n@dataclass\nclass Cfg:\n    d_model: int = 48\n    n_layer: int = 3\n    mults: list = field(default_factory=lambda: [1, 2, 4])\n    def hidden(self):\n        return self.d_model * self.mults[-1]\nclass Net(nn.Module):\n    def __init__(self, cfg=Cfg()):\n        super().__init__()\n        self.blocks = nn.ModuleList([nn.Linear(cfg.d_model, cfg.d_model) for _ in range(cfg.n_layer)])\n        self.head = nn.Linear(cfg.d_model, cfg.hidden())\n    def forward(self, x):\n        for b in self.blocks:\n            x = x + b(x)\n        return self.head(x)\n` },
    entry: 'Net()',
    input: '2x10x48',
  },
  {
    name: 'plain config object, getattr / setattr / hasattr / isinstance',
    files: { 'm.py': `${HEADER}class Config:\n    def __init__(self, **kw):\n        self.depth = 2\n        for k, v in kw.items():\n            setattr(self, k, v)\nclass Net(nn.Module):\n    def __init__(self, cfg=None):\n        super().__init__()\n        cfg = cfg or Config(width=20)\n        w = getattr(cfg, 'width', 8)\n        act = nn.GELU() if hasattr(cfg, 'gelu') else nn.ReLU()\n        layers = []\n        for i in range(cfg.depth):\n            layers += [nn.Linear(w, w), act]\n        self.body = nn.Sequential(*layers)\n        assert isinstance(self.body, nn.Module) and not isinstance(w, float)\n    def forward(self, x):\n        return self.body(x)\n` },
    entry: 'Net()',
    input: '3x20',
  },
  {
    name: 'if / elif / while / comprehensions with conditions',
    files: { 'm.py': `${HEADER}class Net(nn.Module):\n    def __init__(self, channels=(3, 16, 32, 64), pool_every=2):\n        super().__init__()\n        convs = [nn.Conv2d(a, b, 3, padding=1) for a, b in zip(channels[:-1], channels[1:]) if b > 8]\n        i = 0\n        mods = []\n        while i < len(convs):\n            mods.append(convs[i])\n            if (i + 1) % pool_every == 0:\n                mods.append(nn.MaxPool2d(2))\n            elif i == 0:\n                mods.append(nn.BatchNorm2d(16))\n            else:\n                mods.append(nn.Identity())\n            i += 1\n        self.features = nn.Sequential(*mods)\n        self.fc = nn.Linear({c: c * 8 * 8 for c in channels}[64], 10)\n    def forward(self, x):\n        return self.fc(torch.flatten(self.features(x), 1))\n` },
    entry: 'Net()',
    input: '1x3x16x16',
  },
  {
    name: 'functools.partial for norm layers, OrderedDict, ModuleDict',
    files: { 'm.py': `${HEADER}from collections import OrderedDict\nfrom functools import partial\nclass Net(nn.Module):\n    def __init__(self, norm=partial(nn.GroupNorm, 4)):\n        super().__init__()\n        self.stem = nn.Sequential(OrderedDict([('conv', nn.Conv2d(3, 8, 3)), ('norm', norm(8)), ('act', nn.SiLU())]))\n        self.heads = nn.ModuleDict({'cls': nn.Linear(8, 5), 'box': nn.Linear(8, 4)})\n    def forward(self, x):\n        y = self.stem(x).mean(dim=(2, 3))\n        return {k: h(y) for k, h in self.heads.items()}\n` },
    entry: 'Net()',
    input: '2x3x12x12',
  },
  {
    name: 'nn.Parameter counts, register_buffer does not',
    files: { 'm.py': `${HEADER}class Net(nn.Module):\n    def __init__(self, n=10, d=6):\n        super().__init__()\n        self.pos = nn.Parameter(torch.zeros(1, n, d))\n        self.scale = nn.Parameter(torch.ones(d) * 0.5)\n        self.register_buffer('mask', torch.tril(torch.ones(n, n)))\n        self.fc = nn.Linear(d, d)\n    def forward(self, x):\n        return self.fc(x + self.pos) * self.scale\n` },
    entry: 'Net()',
    input: '2x10x6',
  },
  {
    name: 'concrete tensor arithmetic in the constructor (arange, linspace, round, tolist)',
    files: { 'm.py': `${HEADER}import math\nclass Net(nn.Module):\n    def __init__(self, depth=5, w0=24, wa=12.5, wm=2.2):\n        super().__init__()\n        widths = torch.arange(depth) * wa + w0\n        caps = torch.round(torch.log(widths / w0) / math.log(wm))\n        ws = (torch.round(w0 * torch.pow(wm, caps) / 8) * 8).int().tolist()\n        drop = torch.linspace(0, 0.2, depth).tolist()\n        layers, prev = [], 3\n        for w, p in zip(ws, drop):\n            layers += [nn.Conv2d(prev, w, 3, padding=1), nn.Dropout(p)]\n            prev = w\n        self.body = nn.Sequential(*layers)\n    def forward(self, x):\n        return self.body(x)\n` },
    entry: 'Net()',
    input: '1x3x8x8',
  },
  {
    name: 'decorators: a known one is followed, an unknown one falls back to the function',
    files: { 'm.py': `${HEADER}import functools\ntry:\n    from some_unknown_registry import register\nexcept ImportError:\n    register = lambda name: (lambda fn: fn)\ndef traced(fn):\n    @functools.wraps(fn)\n    def wrapper(*a, **k):\n        return fn(*a, **k)\n    return wrapper\n@register('tiny')\n@traced\ndef tiny(*, width=12, **kwargs):\n    return nn.Sequential(nn.Linear(7, width, **kwargs), nn.ReLU(), nn.Linear(width, 3))\n` },
    entry: 'tiny()',
    input: '5x7',
  },
  {
    name: 'builder functions passing blocks and lists through **kwargs (torchvision style)',
    files: {
      'm.py': `${HEADER}class Block(nn.Module):\n    expansion = 2\n    def __init__(self, cin, c):\n        super().__init__()\n        self.conv = nn.Conv2d(cin, c * self.expansion, 3, padding=1, bias=False)\n        self.bn = nn.BatchNorm2d(c * self.expansion)\n    def forward(self, x):\n        return F.relu(self.bn(self.conv(x)))\nclass Net(nn.Module):\n    def __init__(self, block, layers, num_classes=10, width=8):\n        super().__init__()\n        mods, cin = [], 3\n        for i, n in enumerate(layers):\n            for _ in range(n):\n                mods.append(block(cin, width * 2 ** i))\n                cin = width * 2 ** i * block.expansion\n        self.body = nn.Sequential(*mods)\n        self.fc = nn.Linear(cin, num_classes)\n    def forward(self, x):\n        return self.fc(self.body(x).mean((2, 3)))\ndef _net(block, layers, weights, **kwargs):\n    if weights is not None:\n        kwargs['num_classes'] = 1000\n    return Net(block, layers, **kwargs)\ndef net18(*, weights=None, **kwargs):\n    return _net(Block, [2, 2], weights, **kwargs)\n`,
    },
    entry: 'net18(num_classes=7)',
    input: '1x3x16x16',
  },
  {
    name: 'imports between files of a package (relative and absolute)',
    files: {
      'pkg/model.py': `${HEADER}from .layers import MLP\nfrom pkg.blocks.attn import Attn\nclass Net(nn.Module):\n    def __init__(self, d=32):\n        super().__init__()\n        self.attn = Attn(d)\n        self.mlp = MLP(d)\n    def forward(self, x):\n        return self.mlp(self.attn(x))\n`,
      'pkg/__init__.py': '',
      'pkg/layers.py': `${HEADER}class MLP(nn.Module):\n    def __init__(self, d, mult=4):\n        super().__init__()\n        self.up = nn.Linear(d, d * mult)\n        self.down = nn.Linear(d * mult, d)\n    def forward(self, x):\n        return self.down(F.gelu(self.up(x)))\n`,
      'pkg/blocks/__init__.py': '',
      'pkg/blocks/attn.py': `${HEADER}from ..layers import MLP\nclass Attn(nn.Module):\n    def __init__(self, d, heads=4):\n        super().__init__()\n        self.h = heads\n        self.qkv = nn.Linear(d, 3 * d)\n        self.o = nn.Linear(d, d)\n    def forward(self, x):\n        B, T, C = x.shape\n        q, k, v = self.qkv(x).split(C, dim=2)\n        q = q.view(B, T, self.h, C // self.h).transpose(1, 2)\n        k = k.view(B, T, self.h, C // self.h).transpose(1, 2)\n        v = v.view(B, T, self.h, C // self.h).transpose(1, 2)\n        att = (q @ k.transpose(-2, -1)) * (1.0 / (C // self.h) ** 0.5)\n        y = F.softmax(att, dim=-1) @ v\n        return self.o(y.transpose(1, 2).contiguous().view(B, T, C))\n`,
    },
    entry: 'Net()',
    input: '2x9x32',
  },
  {
    name: 'weight tying counts the shared tensor once',
    files: { 'm.py': `${HEADER}class LM(nn.Module):\n    def __init__(self, vocab=100, d=16):\n        super().__init__()\n        self.emb = nn.Embedding(vocab, d)\n        self.rnn = nn.GRU(d, d, batch_first=True)\n        self.head = nn.Linear(d, vocab, bias=False)\n        self.emb.weight = self.head.weight\n    def forward(self, idx):\n        h, _ = self.rnn(self.emb(idx))\n        return self.head(h)\n` },
    entry: 'LM()',
    input: '2x7',
    long: true,
  },
  {
    name: 'Transformer layers from torch.nn',
    files: { 'm.py': `${HEADER}class Enc(nn.Module):\n    def __init__(self, d=32, nhead=4, layers=2):\n        super().__init__()\n        layer = nn.TransformerEncoderLayer(d, nhead, dim_feedforward=64, batch_first=True)\n        self.enc = nn.TransformerEncoder(layer, layers)\n        self.out = nn.Linear(d, 2)\n    def forward(self, x):\n        return self.out(self.enc(x))\n` },
    entry: 'Enc()',
    input: '2x12x32',
  },
  {
    name: 'einsum, bmm, conv1d, pooling and interpolate in forward',
    files: { 'm.py': `${HEADER}class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.conv = nn.Conv1d(4, 8, 5, stride=2, padding=2)\n        self.w = nn.Parameter(torch.randn(8, 8))\n    def forward(self, x):\n        y = self.conv(x)\n        z = torch.einsum('bct,cd->bdt', y, self.w)\n        g = torch.bmm(z, z.transpose(1, 2))\n        up = F.interpolate(y, scale_factor=2)\n        return g.sum() + F.avg_pool1d(up, 2).sum()\n` },
    entry: 'Net()',
    input: '3x4x20',
  },
];

const root = mkdtempSync(join(tmpdir(), 'wattlens-features-'));
const analyzed = new Map<string, ModelReport | undefined>();
let truth: TorchResult[] = [];

beforeAll(async () => {
  const engine = await sharedEngine();
  CASES.forEach((c, i) => {
    const dir = join(root, `case${i}`);
    for (const [name, text] of Object.entries(c.files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const [first] = Object.keys(c.files);
    const file = join(dir, first);
    const report = engine.analyze(file, c.files[first], { model: c.entry, input: c.input });
    analyzed.set(c.name, report.models[0]);
  });
  truth = torchTruth(
    CASES.map((c, i) => ({
      root: join(root, `case${i}`),
      module: Object.keys(c.files)[0].replace(/\.py$/, '').replace(/\//g, '.'),
      entry: c.entry,
      inputs: c.input.split(',').map((s) => ({ shape: s.split('x').map(Number), long: c.long })),
    })),
  );
}, 120_000);

describe('Python constructs in model files, against real torch', () => {
  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', (name, i) => {
    const t = truth[i];
    expect(t.error, `torch could not build the case: ${t.error}`).toBeUndefined();
    const r = analyzed.get(name);
    expect(r, 'the engine built no model').toBeDefined();
    expect(r!.uniqueParams).toBe(t.params);
    expect(r!.macs, JSON.stringify(r!.unknowns)).not.toBeNull();
    expect(Math.abs(r!.macs! - t.macs)).toBeLessThanOrEqual(0.01 * t.macs);
  });
});

describe('a default sequence length respects the tables forward slices', () => {
  // pos[:T] and mask[:T, :T] of 64-row buffers: T > 64 would fail in torch, so the default T is 64
  const file = `${HEADER}class Tiny(nn.Module):\n    def __init__(self, vocab=50, d=16, max_len=64):\n        super().__init__()\n        self.emb = nn.Embedding(vocab, d)\n        self.register_buffer('pos', torch.randn(max_len, d))\n        self.register_buffer('mask', torch.tril(torch.ones(max_len, max_len)))\n        self.q = nn.Linear(d, d)\n        self.head = nn.Linear(d, vocab)\n    def forward(self, idx):\n        B, T = idx.shape\n        h = self.emb(idx) + self.pos[:T]\n        q = self.q(h)\n        att = (q @ h.transpose(-2, -1)).masked_fill(self.mask[:T, :T] == 0, float('-inf'))\n        return self.head(F.softmax(att, dim=-1) @ h)\n`;

  it('binds T to the table length and matches torch there', async () => {
    const dir = join(root, 'slice-bound');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'tiny.py'), file);
    const report = (await sharedEngine()).analyze(join(dir, 'tiny.py'), file, {}).models[0];
    expect(report.input.source).toBe('default');
    expect(report.input.bindings).toEqual({ T: 64 });
    const [t] = torchTruth([{ root: dir, module: 'tiny', entry: 'Tiny()', inputs: [{ shape: [1, 64], long: true }] }]);
    expect(t.error).toBeUndefined();
    expect(report.macs).toBe(t.macs);
    expect(report.uniqueParams).toBe(t.params);
  }, 60_000);
});
