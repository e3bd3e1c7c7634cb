# an instance's __dict__ writes through to its attributes (config bags: self.__dict__.update(kw)); sys.version_info fields
import sys

RESULT = {}


class Bag:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)

    def merge(self, d):
        self.__dict__.update(d)


b = Bag(n_layer=2, n_head=4)
b.merge({"n_embd": 64})
b.__dict__["vocab_size"] = 100
RESULT["attrs"] = (b.n_layer, b.n_head, b.n_embd, b.vocab_size)
RESULT["keys"] = sorted(b.__dict__.keys())
del b.__dict__["n_head"]
RESULT["deleted"] = hasattr(b, "n_head")
RESULT["version"] = (sys.version_info.major >= 3, sys.version_info[0] == sys.version_info.major)
