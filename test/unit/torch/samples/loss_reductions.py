# The shape of a loss under each way of choosing its reduction: by keyword, by position (functional
# and module), and through the legacy size_average / reduce arguments.
import torch
import torch.nn as nn
import torch.nn.functional as F

a = torch.zeros(4, 3)
b = torch.zeros(4, 3)
logits = torch.zeros(4, 5)
labels = torch.zeros(4, dtype=torch.long)


def shape(t):
    return tuple(t.shape)


RESULT = {
    'mse_kw_none': shape(F.mse_loss(a, b, reduction='none')),
    'mse_pos_sum': shape(F.mse_loss(a, b, None, None, 'sum')),
    'mse_pos_none': shape(F.mse_loss(a, b, None, None, 'none')),
    'mse_legacy_reduce': shape(F.mse_loss(a, b, None, False)),
    'l1_pos_none': shape(F.l1_loss(a, b, None, None, 'none')),
    'smooth_l1_pos_none': shape(F.smooth_l1_loss(a, b, None, None, 'none')),
    'huber_pos_none': shape(F.huber_loss(a, b, 'none')),
    'kl_pos_none': shape(F.kl_div(a, b, None, None, 'none')),
    'bce_pos_none': shape(F.binary_cross_entropy(torch.sigmoid(a), b, None, None, None, 'none')),
    'bce_logits_pos_none': shape(F.binary_cross_entropy_with_logits(a, b, None, None, None, 'none')),
    'ce_pos_none': shape(F.cross_entropy(logits, labels, None, None, -100, None, 'none')),
    'ce_kw_none': shape(F.cross_entropy(logits, labels, reduction='none')),
    'nll_pos_none': shape(F.nll_loss(logits, labels, None, None, -100, None, 'none')),
    'module_mse_pos_none': shape(nn.MSELoss(None, None, 'none')(a, b)),
    'module_mse_kw_none': shape(nn.MSELoss(reduction='none')(a, b)),
    'module_mse_default': shape(nn.MSELoss()(a, b)),
    'module_mse_legacy': shape(nn.MSELoss(reduce=False)(a, b)),
    'module_l1_pos_none': shape(nn.L1Loss(None, None, 'none')(a, b)),
    'module_huber_pos_none': shape(nn.HuberLoss('none')(a, b)),
    'module_smooth_l1_kw_none': shape(nn.SmoothL1Loss(reduction='none')(a, b)),
    'module_kl_pos_none': shape(nn.KLDivLoss(None, None, 'none')(a, b)),
    'module_bce_pos_none': shape(nn.BCELoss(None, None, None, 'none')(torch.sigmoid(a), b)),
    'module_bce_logits_kw_none': shape(nn.BCEWithLogitsLoss(reduction='none')(a, b)),
    'module_ce_pos_none': shape(nn.CrossEntropyLoss(None, None, -100, None, 'none')(logits, labels)),
    'module_nll_kw_none': shape(nn.NLLLoss(reduction='none')(logits, labels)),
    'module_soft_margin_pos_none': shape(nn.SoftMarginLoss(None, None, 'none')(a, b)),
    'module_poisson_kw_none': shape(nn.PoissonNLLLoss(reduction='none')(a, b)),
    'module_ce_sum': shape(nn.CrossEntropyLoss(reduction='sum')(logits, labels)),
}
