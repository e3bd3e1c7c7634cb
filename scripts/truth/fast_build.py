"""Build big models quickly when only their structure matters.

Weight initialisation (trunc_normal_, kaiming_*, orthogonal_ ...) is most of the time it takes
to construct a large torchvision model on CPU, and MAC counting on the meta device never reads
the values. skipped_init() turns torch.nn.init's functions into no-ops while a model is built.
"""
import contextlib

import torch

_INIT_FUNCTIONS = [
    'uniform_', 'normal_', 'trunc_normal_', 'constant_', 'ones_', 'zeros_', 'eye_', 'dirac_',
    'xavier_uniform_', 'xavier_normal_', 'kaiming_uniform_', 'kaiming_normal_', 'orthogonal_',
    'sparse_',
]


@contextlib.contextmanager
def skipped_init():
    saved = {}
    for name in _INIT_FUNCTIONS:
        if hasattr(torch.nn.init, name):
            saved[name] = getattr(torch.nn.init, name)
            setattr(torch.nn.init, name, lambda tensor, *args, **kwargs: tensor)
    try:
        yield
    finally:
        for name, function in saved.items():
            setattr(torch.nn.init, name, function)


@contextlib.contextmanager
def empty_weights():
    """Parameters land on the meta device as they are registered (as accelerate's
    init_empty_weights does): shapes are kept, no memory is taken, so a 7B model can be
    built on a small machine. Buffers stay where they are made."""
    register = torch.nn.Module.register_parameter

    def register_on_meta(module, name, param):
        register(module, name, param)
        if param is not None:
            kwargs = {'requires_grad': param.requires_grad}
            module._parameters[name] = type(param)(param.to('meta'), **kwargs)

    torch.nn.Module.register_parameter = register_on_meta
    try:
        yield
    finally:
        torch.nn.Module.register_parameter = register
