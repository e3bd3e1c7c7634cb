"""fp32 matmul throughput of a PyTorch built on the reference BLAS, measured on real torch (CPU).

Debian's python3-torch links the system's libblas.so.3; where that is the reference (netlib)
BLAS, torch.__config__.show() says BLAS_INFO=generic and fp32 matmuls run far below the peak the
CPU rows give. Writes src/core/gpu/referenceBlas.json: the fraction of one thread's fp32 peak that
nn.Linear forward + backward reaches on a CALIBRATION set of shapes, none of them a shape of
docs/validation.md's models. The step estimate uses it for a CPU pilot whose torch recorded
BLAS_INFO=generic (src/core/gpu/stepEstimateCheck.ts). Convolutions are measured beside them: torch
runs fp32 convolutions through oneDNN, not the BLAS, and they reach a large part of the peak on the
same build; the CPU estimate takes their band for convolutions whatever the BLAS.

    /usr/bin/python3 scripts/truth/reference_blas.py            # writes the table
    /usr/bin/python3 scripts/truth/reference_blas.py --print    # prints, writes nothing

How: CPU time (the thread's, not the wall clock) of Linear forward and backward, the median of 7
repeats; 6 x rows x in x out FLOPs per repeat (forward, gradient of the input, of the weight).
Peak of one thread = the clock /proc/cpuinfo reports x the FP32 FLOP per cycle of the CPU's row
in src/core/gpu/cpuProfiles.json (the estimate's own peak). The reference BLAS runs on one thread
whatever torch's thread count: the band is relative to one thread.
"""
import argparse
import json
import os
import re
import statistics
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(__file__))
from table_out import ROOT, emit_table  # noqa: E402

TABLE = os.path.join(ROOT, 'src', 'core', 'gpu', 'referenceBlas.json')
PROFILES = os.path.join(ROOT, 'src', 'core', 'gpu', 'cpuProfiles.json')
# (rows, in, out): none is a shape of the validated models (64 -> 128 -> 128 -> 1 on 64 rows, the tiny
# GPT's d=64 layers on 1024 tokens, CifarCNN)
SHAPES = [(96, 48, 96), (256, 96, 384), (512, 192, 192), (1536, 384, 96), (128, 256, 768), (2048, 32, 32)]
# (batch, in channels, out channels, side, kernel): none is a layer of CifarCNN (3 -> 32 -> 64 -> 128, 3x3, 32x32 input)
CONVS = [(8, 8, 16, 24, 3), (16, 16, 48, 12, 3), (4, 24, 24, 20, 5), (32, 48, 96, 6, 3), (8, 4, 8, 40, 3)]


def cpu_info():
    with open('/proc/cpuinfo') as f:
        text = f.read()

    def field(name):
        m = re.search(rf'^{name}\s*:\s*(.*)$', text, re.M)
        return m.group(1).strip() if m else None

    return {'model': field('model name'), 'vendor': field('vendor_id'), 'family': int(field('cpu family') or -1),
            'mhz': float(field('cpu MHz') or 0)}


def flops_per_cycle(cpu) -> int:
    with open(PROFILES) as f:
        rows = json.load(f)['rows']
    for r in rows:
        if r['match'] != '.' and re.search(r['match'], cpu['model'], re.I):
            return r['flopsPerCycle']['fp32']
    for r in rows:
        if r.get('vendor') == cpu['vendor'] and r.get('family') == cpu['family']:
            return r['flopsPerCycle']['fp32']
    return rows[-1]['flopsPerCycle']['fp32']


def training_gflops(step, macs: int) -> float:
    """GFLOP/s of a forward + backward step of `macs` MACs (6 FLOPs per MAC), median of 7 CPU-time repeats."""
    step()
    reps = max(1, int(2e8 / (6 * macs)))
    times = []
    for _ in range(7):
        t0 = time.thread_time()
        for _ in range(reps):
            step()
        times.append((time.thread_time() - t0) / reps)
    return 6 * macs / statistics.median(times) / 1e9


def linear_gflops(rows: int, fin: int, fout: int) -> float:
    torch.manual_seed(0)
    layer = nn.Linear(fin, fout)
    x = torch.randn(rows, fin, requires_grad=True)
    g = torch.randn(rows, fout)

    def step():
        layer(x).backward(g)

    return training_gflops(step, rows * fin * fout)


def conv_gflops(batch: int, cin: int, cout: int, side: int, k: int) -> float:
    torch.manual_seed(0)
    conv = nn.Conv2d(cin, cout, k, padding=k // 2)
    x = torch.randn(batch, cin, side, side, requires_grad=True)
    g = torch.randn(batch, cout, side, side)
    macs = batch * cout * side * side * cin * k * k

    def step():
        conv(x).backward(g)

    return training_gflops(step, macs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--print', action='store_true', help='print the results, write nothing')
    args = ap.parse_args()
    torch.set_num_threads(1)
    config = torch.__config__.show()
    blas = re.search(r'BLAS_INFO=(\w+)', config)
    if not blas or blas.group(1) != 'generic':
        print(f'this torch is not built on the reference BLAS (BLAS_INFO={blas.group(1) if blas else "unknown"}): nothing to measure',
              file=sys.stderr)
        return 1
    cpu = cpu_info()
    peak = cpu['mhz'] * 1e6 * flops_per_cycle(cpu) / 1e9
    cases = []
    for rows, fin, fout in SHAPES:
        gflops = linear_gflops(rows, fin, fout)
        cases.append({'case': f'nn.Linear({fin}, {fout}) on {rows} rows, forward + backward', 'gflops': round(gflops, 2),
                      'ofPeak': round(gflops / peak, 4)})
    convs = []
    for batch, cin, cout, side, k in CONVS:
        gflops = conv_gflops(batch, cin, cout, side, k)
        convs.append({'case': f'nn.Conv2d({cin}, {cout}, {k}, padding={k // 2}) on {batch}x{cin}x{side}x{side}, forward + backward',
                      'gflops': round(gflops, 2), 'ofPeak': round(gflops / peak, 4)})
    fractions = [c['ofPeak'] for c in cases]
    conv_fractions = [c['ofPeak'] for c in convs]
    table = {
        'description': 'fp32 matmul efficiency of a PyTorch on the reference BLAS (BLAS_INFO=generic): the fraction of one '
                       'thread\'s fp32 peak nn.Linear forward + backward reaches; the reference BLAS runs on one thread. Used '
                       'for a CPU pilot whose torch recorded BLAS_INFO=generic. Generated, do not edit: regenerate with '
                       'scripts/truth/reference_blas.py. low / mid / high: the lowest, median and highest over the shapes.',
        'madeWith': f'scripts/truth/reference_blas.py on torch {torch.__version__} (BLAS_INFO=generic), {cpu["model"]} at '
                    f'{cpu["mhz"]:.0f} MHz ({peak:.1f} GFLOP/s fp32 peak per thread), {time.strftime("%Y-%m-%d")}; CPU time, '
                    f'median of 7 repeats',
        'gemmOfOneThreadPeak': {'low': min(fractions), 'mid': round(statistics.median(fractions), 4), 'high': max(fractions)},
        'convNote': 'convolutions run through oneDNN, not the BLAS: the CPU estimate\'s convolution band, whatever the BLAS',
        'convOfOneThreadPeak': {'low': min(conv_fractions), 'mid': round(statistics.median(conv_fractions), 4),
                                'high': max(conv_fractions)},
        'calibration': cases + convs,
    }
    return emit_table(table, TABLE, args.print, [
        json.dumps(table['gemmOfOneThreadPeak']), json.dumps(table['convOfOneThreadPeak']),
        *(f"{c['case']}: {c['gflops']} GFLOP/s" for c in table['calibration'])])

if __name__ == '__main__':
    sys.exit(main())
