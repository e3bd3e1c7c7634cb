# call arguments: evaluation order across positional and keyword arguments, every count of
# positional ones, keyword dicts a callee changes, star targets in loops
RESULT = {}
order = []


def seen(tag, value):
    order.append(tag)
    return value


def collect(*args, **kwargs):
    return [list(args), sorted(kwargs.items())]


RESULT["none"] = collect()
RESULT["one"] = collect(seen("a", 1))
RESULT["three_then_keywords"] = collect(seen("b", 1), seen("c", 2), seen("d", 3), x=seen("e", 4), y=seen("f", 5))
RESULT["four"] = collect(1, 2, 3, 4)
RESULT["keywords_only"] = collect(k=seen("g", 1))
RESULT["star_after_keyword"] = collect(1, k=2, *[3, 4])
RESULT["order"] = order


def grow(**kwargs):
    kwargs["added"] = True
    return sorted(kwargs)


RESULT["grow_empty"] = [grow(), grow(), grow(a=1)]


def defaults(a, b=2, *, c=3):
    return [a, b, c]


RESULT["defaults"] = [defaults(1), defaults(1, 5), defaults(1, c=9), defaults(b=7, a=0)]
pairs = []
for first, *rest in [(1, 2, 3), (4,), (5, 6)]:
    pairs.append([first, rest])
for (x, y), z in [((1, 2), 3)]:
    pairs.append([x, y, z])
RESULT["loop_targets"] = pairs
