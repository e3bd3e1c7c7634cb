# decorators: a known one is followed, an unknown one falls back to the function
# entry: tiny()
# input: 5x7
import torch
import torch.nn as nn
import torch.nn.functional as F
import functools
try:
    from some_unknown_registry import register
except ImportError:
    register = lambda name: (lambda fn: fn)
def traced(fn):
    @functools.wraps(fn)
    def wrapper(*a, **k):
        return fn(*a, **k)
    return wrapper
@register('tiny')
@traced
def tiny(*, width=12, **kwargs):
    return nn.Sequential(nn.Linear(7, width, **kwargs), nn.ReLU(), nn.Linear(width, 3))
