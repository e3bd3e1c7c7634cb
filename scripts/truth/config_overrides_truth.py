#!/usr/bin/env python3
# Builds each case of test/unit/engine/configOverrides.test.ts with real torch: the config is
# built as the --model call builds it, the overrides are set on it, then the model is built.
import copy, sys
sys.path.insert(0, 'test/fixtures/models/configs')
import config_objects as M
def p(m): return sum(x.numel() for x in m.parameters())
def cls_attrs():
    C = type('C', (M.ClassAttrs,), {}); return C
C = cls_attrs(); C.dim = 4; C.depth = 3; print('Net(ClassAttrs) dim=4 depth=3', p(M.Net(C)))
c = M.ClassAttrs(); c.depth = 3; print('Net(ClassAttrs()) depth=3', p(M.Net(c)))
ns = copy.deepcopy(M.ns); ns.dim = 4; print('Net(ns) ns.dim=4', p(M.Net(ns)))
ns = copy.deepcopy(M.ns); ns.head.classes = 3; print('HeadNet(ns) ns.head.classes=3', p(M.HeadNet(ns)))
a = copy.deepcopy(M.args); a.depth = 5; print('Net(args) args.depth=5', p(M.Net(a)))
d = copy.deepcopy(M.cfg); d['head']['classes'] = 3; d['dim'] = 4; print('DictNet(cfg) cfg.head.classes=3 dim=4', p(M.DictNet(d)))
o = M.Outer(); o.inner.width = 4; print('OuterNet(Outer()) c.inner.width=4', p(M.OuterNet(o)))
o = M.Outer(); o.inner.width = 4; o.depth = 3; print('OuterNet(Outer()) inner.width=4 depth=3', p(M.OuterNet(o)))
b = M.BertLikeConfig(); b.num_hidden_layers = 4; print('BertLike(BertLikeConfig()) num_hidden_layers=4', p(M.BertLike(b)))
b = M.BertLikeConfig(hidden_size=16); b.intermediate_size = 8; print('BertLike(BertLikeConfig(hidden_size=16)) config.intermediate_size=8', p(M.BertLike(b)))
ns = copy.deepcopy(M.ns); ns.head.classes = 3; print('build c.head.classes=3', p(M.build(ns)))
print('defaults: Net(ns)', p(M.Net(M.ns)), 'HeadNet(ns)', p(M.HeadNet(M.ns)), 'build', p(M.build()))
# yacs (test/fixtures/realworld/workspace/.venv/lib/python3.11/site-packages/yacs, needs PyYAML)
sys.path.insert(0, 'test/fixtures/realworld/workspace/.venv/lib/python3.11/site-packages')
import torch
sys.path.insert(0, 'scripts/truth')
from torch_macs import count
import yacs_model as Y
def yacs_case(label, **changes):
    c = Y.get_cfg_defaults()
    for path, v in changes.items():
        node = c
        *head, last = path.split('__')
        for h in head: node = node[h]
        node[last] = v
    c.freeze()
    m = Y.build_model(c).eval()
    print(label, p(m), count(m, torch.zeros(1, 3, 32, 32)))
yacs_case('yacs defaults')
yacs_case('yacs MODEL.BACKBONE.DEPTH=4 MODEL.BACKBONE.WIDTH=8', MODEL__BACKBONE__DEPTH=4, MODEL__BACKBONE__WIDTH=8)
yacs_case('yacs cfg.MODEL.NUM_CLASSES=100 MODEL.BACKBONE.KERNELS=[1]', MODEL__NUM_CLASSES=100, MODEL__BACKBONE__KERNELS=[1])
