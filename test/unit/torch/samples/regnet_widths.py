# RegNet stage widths as model code computes them: pycls' numpy version (np.unique, np.round,
# np.log, np.power, np.divide, astype(int), np.diff) and timm's torch version (torch.unique with
# return_counts, torch.round, torch.log, torch.pow, .max().item()).
import math

import numpy as np
import torch


def pycls_regnet(w_a, w_0, w_m, d, q=8):
    ws_cont = np.arange(d) * w_a + w_0
    ks = np.round(np.log(ws_cont / w_0) / np.log(w_m))
    ws = w_0 * np.power(w_m, ks)
    ws = np.round(np.divide(ws, q)) * q
    num_stages, max_stage = len(np.unique(ws)), ks.max() + 1
    ws, ws_cont = ws.astype(int).tolist(), ws_cont.tolist()
    return ws, num_stages, max_stage, ws_cont


def pycls_stages(ws, rs):
    ts_temp = zip(ws + [0], [0] + ws, rs + [0], [0] + rs)
    ts = [w != wp or r != rp for w, wp, r, rp in ts_temp]
    s_ws = [w for w, t in zip(ws, ts[:-1]) if t]
    s_ds = np.diff([d for d, t in zip(range(len(ts)), ts) if t]).tolist()
    return s_ws, s_ds


def timm_regnet(width_slope, width_initial, width_mult, depth, group_size, quant=8):
    widths_cont = torch.arange(depth, dtype=torch.float32) * width_slope + width_initial
    width_exps = torch.round(torch.log(widths_cont / width_initial) / math.log(width_mult))
    widths = torch.round((width_initial * torch.pow(width_mult, width_exps)) / quant) * quant
    num_stages, max_stage = len(torch.unique(widths)), int(width_exps.max().item()) + 1
    groups = torch.tensor([group_size for _ in range(num_stages)], dtype=torch.int32)
    return widths.int().tolist(), num_stages, groups.tolist()


ws, num_stages, max_stage, ws_cont = pycls_regnet(36.44, 24, 2.49, 13)
s_ws, s_ds = pycls_stages(ws, [1.0] * len(ws))
widths, stages, groups = timm_regnet(34.01, 80, 2.25, 18, 24)
stage_widths, stage_depths = torch.unique(torch.tensor(widths), return_counts=True)
values, inverse, counts = np.unique(np.array([3, 1, 3, 2, 1, 3]), return_inverse=True, return_counts=True)
runs, run_counts = torch.unique_consecutive(torch.tensor([1, 1, 2, 2, 2, 1]), return_counts=True)

RESULT = {
    'pycls_ws': ws,
    'pycls_num_stages': num_stages,
    'pycls_max_stage': float(max_stage),
    'pycls_ws_cont': ws_cont,
    'pycls_s_ws': s_ws,
    'pycls_s_ds': s_ds,
    'timm_widths': widths,
    'timm_stages': stages,
    'timm_groups': groups,
    'timm_stage_widths': stage_widths.tolist(),
    'timm_stage_depths': stage_depths.tolist(),
    'np_unique': values.tolist(),
    'np_unique_inverse': inverse.tolist(),
    'np_unique_counts': counts.tolist(),
    'np_unique_plain': np.unique([2.5, 1.0, 2.5]).tolist(),
    'unique_consecutive': runs.tolist(),
    'unique_consecutive_counts': run_counts.tolist(),
}
