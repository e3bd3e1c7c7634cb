# descriptors with __get__/__set__/__delete__, __getattr__, __init_subclass__, super() in classmethods
RESULT = {}


class Positive:
    def __set_name__(self, owner, name):
        self.name = "_" + name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return getattr(obj, self.name, 0)

    def __set__(self, obj, value):
        setattr(obj, self.name, abs(value))

    def __delete__(self, obj):
        setattr(obj, self.name, -1)


class Cfg:
    depth = Positive()

    def __init__(self, d):
        self.depth = d


c = Cfg(-3)
RESULT["descriptor_set_get"] = [c.depth, "depth" in c.__dict__]
del c.depth
RESULT["descriptor_delete"] = c.depth
RESULT["descriptor_on_class"] = isinstance(Cfg.depth, Positive)


class Lazy:
    def __getattr__(self, name):
        if name.startswith("x"):
            return name.upper()
        raise AttributeError(name)


lz = Lazy()
lz.real = 1
RESULT["getattr_fallback"] = [lz.xy, lz.real, getattr(lz, "nope", "default"), hasattr(lz, "nope")]

REGISTRY = {}


class Plugin:
    def __init_subclass__(cls, key=None, **kwargs):
        super().__init_subclass__(**kwargs)
        REGISTRY[key or cls.__name__] = cls


class A(Plugin, key="a"):
    pass


class B(Plugin):
    pass


RESULT["init_subclass"] = sorted(REGISTRY)


class Shape:
    def __init__(self, n):
        self.n = n

    @classmethod
    def make(cls, n):
        return cls(n)


class Square(Shape):
    @classmethod
    def make(cls, n):
        inst = super().make(n * n)
        inst.kind = cls.__name__
        return inst


s = Square.make(3)
RESULT["super_classmethod"] = [s.n, s.kind, type(s).__name__]


class Net:
    def __init__(self):
        self._width = 1

    @property
    def width(self):
        return self._width

    @width.setter
    def width(self, v):
        self._width = v * 8


class Wide(Net):
    def __init__(self):
        super().__init__()
        self.width = 11


RESULT["inherited_setter"] = Wide().width
