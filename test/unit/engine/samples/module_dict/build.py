# a builder picked by name from a module's __dict__ (DINOv2's hub: `vits.__dict__[arch_name]`),
# and a module global rebound by writing to that __dict__
# entry: build("wide")
# input: 3x8
from zoo import nets

nets.__dict__["HIDDEN"] = 16


def build(name):
    return nets.__dict__[name](width=8)
