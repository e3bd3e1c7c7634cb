# property with setter and deleter: a data descriptor, so it wins over the instance dict.
RESULT = {}


class Box:
    def __init__(self, width):
        self.width = width  # goes through the setter

    @property
    def width(self):
        return self._width

    @width.setter
    def width(self, value):
        self._width = value * 2
        self.log = getattr(self, "log", []) + [value]

    @width.deleter
    def width(self):
        self._width = None


b = Box(3)
RESULT["setter_in_init"] = b.width
b.width = 5
RESULT["setter_later"] = b.width
RESULT["setter_log"] = b.log
RESULT["not_in_dict"] = "width" in b.__dict__
del b.width
RESULT["after_delete"] = b._width


class ReadOnly:
    @property
    def size(self):
        return 4


r = ReadOnly()
try:
    r.size = 9
    RESULT["getter_only_set"] = "no error"
except AttributeError:
    RESULT["getter_only_set"] = "AttributeError"
RESULT["getter_only_value"] = r.size
try:
    del r.size
    RESULT["getter_only_del"] = "no error"
except AttributeError:
    RESULT["getter_only_del"] = "AttributeError"


class Explicit:
    def _get(self):
        return self._v + 1

    def _set(self, v):
        self._v = v

    v = property(_get, _set)


e = Explicit()
e.v = 10
RESULT["property_call_form"] = e.v


class Base:
    @property
    def kind(self):
        return "base"


class Child(Base):
    @property
    def kind(self):
        return "child of " + super().kind


RESULT["super_property"] = Child().kind
