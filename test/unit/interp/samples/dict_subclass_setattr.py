# subclasses of dict keep their class and methods (yacs' CfgNode, AttrDict); a class's own __setattr__ runs
RESULT = {}


class AttrDict(dict):
    def __getattr__(self, name):
        if name in self:
            return self[name]
        raise AttributeError(name)

    def __setattr__(self, name, value):
        self[name] = value


a = AttrDict(dim=4)
a.depth = 2
a["width"] = 8
RESULT["attrs"] = (a.dim, a.depth, a.width, a["depth"])
RESULT["dict"] = (len(a), sorted(a.keys()), sorted(a.items()), "depth" in a, a.get("nope", 7))
RESULT["isinstance"] = (isinstance(a, dict), isinstance(a, AttrDict), isinstance({}, AttrDict))
RESULT["iter"] = sorted(k for k in a)


class Node(dict):
    def __init__(self, init=None, frozen=False):
        super(Node, self).__init__(init or {})
        self.__dict__["frozen"] = frozen

    def __setattr__(self, name, value):
        if self.__dict__["frozen"]:
            raise AttributeError("frozen")
        self[name] = value


n = Node({"a": 1})
n.b = 2
RESULT["node"] = (sorted(n.items()), n.frozen, "frozen" in n)
f = Node(frozen=True)
try:
    f.x = 1
    RESULT["frozen"] = "set"
except AttributeError as e:
    RESULT["frozen"] = str(e)


class Slots:
    def __init__(self):
        self.log = []
        self.x = 1

    def __setattr__(self, name, value):
        if name != "log":
            self.log.append(name)
        object.__setattr__(self, name, value)


s = Slots()
s.y = 2
RESULT["setattr"] = (s.log, s.x, s.y)
