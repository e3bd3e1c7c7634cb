# function and class decorators, functools.wraps, decorator factories, registries
import functools

RESULT = {}
calls = []


def logged(fn):
    @functools.wraps(fn)
    def wrapper(*a, **k):
        calls.append(fn.__name__)
        return fn(*a, **k)

    return wrapper


def times(n):
    def deco(fn):
        def wrapper(x):
            for _ in range(n):
                x = fn(x)
            return x

        return wrapper

    return deco


@logged
def double(x):
    return 2 * x


@times(3)
def inc(x):
    return x + 1


RESULT["wrapped"] = [double(4), double.__name__, calls]
RESULT["factory"] = inc(0)

REGISTRY = {}


def register(name):
    def deco(obj):
        REGISTRY[name] = obj
        return obj

    return deco


@register("small")
def small():
    return "s"


@register("cls")
class Thing:
    pass


RESULT["registry"] = [sorted(REGISTRY), REGISTRY["small"](), REGISTRY["cls"].__name__]


def add_attr(cls):
    cls.extra = 7
    return cls


@add_attr
class Marked:
    pass


RESULT["class_decorator"] = Marked.extra


@logged
@times(2)
def stacked(x):
    return x * 3


RESULT["stacked"] = stacked(1)
RESULT["partial"] = functools.partial(lambda a, b, c=0: [a, b, c], 1, c=3)(2)
RESULT["reduce"] = functools.reduce(lambda a, b: a * b, [1, 2, 3, 4], 1)


@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


RESULT["lru_cache"] = fib(15)
