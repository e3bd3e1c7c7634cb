# classes, inheritance, C3 MRO, super() with and without arguments, class attributes
RESULT = {}


class A:
    tag = "a"

    def __init__(self):
        self.trace = ["A"]

    def who(self):
        return "A"


class B(A):
    def __init__(self):
        super().__init__()
        self.trace.append("B")

    def who(self):
        return "B>" + super().who()


class C(A):
    tag = "c"

    def __init__(self):
        super().__init__()
        self.trace.append("C")

    def who(self):
        return "C>" + super().who()


class D(B, C):
    def __init__(self):
        super(D, self).__init__()
        self.trace.append("D")

    def who(self):
        return "D>" + super().who()


d = D()
RESULT["mro"] = [k.__name__ for k in D.__mro__]
RESULT["init_chain"] = d.trace
RESULT["method_chain"] = d.who()
RESULT["class_attr"] = d.tag
RESULT["isinstance"] = [isinstance(d, A), isinstance(d, C), isinstance(A(), D)]
RESULT["issubclass"] = [issubclass(D, A), issubclass(A, D), issubclass(B, (C, A))]
RESULT["type_name"] = type(d).__name__
RESULT["bases"] = [k.__name__ for k in D.__bases__]


class Counter:
    count = 0

    def __init__(self):
        Counter.count += 1
        self.id = Counter.count

    @classmethod
    def make(cls):
        return cls()

    @staticmethod
    def double(x):
        return 2 * x


Counter()
c = Counter.make()
RESULT["classmethod"] = [c.id, Counter.count]
RESULT["staticmethod"] = [Counter.double(4), c.double(5)]
RESULT["instance_shadows_class"] = (lambda o: (setattr(o, "count", 99), o.count, Counter.count)[1:])(Counter())
RESULT["hasattr"] = [hasattr(c, "id"), hasattr(c, "nope")]
RESULT["getattr_default"] = getattr(c, "nope", "fallback")


class WithDunders:
    def __init__(self, v):
        self.v = v

    def __add__(self, other):
        return WithDunders(self.v + other.v)

    def __eq__(self, other):
        return self.v == other.v

    def __len__(self):
        return self.v

    def __getitem__(self, i):
        return i * 10

    def __contains__(self, x):
        return x == self.v

    def __call__(self, k):
        return self.v * k


w = WithDunders(3) + WithDunders(4)
RESULT["dunders"] = [w.v, w == WithDunders(7), len(w), w[2], 7 in w, 8 in w, w(2)]


class Backend:
    pass


class TorchBackend(Backend):
    pass


class NumpyBackend(Backend):
    pass


RESULT["subclasses"] = [c.__name__ for c in Backend.__subclasses__()] + [len(TorchBackend.__subclasses__())]


# zero-argument super() in a method wrapped by a decorator that calls it through a closure
# (Demucs' @capture_init): the method still knows its class, as CPython's __class__ cell does
def capture_init(init):
    def __init__(self, *args, **kwargs):
        self._init_args_kwargs = (args, kwargs)
        init(self, *args, **kwargs)

    return __init__


class Layer:
    def __init__(self, width):
        self.width = width


class Captured(Layer):
    @capture_init
    def __init__(self, width, depth=2):
        super().__init__(width * depth)
        self.depth = depth


c = Captured(3, depth=4)
RESULT["super_in_wrapped_init"] = [c.width, c.depth, c._init_args_kwargs[0], sorted(c._init_args_kwargs[1])]
