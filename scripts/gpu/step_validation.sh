#!/usr/bin/env bash
# Static step estimate against measured training steps on one GPU (at most 7 minutes by its timeouts).
# On a machine with an NVIDIA GPU and CUDA torch (torchvision and pynvml optional, no internet needed):
#   npm run build && OUT=/tmp/step-validation bash scripts/gpu/step_validation.sh
# (dist/ is self-contained: where the GPU machine has no node_modules, build elsewhere and bring dist/)
# 1. the host-time calibration models of scripts/truth/host_overhead.py on CUDA and on this machine's
#    CPU (one round each): the GPU machine's host µs per op, optimizer, zero_grad, DataLoader and
#    host-to-device copy, against the table's CPU figures (torch 1.13) the estimate now assumes;
# 2. training steps of a ResNet-50, a GPT at two sizes and a ViT-B/16 at fp32 and bf16 autocast
#    (scripts/gpu/step_models.py: wall time per step, NVML energy per step, peak memory);
# 3. scripts/gpu/step_rows.mjs: each measured step beside `wattlens analyze --gpu` (docs/validation.md
#    rows) in $OUT/rows.md.
# Each part writes its JSON to $OUT as it ends; a failed part or case is recorded and the rest runs.
# STEP_QUICK=1 runs the same path on a CPU with tiny models and step counts (a smoke test).
set -uo pipefail
cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-python3}"
OUT="${OUT:-$(mktemp -d)}"
mkdir -p "$OUT"
QUICK="${STEP_QUICK:-}"
DEVICE=cuda
[ -n "$QUICK" ] && DEVICE=cpu

{
  date -u +%FT%TZ
  nvidia-smi --query-gpu=name,memory.total,power.limit,driver_version --format=csv 2>&1 || true
  "$PYTHON" -c "import sys, torch; print('python', sys.version.split()[0], '| torch', torch.__version__, '| CUDA', torch.version.cuda, '| GPU', torch.cuda.is_available() and torch.cuda.get_device_name(0))"
  node --version
} > "$OUT/env.txt" 2>&1
cat "$OUT/env.txt"

if [ -n "$QUICK" ]; then
  timeout 300 "$PYTHON" scripts/truth/host_overhead.py --quick > "$OUT/host-cpu.json" || echo "host calibration (CPU) exit $?"
  timeout 120 "$PYTHON" scripts/gpu/step_models.py --device cpu --quick --out "$OUT/steps.json" || echo "steps exit $?"
else
  timeout 120 "$PYTHON" scripts/truth/host_overhead.py --device cuda --rounds 1 --out "$OUT/host-cuda.json" || echo "host calibration (CUDA) exit $?"
  timeout 90 "$PYTHON" scripts/truth/host_overhead.py --rounds 1 --out "$OUT/host-cpu.json" || echo "host calibration (CPU) exit $?"
  timeout 210 "$PYTHON" scripts/gpu/step_models.py --out "$OUT/steps.json" || echo "steps exit $?"
fi

if [ -f "$OUT/steps.json" ]; then
  GPU_ARGS=()
  [ -n "$QUICK" ] && GPU_ARGS=(--gpu "H100 SXM")   # a CPU run has no GPU to name: rows against the H100 profile
  HOST_ARGS=()
  [ -f "$OUT/host-cuda.json" ] && HOST_ARGS=(--host "$OUT/host-cuda.json")
  node scripts/gpu/step_rows.mjs "$OUT/steps.json" "${GPU_ARGS[@]}" "${HOST_ARGS[@]}" | tee "$OUT/rows.md"
fi
