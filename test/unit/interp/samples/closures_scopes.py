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


def prefixed_config(*, num_classes, s1_dim=64, s1_depth=1, s2_dim=192, dropout=0.0):
    # vit-pytorch's CvT / TwinsSVT: group the keyword arguments by prefix through locals()
    kwargs = dict(locals())
    with_prefix = {k[len("s1_"):]: v for k, v in kwargs.items() if k.startswith("s1_")}
    extra = 7
    later = locals()
    return [list(kwargs.items()), with_prefix, sorted(later), vars()["extra"]]


RESULT["locals_snapshot"] = prefixed_config(s2_dim=3, num_classes=10)


def locals_order(b, a, *rest, c=1, **kw):
    z = 0
    y = 1
    return list(locals())


RESULT["locals_order"] = locals_order(1, 2, 3, d=4)
