# an instance whose __dict__ is replaced by a dict: hifi-gan's AttrDict (`self.__dict__ = self`, so
# keys are attributes and attributes are keys) and a bag that adopts another dict
RESULT = {}


class AttrDict(dict):
    def __init__(self, *args, **kwargs):
        super(AttrDict, self).__init__(*args, **kwargs)
        self.__dict__ = self


h = AttrDict({"resblock": "1", "upsample_rates": [8, 8, 2, 2]}, num_mels=80)
RESULT["keys_as_attrs"] = (h.resblock, h.upsample_rates, h.num_mels)
h.segment_size = 8192
RESULT["attr_is_key"] = (h["segment_size"], "segment_size" in h, len(h))
h["hop_size"] = 256
RESULT["key_is_attr"] = h.hop_size
del h.resblock
RESULT["deleted"] = ("resblock" in h, hasattr(h, "resblock"))
RESULT["dict_is_self"] = h.__dict__ is h
RESULT["missing"] = hasattr(h, "fmax")


class Bag:
    def __init__(self, values):
        self.old = 1
        self.__dict__ = values


b = Bag({"width": 64, "depth": 2})
RESULT["adopted"] = (b.width, b.depth, hasattr(b, "old"))
