# a cycle through a package's __init__: its parent package runs before the submodule, as in Python
# entry: Net()
# input: 2x8
from .heads import Heads
from .builder import Net

__all__ = ['Heads', 'Net']
