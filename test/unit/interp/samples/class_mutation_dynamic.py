# classes changed at run time: attributes deleted, classes made by type(), globals() rebound
RESULT = {}


class Base:
    x = 1
    y = 2

    def f(self):
        return "base"


class Child(Base):
    x = 10


obj = Child()
del Child.x
RESULT["del_class_attr"] = [obj.x, Child.x, hasattr(Child, "x")]
delattr(Base, "y")
RESULT["delattr_class"] = [hasattr(obj, "y"), hasattr(Base, "y")]
try:
    del Child.y
    RESULT["del_missing"] = "deleted"
except AttributeError:
    RESULT["del_missing"] = "AttributeError"
del Base.f
RESULT["del_method"] = hasattr(obj, "f")


def double(self):
    return self.n * 2


Made = type("Made", (Base,), {"n": 3, "double": double})
made = Made()
RESULT["type3"] = [Made.__name__, made.double(), made.x, isinstance(made, Base), Made.__bases__ == (Base,)]
Plain = type("Plain", (), {})
RESULT["type3_plain"] = [Plain.__name__, Plain.__bases__ == (object,), type(Plain()) is Plain]
RESULT["type1"] = [type(made) is Made, type(3) is int]

globals()["ADDED"] = 7
RESULT["globals_new"] = ADDED  # noqa: F821
LIMIT = 1


def read_limit():
    return LIMIT


globals()["LIMIT"] = 5
RESULT["globals_rebind"] = [LIMIT, read_limit()]
for name, value in [("A_ONE", 1), ("A_TWO", 2)]:
    globals()[name] = value
RESULT["globals_loop"] = [A_ONE, A_TWO]  # noqa: F821
globals().update({"UPDATED": "u"})
RESULT["globals_update"] = UPDATED  # noqa: F821
