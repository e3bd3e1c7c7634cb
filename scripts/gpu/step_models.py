#!/usr/bin/env python3
"""Training steps of the static estimate's validation models, measured on one GPU (or the CPU).

    python3 scripts/gpu/step_models.py --out OUT/steps.json                 # on CUDA
    python3 scripts/gpu/step_models.py --device cpu --quick --out x.json    # smoke test on a CPU

Models (self-contained, so that they need no torchvision and `wattlens analyze` reads the same
source): a ResNet-50 (torchvision's layout; its parameter count is checked against torchvision's
when that is installed), a GPT at two sizes (pre-norm blocks with nn.MultiheadAttention and a
causal mask, as examples/training/tiny_gpt.py) and a ViT-B/16. Each runs AdamW (torch's default
implementation: foreach on CUDA) and cross-entropy on a batch resident on the device (no
DataLoader, no host-to-device copy), at fp32 (torch's defaults: fp32 matmuls, TF32 convolutions)
and at bf16 autocast with fp32 weights. Per case: warm-up steps, then timed steps between two
device synchronisations (wall clock), the NVML energy counter over the same steps when pynvml is
there, and the peak memory. Each case's failure is recorded and the next runs. The `entry` and
`input` of each case are what `wattlens analyze scripts/gpu/step_models.py --model ENTRY --input
INPUT` needs (scripts/gpu/step_rows.mjs runs it).
"""
import argparse
import json
import math
import os
import platform
import sys
import time
import traceback

import torch
from torch import nn
import torch.nn.functional as F


class Bottleneck(nn.Module):
    def __init__(self, cin, width, stride):
        super().__init__()
        cout = width * 4
        self.conv1 = nn.Conv2d(cin, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, cout, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)


class ResNet50(nn.Module):
    """torchvision's resnet50 layout (v1.5: stride on the 3x3 convolution), 25.56 M parameters."""

    def __init__(self, num_classes=1000, widths=(64, 128, 256, 512), blocks=(3, 4, 6, 3)):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        layers = []
        cin = 64
        for i, (w, n) in enumerate(zip(widths, blocks)):
            stage = []
            for j in range(n):
                stage.append(Bottleneck(cin, w, 2 if j == 0 and i > 0 else 1))
                cin = w * 4
            layers.append(nn.Sequential(*stage))
        self.layer1, self.layer2, self.layer3, self.layer4 = layers
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(cin, num_classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, mask=None):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class GPT(nn.Module):
    def __init__(self, vocab, block, d, layers, heads):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, d), nn.Embedding(block, d)
        self.blocks = nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)
        self.register_buffer("mask", torch.triu(torch.full((block, block), -math.inf), 1))

    def forward(self, idx):
        t = idx.shape[1]
        x = self.tok(idx) + self.pos(torch.arange(t, device=idx.device))
        for b in self.blocks:
            x = b(x, self.mask[:t, :t])
        return self.head(self.ln(x))


class ViT(nn.Module):
    def __init__(self, image=224, patch=16, d=768, layers=12, heads=12, num_classes=1000):
        super().__init__()
        self.patch = nn.Conv2d(3, d, patch, stride=patch)
        n = (image // patch) ** 2
        self.cls = nn.Parameter(torch.zeros(1, 1, d))
        self.pos = nn.Parameter(torch.zeros(1, n + 1, d))
        self.blocks = nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, num_classes)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1) + self.pos
        for b in self.blocks:
            x = b(x)
        return self.head(self.ln(x[:, 0]))


# (name, entry as `wattlens analyze --model` reads it, input shape, classes of the target, image input?)
CASES = [
    ("ResNet-50, batch 64", "ResNet50()", (64, 3, 224, 224), 1000, True),
    ("GPT d=768, 12 layers, T=512, batch 16", "GPT(8192, 512, d=768, layers=12, heads=12)", (16, 512), 8192, False),
    ("GPT d=1024, 24 layers, T=512, batch 8", "GPT(8192, 512, d=1024, layers=24, heads=16)", (8, 512), 8192, False),
    ("ViT-B/16, batch 64", "ViT()", (64, 3, 224, 224), 1000, True),
]
# a CPU smoke test: the same code paths at a size a CPU steps in well under a second
QUICK = [
    ("ResNet-50 (narrow), batch 2", "ResNet50(num_classes=10, widths=(8, 8, 8, 8), blocks=(1, 1, 1, 1))", (2, 3, 64, 64), 10, True),
    ("GPT d=64, 2 layers, T=32, batch 4", "GPT(128, 32, d=64, layers=2, heads=4)", (4, 32), 128, False),
    ("GPT d=96, 3 layers, T=32, batch 4", "GPT(128, 32, d=96, layers=3, heads=4)", (4, 32), 128, False),
    ("ViT (d=64, 2 layers, 32 px), batch 2", "ViT(image=32, patch=8, d=64, layers=2, heads=4, num_classes=10)", (2, 3, 32, 32), 10, True),
]


def build(entry):
    return eval(entry, {"ResNet50": ResNet50, "GPT": GPT, "ViT": ViT})


class Energy:
    """The GPU's NVML energy counter (mJ), when pynvml is installed and the device is a GPU."""

    def __init__(self, device):
        self.handle = None
        if device != "cuda":
            return
        try:
            import pynvml
            pynvml.nvmlInit()
            index = torch.cuda.current_device()
            self.handle = pynvml.nvmlDeviceGetHandleByIndex(index)
            self.read = lambda: pynvml.nvmlDeviceGetTotalEnergyConsumption(self.handle) / 1000.0
            self.read()
        except Exception as e:  # no pynvml, no counter (pre-Volta), no permission
            self.handle = None
            self.reason = f"{type(e).__name__}: {e}"

    def joules(self):
        return self.read() if self.handle is not None else None


def run_case(name, entry, shape, classes, image, precision, device, warmup, steps, energy):
    torch.manual_seed(0)
    model = build(entry).to(device).train()
    params = sum(p.numel() for p in model.parameters())
    tensors = sum(1 for _ in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    if image:
        x = torch.randn(*shape, device=device)
        y = torch.randint(0, classes, (shape[0],), device=device)
    else:
        x = torch.randint(0, classes, shape, device=device)
        y = torch.randint(0, classes, shape, device=device)
    autocast = torch.autocast(device_type=device, dtype=torch.bfloat16, enabled=precision == "bf16")

    def step():
        with autocast:
            out = model(x)
            loss = F.cross_entropy(out.reshape(-1, classes), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss

    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    for _ in range(warmup):
        step()
    sync()
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    j0, t0, c0 = energy.joules(), time.perf_counter(), time.thread_time()
    for _ in range(steps):
        loss = step()
    sync()
    t1, c1, j1 = time.perf_counter(), time.thread_time(), energy.joules()
    return {
        "case": name, "entry": entry, "input": "x".join(str(d) for d in shape), "precision": precision,
        "params": params, "paramTensors": tensors, "steps": steps, "warmup": warmup,
        "stepTimeS": (t1 - t0) / steps,
        "hostCpuSPerStep": (c1 - c0) / steps,
        "gpuJoulesPerStep": (j1 - j0) / steps if j0 is not None and j1 is not None else None,
        "peakMemoryBytes": torch.cuda.max_memory_allocated() if device == "cuda" else None,
        "finalLoss": float(loss.item()),
    }


def environment(device):
    env = {"python": platform.python_version(), "torch": torch.__version__, "device": device,
           "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "cpu": platform.processor() or None}
    try:
        with open("/proc/cpuinfo") as f:
            env["cpu"] = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), env["cpu"])
    except OSError:
        pass
    if device == "cuda":
        env["gpu"] = torch.cuda.get_device_name(0)
        env["cuda"] = torch.version.cuda
        env["tf32"] = {"matmul": torch.backends.cuda.matmul.allow_tf32, "cudnn": torch.backends.cudnn.allow_tf32}
    try:
        import torchvision
        env["torchvision"] = torchvision.__version__
        env["resnet50ParamsTorchvision"] = sum(p.numel() for p in torchvision.models.resnet50().parameters())
    except Exception as e:
        env["torchvision"] = None
        env["torchvisionReason"] = f"{type(e).__name__}: {e}"
    return env


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    ap.add_argument("--out", required=True, help="JSON file to write")
    ap.add_argument("--quick", action="store_true", help="small models, 1 warm-up and 2 timed steps (a smoke test)")
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--precisions", default="fp32,bf16")
    args = ap.parse_args()
    if args.device == "cuda" and not torch.cuda.is_available():
        print("no CUDA device visible to this Python: use --device cpu for a smoke test", file=sys.stderr)
        return 2
    cases, warmup, steps = (QUICK, 1, 2) if args.quick else (CASES, args.warmup, args.steps)
    energy = Energy(args.device)
    result = {"environment": environment(args.device), "energyReason": getattr(energy, "reason", None), "cases": []}
    for precision in args.precisions.split(","):
        for name, entry, shape, classes, image in cases:
            t = time.perf_counter()
            try:
                rec = run_case(name, entry, shape, classes, image, precision, args.device, warmup, steps, energy)
            except Exception as e:
                rec = {"case": name, "entry": entry, "precision": precision, "error": f"{type(e).__name__}: {e}",
                       "traceback": traceback.format_exc(limit=4)}
            rec["wallS"] = round(time.perf_counter() - t, 2)
            result["cases"].append(rec)
            print(json.dumps({k: rec.get(k) for k in ("case", "precision", "stepTimeS", "gpuJoulesPerStep", "error")}), flush=True)
            if args.device == "cuda":
                torch.cuda.empty_cache()
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
