# generators (yield, yield from, generator expressions), list/dict/set comprehensions
RESULT = {}


def squares(n):
    for i in range(n):
        yield i * i


def chained():
    yield 0
    yield from squares(3)
    yield from [10, 11]


RESULT["generator"] = list(squares(5))
RESULT["yield_from"] = list(chained())
RESULT["genexpr_sum"] = sum(x for x in range(10) if x % 3 == 0)
RESULT["list_comp_nested"] = [(i, j) for i in range(3) for j in range(i)]
RESULT["list_comp_if_else"] = [x if x % 2 else -x for x in range(6)]
RESULT["dict_comp"] = {k: len(k) for k in ["a", "bb", "ccc"]}
RESULT["set_comp"] = {x % 3 for x in range(10)}
RESULT["comp_scope"] = [[y * 2 for y in row] for row in [[1, 2], [3]]]
RESULT["any_all"] = [any(x > 3 for x in [1, 5]), all(x > 3 for x in [1, 5]), any([]), all([])]
RESULT["enumerate_zip"] = [(i, a, b) for i, (a, b) in enumerate(zip("xyz", [1, 2, 3]), start=1)]
RESULT["next_default"] = next((x for x in [1, 2] if x > 5), "none")
gen = squares(4)
RESULT["next_steps"] = [next(gen), next(gen)]
RESULT["sorted_key"] = sorted(["bbb", "a", "cc"], key=len, reverse=True)
RESULT["map_filter"] = [list(map(lambda x: x + 1, [1, 2])), list(filter(None, [0, 1, 2, 0]))]
RESULT["reversed"] = list(reversed([1, 2, 3]))
RESULT["min_max_key"] = [min([3, 1, 2]), max("hello"), max([(1, "b"), (2, "a")], key=lambda t: t[1])]
