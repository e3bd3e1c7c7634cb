# class attributes read through instances and subclasses, then changed: later reads see the change
RESULT = {}


class Base:
    x = 1

    def f(self):
        return "base"


class Mid(Base):
    pass


class Leaf(Mid):
    pass


obj = Leaf()
RESULT["before"] = [obj.x, obj.f(), Leaf.x, hasattr(obj, "z")]
Mid.x = 2
RESULT["set_on_mid"] = [obj.x, Leaf.x, Base.x]
Leaf.x = 3
RESULT["set_on_leaf"] = obj.x
Mid.x = 4
RESULT["set_on_mid_again"] = [obj.x, Leaf.x, Mid().x]
Base.f = lambda self: "patched"
RESULT["patched_method"] = obj.f()


def g(self):
    return "added"


Mid.g = g
RESULT["added_method"] = obj.g()
setattr(Base, "z", 5)
RESULT["setattr"] = [obj.z, hasattr(obj, "z")]


class Sub(Mid):
    pass


RESULT["new_subclass"] = [Sub().x, Sub().f()]
Base.x = 8
RESULT["base_after"] = [Base().x, Sub().x, Mid().x]
