# numpy as model code uses it to build constants: drop-path rates, 1-D and 2-D sin-cos position
# tables (written the way MAE's util/pos_embed.py and CLIP/whisper sinusoids build them),
# creation, joining, reshaping, broadcasting, reductions, dtypes; and torch.from_numpy.
import numpy as np
import torch

depth = 12
dpr = [x.item() for x in np.linspace(0, 0.1, depth)]
dpr_list = np.linspace(0, 0.3, 5).tolist()


def sincos_1d(embed_dim, pos):
    omega = np.arange(embed_dim // 2, dtype=np.float64)
    omega /= embed_dim / 2.
    omega = 1. / 10000**omega
    pos = pos.reshape(-1)
    out = np.einsum('m,d->md', pos, omega)
    return np.concatenate([np.sin(out), np.cos(out)], axis=1)


def sincos_2d(embed_dim, grid_size, cls_token=False):
    grid_h = np.arange(grid_size, dtype=np.float32)
    grid_w = np.arange(grid_size, dtype=np.float32)
    grid = np.meshgrid(grid_w, grid_h)
    grid = np.stack(grid, axis=0)
    grid = grid.reshape([2, 1, grid_size, grid_size])
    emb_h = sincos_1d(embed_dim // 2, grid[0])
    emb_w = sincos_1d(embed_dim // 2, grid[1])
    emb = np.concatenate([emb_h, emb_w], axis=1)
    if cls_token:
        emb = np.concatenate([np.zeros([1, embed_dim]), emb], axis=0)
    return emb


def sinusoids(length, channels, max_timescale=10000):
    log_timescale_increment = np.log(max_timescale) / (channels // 2 - 1)
    inv_timescales = np.exp(-log_timescale_increment * np.arange(channels // 2))
    scaled_time = np.arange(length)[:, np.newaxis] * inv_timescales[np.newaxis, :]
    return np.concatenate([np.sin(scaled_time), np.cos(scaled_time)], axis=1)


pos2d = sincos_2d(8, 3, cls_token=True)
pe = torch.from_numpy(pos2d).float().unsqueeze(0)
table = sinusoids(6, 8)
big = sincos_2d(768, 14, cls_token=True)
a = np.arange(6).reshape(2, 3)
xs, ys = np.meshgrid(np.arange(3), np.arange(2), indexing='ij')

RESULT = {
    'dpr': dpr,
    'dpr_list': dpr_list,
    'pos2d_shape': pos2d.shape,
    'pos2d': pos2d.tolist(),
    'torch_shape': tuple(pe.shape),
    'torch_dtype': pe.dtype == torch.float32,
    'torch_tensor_dtype': torch.tensor(pos2d).dtype == torch.float64,
    'as_tensor_shape': tuple(torch.as_tensor(np.zeros((3, 4))).shape),
    'table': table.tolist(),
    'big_shape': big.shape,
    'big_size': big.size,
    'big_ndim': big.ndim,
    'arange_float': np.arange(0, 1, 0.25).tolist(),
    'arange_int_dtype': np.arange(5).dtype == np.int64,
    'arange_f32': np.arange(3, dtype=np.float32).tolist(),
    'linspace_noend': np.linspace(0, 1, 4, endpoint=False).tolist(),
    'eye': np.eye(3, 4, k=1).tolist(),
    'full': np.full((2, 2), 7).tolist(),
    'ones_dtype': np.ones(3).dtype == np.float64,
    'outer': np.outer(np.arange(3), np.arange(1, 3)).tolist(),
    'transpose': a.T.tolist(),
    'transpose_axes': np.transpose(np.arange(24).reshape(2, 3, 4), (2, 0, 1)).shape,
    'slice': a[:, 1:].tolist(),
    'newaxis': a[:, None, :].shape,
    'expand_squeeze': (np.expand_dims(a, 0).shape, np.squeeze(np.zeros((1, 3, 1))).shape),
    'broadcast': (np.arange(3)[:, None] + np.arange(4)[None, :]).tolist(),
    'floordiv': (np.arange(7) // 2).tolist(),
    'truediv_dtype': (np.arange(4) / 2).dtype == np.float64,
    'power': np.power(2.0, np.arange(4)).tolist(),
    'sum_axis': a.sum(axis=0).tolist(),
    'mean': float(a.mean()),
    'prod': int(np.prod([2, 3, 4])),
    'cumsum': np.cumsum([1, 2, 3, 4]).tolist(),
    'cumprod': np.cumprod([2, 3, 4]).tolist(),
    'cumproduct_last': int(np.cumproduct((5, 5, 11))[-1]),  # WaveRNN's upsampling scale
    'cumprod_method': np.array([[1, 2], [3, 4]]).cumprod().tolist(),
    'cumsum_axis_shape': list(np.cumsum(np.ones((2, 3)), axis=1).shape),
    'astype': a.astype(np.float32).dtype == np.float32,
    'len': len(a),
    'float0d': float(np.sqrt(np.arange(3.0))[2]),
    'int_of_item': int(a[1, 2]),
    'pi': np.pi,
    'meshgrid_ij': (xs.shape, ys.tolist()),
    'isinstance': (isinstance(a, np.ndarray), isinstance([1], np.ndarray)),
    'stack_axis1': np.stack([np.arange(2), np.arange(2)], axis=1).tolist(),
}
