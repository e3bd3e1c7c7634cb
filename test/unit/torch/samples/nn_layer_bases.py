# torch's private bases of layer families as weight-init code tests them: pytorchvideo's
# `isinstance(m, nn.modules.batchnorm._NormBase)`, timm's `torch.nn.modules.batchnorm._BatchNorm`
# and `torch.nn.modules.instancenorm._InstanceNorm`, `_ConvNd` from torch.nn.modules.conv.
import torch
import torch.nn as nn
from torch.nn.modules.batchnorm import _BatchNorm, _NormBase
from torch.nn.modules.conv import _ConvNd, _ConvTransposeNd
from torch.nn.modules.instancenorm import _InstanceNorm

layers = [
    nn.Conv2d(3, 4, 3),
    nn.Conv3d(3, 4, 3),
    nn.ConvTranspose2d(4, 3, 2),
    nn.BatchNorm2d(4),
    nn.BatchNorm3d(4),
    nn.SyncBatchNorm(4),
    nn.InstanceNorm2d(4),
    nn.GroupNorm(2, 4),
    nn.LayerNorm(4),
    nn.Linear(4, 4),
]


def kinds(base):
    return [isinstance(m, base) for m in layers]


RESULT = {
    'norm_base': kinds(nn.modules.batchnorm._NormBase),
    'norm_base_imported': kinds(_NormBase),
    'batch_norm': kinds(torch.nn.modules.batchnorm._BatchNorm),
    'batch_norm_imported': kinds(_BatchNorm),
    'instance_norm': kinds(torch.nn.modules.instancenorm._InstanceNorm),
    'instance_norm_imported': kinds(_InstanceNorm),
    'conv': kinds(nn.modules.conv._ConvNd),
    'conv_imported': kinds(_ConvNd),
    'conv_transpose': kinds(_ConvTransposeNd),
    'subclass': [issubclass(nn.BatchNorm2d, _BatchNorm), issubclass(_BatchNorm, _NormBase), issubclass(nn.Conv1d, _ConvTransposeNd)],
}
