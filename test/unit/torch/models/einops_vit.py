# A small ViT written with einops the way research code writes it: Rearrange patch embedding,
# rearrange/einsum attention, pack/unpack of a class token, EinMix with composed axes, Reduce pooling.
import torch
from torch import nn
from einops import rearrange, repeat, pack, unpack, einsum
from einops.layers.torch import Rearrange, Reduce, EinMix


class Attention(nn.Module):
    def __init__(self, dim, heads=4, dim_head=16):
        super().__init__()
        self.heads = heads
        self.scale = dim_head ** -0.5
        self.to_qkv = nn.Linear(dim, heads * dim_head * 3, bias=False)
        self.to_out = nn.Linear(heads * dim_head, dim)

    def forward(self, x):
        q, k, v = map(lambda t: rearrange(t, 'b n (h d) -> b h n d', h=self.heads), self.to_qkv(x).chunk(3, dim=-1))
        attn = einsum(q, k, 'b h i d, b h j d -> b h i j').softmax(dim=-1) * self.scale
        out = einsum(attn, v, 'b h i j, b h j d -> b h i d')
        return self.to_out(rearrange(out, 'b h n d -> b n (h d)'))


class EinopsViT(nn.Module):
    def __init__(self, image_size=32, patch=8, dim=64, depth=2, classes=10):
        super().__init__()
        self.to_patch = nn.Sequential(
            Rearrange('b c (h p1) (w p2) -> b (h w) (p1 p2 c)', p1=patch, p2=patch),
            nn.LayerNorm(patch * patch * 3),
            nn.Linear(patch * patch * 3, dim),
        )
        self.cls = nn.Parameter(torch.randn(1, dim))
        self.layers = nn.ModuleList([Attention(dim) for _ in range(depth)])
        self.mix = EinMix('b n (g c) -> b n (g e)', weight_shape='g c e', bias_shape='g e', g=4, c=dim // 4, e=8)
        self.channel_mix = EinMix('b n c -> b n c', weight_shape='c', c=32)
        self.pool = Reduce('b n c -> b c', 'mean')
        self.head = nn.Linear(32, classes)

    def forward(self, img):
        x = self.to_patch(img)
        cls = repeat(self.cls, '1 d -> b d', b=x.shape[0])
        x, ps = pack([cls, x], 'b * d')
        for attn in self.layers:
            x = attn(x) + x
        cls, x = unpack(x, ps, 'b * d')
        x = self.channel_mix(self.mix(x))
        return self.head(self.pool(x))
