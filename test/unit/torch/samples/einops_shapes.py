# einops functions: output shapes and the patterns einops rejects.
import torch
from einops import rearrange, repeat, reduce, pack, unpack, einsum, parse_shape, EinopsError

x = torch.zeros(2, 12, 8)
img = torch.zeros(2, 3, 32, 48)


def fails(fn):
    try:
        fn()
        return 'ok'
    except EinopsError:
        return 'EinopsError'


packed, ps = pack([torch.zeros(2, 5), torch.zeros(2, 3, 7, 5), torch.zeros(2, 4, 5)], 'b * c')
parts = unpack(packed, ps, 'b * c')
parts_inferred = unpack(torch.zeros(2, 10, 5), [(3,), [-1]], 'b * c')

RESULT = {
    'split': tuple(rearrange(x, 'b (h w) c -> b c h w', h=3).shape),
    'merge': tuple(rearrange(img, 'b c h w -> b (h w) c').shape),
    'patches': tuple(rearrange(img, 'b c (h p1) (w p2) -> b (h w) (p1 p2 c)', p1=8, p2=8).shape),
    'ellipsis': tuple(rearrange(img, 'b ... w -> b w ...').shape),
    'ellipsis_merge': tuple(rearrange(img, 'b c ... -> b c (...)').shape),
    'unit_axes': tuple(rearrange(x, 'b n c -> b 1 n 1 c').shape),
    'drop_unit': tuple(rearrange(torch.zeros(2, 1, 5), 'b 1 c -> b c').shape),
    'empty_group': tuple(rearrange(torch.zeros(1, 4, 5), '() n d -> n d').shape),
    'list_input': tuple(rearrange([torch.zeros(4, 5)] * 3, 'k n d -> n (k d)').shape),
    'heads': tuple(rearrange(torch.zeros(2, 10, 64), 'b n (h d) -> b h n d', h=8).shape),
    'repeat_new': tuple(repeat(torch.zeros(1, 1, 16), '1 1 d -> b 1 d', b=4).shape),
    'repeat_anon': tuple(repeat(torch.zeros(3, 5), 'h w -> h (w 2) 3').shape),
    'repeat_compose': tuple(repeat(torch.zeros(5), 'd -> (r d)', r=3).shape),
    'reduce_mean': tuple(reduce(img, 'b c h w -> b c', 'mean').shape),
    'reduce_pool': tuple(reduce(img, 'b c (h h2) (w w2) -> b c h w', 'max', h2=2, w2=2).shape),
    'reduce_keep': tuple(reduce(img, 'b c h w -> b c 1 1', 'mean').shape),
    'einsum': tuple(einsum(torch.zeros(2, 4, 10, 16), torch.zeros(2, 4, 12, 16), 'b h i d, b h j d -> b h i j').shape),
    'einsum_ellipsis': tuple(einsum(torch.zeros(2, 3, 5, 7), torch.zeros(7, 9), '... d, d e -> ... e').shape),
    'parse_shape': parse_shape(img, 'b _ h w'),
    'parse_shape_ellipsis': parse_shape(img, 'batch ...'),
    'pack': (tuple(packed.shape), [tuple(p) for p in ps]),
    'unpack': [tuple(p.shape) for p in parts],
    'unpack_inferred': [tuple(p.shape) for p in parts_inferred],
    'err_indivisible': fails(lambda: rearrange(x, 'b (h w) c -> b h w c', h=5)),
    'err_two_unknown': fails(lambda: rearrange(x, 'b (h w) c -> b h w c')),
    'err_one_side': fails(lambda: rearrange(x, 'b n c -> b n')),
    'err_rank': fails(lambda: rearrange(x, 'b c h w -> b h w c')),
    'err_unused_axis': fails(lambda: rearrange(x, 'b n c -> b c n', k=3)),
    'err_repeat_size': fails(lambda: repeat(x, 'b n c -> b n c r')),
    'err_reduce_new': fails(lambda: reduce(x, 'b n c -> b n c r', 'sum')),
    'err_reduction': fails(lambda: reduce(x, 'b n c -> b n', 'median')),
    'err_brackets': fails(lambda: rearrange(x, 'b (n c -> b n c')),
    'err_anon_rearrange': fails(lambda: rearrange(x, 'b n (c 2) -> b n c 2')),
    'err_mismatch': fails(lambda: rearrange(x, 'b n (c d) -> b n c d', c=3, d=3)),
    'ok_runtime_error_base': issubclass(EinopsError, RuntimeError),
}
