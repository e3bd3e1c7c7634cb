# collections.deque; functools (partial, wraps, lru_cache, reduce); more itertools
import functools
import itertools
from collections import deque
from functools import partial, reduce, wraps, lru_cache

RESULT = {}
d = deque([1, 2, 3])
d.appendleft(0)
d.append(4)
RESULT["deque_ends"] = [list(d), d[0], d[-1], len(d)]
RESULT["deque_pops"] = [d.popleft(), d.pop(), list(d)]
b = deque(maxlen=3)
for i in range(5):
    b.append(i)
RESULT["deque_maxlen"] = [list(b), b.maxlen, deque().maxlen]
b.appendleft(9)
RESULT["deque_maxlen_left"] = list(b)
r = deque(range(5))
r.rotate(2)
RESULT["deque_rotate"] = list(r)
e = deque()
e.extendleft([1, 2, 3])
RESULT["deque_extendleft"] = [x for x in e]
RESULT["deque_isinstance"] = [isinstance(d, deque), isinstance([], deque), type(d).__name__]
tags = deque([""])
tags.appendleft("in1k")
RESULT["deque_tags"] = tags[0]


def affine(x, scale=1, shift=0):
    return x * scale + shift


double = partial(affine, scale=2)
RESULT["partial_kw"] = [double(3), double(3, shift=1), double(3, scale=5)]
nested = partial(partial(affine, 1), shift=7)
RESULT["partial_nested"] = [nested(), nested(scale=3)]
RESULT["partial_attrs"] = [double.func is affine, double.keywords, partial(affine, 4).args]


def logged(fn):
    @wraps(fn)
    def inner(*args, **kwargs):
        return fn(*args, **kwargs)

    return inner


@logged
def named_fn(x):
    return x + 1


RESULT["wraps"] = [named_fn.__name__, named_fn(1), named_fn.__wrapped__(1)]


@lru_cache(maxsize=None)
def square(x):
    return x * x


@functools.cache
def cube(x):
    return x**3


@lru_cache
def plain(x):
    return -x


RESULT["caches"] = [square(4), cube(2), plain(3)]
RESULT["reduce"] = [reduce(lambda a, b: a * b, [1, 2, 3, 4]), reduce(lambda a, b: a + b, [], 10)]
RESULT["chain_from_iterable"] = list(itertools.chain.from_iterable([[1], [2, 3]]))
RESULT["accumulate_init"] = list(itertools.accumulate([1, 2, 3], lambda a, b: a * b))
RESULT["product_repeat"] = len(list(itertools.product(range(2), repeat=3)))
RESULT["islice_stop"] = list(itertools.islice("abcdef", 3))
RESULT["takewhile_dropwhile"] = [list(itertools.takewhile(lambda x: x < 4, [1, 3, 5, 1])), list(itertools.dropwhile(lambda x: x < 4, [1, 5, 1]))]
RESULT["groupby"] = [(k, len(list(g))) for k, g in itertools.groupby("aabccc")]
RESULT["pairwise"] = list(itertools.pairwise([1, 2, 3]))
RESULT["starmap"] = list(itertools.starmap(pow, [(2, 3), (3, 2)]))
