# closures, nonlocal, global, default arguments evaluated once, lambdas
RESULT = {}


def make_counter(start):
    n = start

    def inc(step=1):
        nonlocal n
        n += step
        return n

    return inc


c = make_counter(10)
c()
c(5)
RESULT["nonlocal_counter"] = c()

TOTAL = 0


def add_global(x):
    global TOTAL
    TOTAL += x
    return TOTAL


add_global(3)
add_global(4)
RESULT["global"] = TOTAL


def append_default(x, acc=[]):
    acc.append(x)
    return acc


append_default(1)
RESULT["mutable_default"] = append_default(2)

adders = [lambda x, i=i: x + i for i in range(3)]
RESULT["lambda_default_capture"] = [f(10) for f in adders]
late = [lambda x: x + i for i in range(3)]
RESULT["lambda_late_binding"] = [f(10) for f in late]


def outer():
    x = "outer"

    def middle():
        def inner():
            return x

        return inner()

    return middle()


RESULT["nested_closure"] = outer()


def kw_only(a, *, b=2, **rest):
    return [a, b, sorted(rest)]


RESULT["kw_only"] = kw_only(1, b=3, z=1, y=2)


def positional(*args, **kwargs):
    return [len(args), sorted(kwargs.items())]


RESULT["varargs"] = positional(1, 2, 3, x=1, w=0)
RESULT["recursion"] = (lambda f: f(f, 10))(lambda self, n: 1 if n <= 1 else n * self(self, n - 1))
