#!/usr/bin/env bash
# GPU validation of pilot energy measurement (not run in CI: there is no GPU there).
# On a machine with an NVIDIA GPU, torch with CUDA and nvidia-ml-py (pynvml) or nvidia-smi:
#   npm run build && PYTHON=python3 bash scripts/gpu-validation.sh
# Prints the GPU model, J/step, mean watts, and the NVML energy counter against integrated
# power samples over the same steps (they should agree within a few percent).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
WS="$(mktemp -d)"
"$PYTHON" - <<'PY'
import torch
assert torch.cuda.is_available(), "no CUDA GPU visible to this Python"
print("GPU:", torch.cuda.get_device_name(0), "| torch", torch.__version__, "| CUDA", torch.version.cuda)
PY
node dist/cli.js pilot examples/training/tiny_gpt.py --gpus 1 --seconds 60 --epochs 2 --python "$PYTHON" \
  --workspace "$WS" --json -- --device cuda --epochs 2 > "$WS/pilot.json"
"$PYTHON" - "$WS" <<'PY'
import glob, json, sys
ws = sys.argv[1]
out = json.load(open(f"{ws}/pilot.json"))
print("status:", out["status"], "| steps:", out["steps"], "| step time: %.2f ms" % (1000 * out["stepTimeS"]))
for c in out["energy"]["components"]:
    print(f"  {c['device']:8s} {c['source']:13s} {c['joulesPerStep']:.3f} J/step  {c['wattsMean'] or 0:.1f} W")
# counter vs integrated power: re-read the windows of rank 0
events = [json.loads(l) for f in glob.glob(f"{ws}/.wattlens/runs/*/events.rank0.jsonl") for l in open(f)]
windows = [e for e in events if e["type"] == "energy" and e["toStep"] >= e["fromStep"]]
counter = sum(r["joules"] or 0 for w in windows for r in w["readings"] if r["source"] == "nvml-counter")
integrated = sum((r["watts"] or 0) * w["seconds"] for w in windows for r in w["readings"] if r["source"] == "nvml-counter")
if counter:
    print(f"NVML counter {counter:.1f} J vs power x time {integrated:.1f} J ({100 * (integrated / counter - 1):+.1f}%)")
else:
    print("no NVML energy counter on this GPU (pre-Volta, MIG or no pynvml): see the sources above")
PY
