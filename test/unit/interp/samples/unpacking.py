# star-unpacking in assignments, calls, literals; swaps; nested targets
RESULT = {}

a, *rest = [1, 2, 3, 4]
*init, last = (1, 2, 3)
first, *mid, end = "abcde"
RESULT["star_assign"] = [a, rest, init, last, first, mid, end]
x, y = 1, 2
x, y = y, x
RESULT["swap"] = [x, y]
(p, q), r = (1, 2), 3
RESULT["nested_target"] = [p, q, r]
for i, (k, v) in enumerate({"a": 1, "b": 2}.items()):
    RESULT["loop_unpack_" + k] = [i, v]


def f(a, b, c=0, *args, **kwargs):
    return [a, b, c, list(args), sorted(kwargs.items())]


RESULT["call_star"] = f(*[1, 2])
RESULT["call_star_more"] = f(*(1, 2, 3, 4), **{"z": 5})
RESULT["call_mixed"] = f(1, *[2], *[3, 4], k=1, **{"j": 2})
RESULT["literal_star"] = [*range(3), *"ab"]
RESULT["dict_merge"] = {**{"a": 1, "b": 2}, "b": 3, **{"c": 4}}
RESULT["set_star"] = {*[1, 2], *(2, 3)}
RESULT["tuple_star"] = (*[1], 2)
shape = (2, 3, 4, 5)
n, h, w, d = *shape[:3], 7
RESULT["star_of_slice"] = [n, h, w, d]
RESULT["star_of_call"] = [*"a-b".split("-"), *dict(k=1).keys()]
try:
    m, n = [1, 2, 3]
    RESULT["too_many"] = "no error"
except ValueError:
    RESULT["too_many"] = "ValueError"
