#!/usr/bin/env bash
# GPU validation of pilot energy measurement (not run in CI: there is no GPU there).
# On a machine with an NVIDIA GPU, CUDA torch and nvidia-ml-py (pynvml):
#   npm run build && OUT=/tmp/gpu-validation bash scripts/gpu/validate.sh
# 1. records the GPU (nvidia-smi, NVML) and an independent NVML trace (scripts/gpu/nvml_trace.py:
#    energy counter and power every 20 ms) for the whole session;
# 2. pilots examples/training/tiny_gpt.py at its default size (d=64) for 20 s, then a small GPT that
#    loads the GPU (d=512, 8 layers, T=256, batch 64: 10% of a 2-epoch run), then runs that whole run;
# 3. scripts/gpu/report.py: the harness's per-window NVML counter joules against the trace's counter
#    and integrated power over the same windows, J/step, W, J/MAC, and the pilot's forecast of time,
#    energy and final loss against the full run. Figures land in $OUT (report.json).
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-python3}"
OUT="${OUT:-$(mktemp -d)}"
mkdir -p "$OUT"
WS="$(mktemp -d)"
GPT_LR="${GPT_LR:-3e-4}"  # at 3e-3 this model spikes (loss 0.4 -> 232 near step 640): see docs/validation.md
GPT=(--device cuda --width 512 --layers 8 --heads 8 --block 256 --batch-size 64 --samples 32768 --lr "$GPT_LR")
EPOCHS=2            # 2 x 512 steps
PILOT_STEPS=102     # 10%

{
  date -u +%FT%TZ
  nvidia-smi || true
  nvidia-smi --query-gpu=index,uuid,name,power.draw,power.limit,memory.total,driver_version --format=csv || true
  echo "# harness parser input (wattlens_smi.QUERY_FIELDS):"
  nvidia-smi --query-gpu=index,uuid,name,power.draw,power.limit --format=csv,noheader,nounits || true
  echo "# core parser input (src/core/gpu/nvidiaSmi.ts):"
  nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits || true
  "$PYTHON" - <<'PY'
import sys, torch
print("python", sys.version.split()[0], "| torch", torch.__version__, "| CUDA", torch.version.cuda)
assert torch.cuda.is_available(), "no CUDA GPU visible to this Python"
print("GPU:", torch.cuda.get_device_name(0), torch.cuda.get_device_capability(0))
import pynvml
pynvml.nvmlInit()
h = pynvml.nvmlDeviceGetHandleByIndex(0)
print("NVML driver", pynvml.nvmlSystemGetDriverVersion(), "| energy counter mJ", pynvml.nvmlDeviceGetTotalEnergyConsumption(h),
      "| power mW", pynvml.nvmlDeviceGetPowerUsage(h), "| limit mW", pynvml.nvmlDeviceGetEnforcedPowerLimit(h))
PY
  node --version
} > "$OUT/env.txt" 2>&1
cat "$OUT/env.txt"

# forward MACs of the GPU config at its real input, counted by real torch (torch_macs.py convention)
FWD=$("$PYTHON" - <<'PY'
import sys
sys.path[:0] = ["examples/training", "scripts/truth"]
import torch
from tiny_gpt import CharWindows, TinyGPT
from torch_macs import count
vocab = len(CharWindows(256, 64, 0).vocab)
m = TinyGPT(vocab, 256, d=512, layers=8, heads=8)
print(count(m, torch.zeros(64, 256, dtype=torch.long)))
PY
)
echo "forward MACs per step (torch count): $FWD"

"$PYTHON" scripts/gpu/nvml_trace.py "$OUT/nvml-trace.csv" 0 0.02 &
TRACE=$!
sleep 3   # idle baseline in the trace

pilot() { node dist/cli.js pilot examples/training/tiny_gpt.py --gpus 1 --python "$PYTHON" --workspace "$WS" --json "$@"; }
[ -n "${SKIP_TINY:-}" ] || pilot --seconds 20 -- --device cuda --epochs 50 > "$OUT/tiny.json" || echo "tiny pilot exit $?"
pilot --steps $PILOT_STEPS --epochs $EPOCHS --macs-per-step $((3 * FWD)) -- "${GPT[@]}" --epochs $EPOCHS > "$OUT/pilot.json" || echo "pilot exit $?"
pilot --steps 100000 --macs-per-step $((3 * FWD)) -- "${GPT[@]}" --epochs $EPOCHS > "$OUT/full.json" || echo "full run exit $?"

sleep 1
kill -TERM $TRACE; wait $TRACE || true
tar -czf "$OUT/runs.tar.gz" -C "$WS" .wattlens
"$PYTHON" scripts/gpu/report.py "$WS" "$OUT"
