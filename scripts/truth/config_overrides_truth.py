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
