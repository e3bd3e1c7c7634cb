# dict and set operations, ordering, views, defaults
RESULT = {}
d = {"b": 2, "a": 1}
d["c"] = 3
d.update({"a": 10}, z=26)
RESULT["dict_order"] = list(d.keys())
RESULT["dict_values"] = list(d.values())
RESULT["dict_items"] = sorted(d.items())
RESULT["get"] = [d.get("a"), d.get("q"), d.get("q", 0)]
RESULT["setdefault"] = [d.setdefault("y", 5), d.setdefault("a", 0)]
RESULT["pop"] = [d.pop("b"), d.pop("missing", None), "b" in d]
RESULT["len_in"] = [len(d), "a" in d, 10 in d]
e = dict(zip(["k", "l"], [1, 2]))
del e["k"]
RESULT["dict_zip_del"] = e
RESULT["dict_kwargs"] = dict(a=1, b=2)
RESULT["fromkeys"] = dict.fromkeys(["a", "b"], 0)
RESULT["copy_independent"] = (lambda src: (src.copy().update(n=1), src)[1])({"m": 0})
RESULT["int_float_keys"] = {1: "int", 1.0: "float", True: "bool"}
RESULT["tuple_keys"] = {(1, 2): "t"}[(1, 2)]
s = {3, 1, 2}
s.add(4)
s.discard(1)
RESULT["set_ops"] = [sorted(s | {9}), sorted(s & {2, 3}), sorted(s - {2}), sorted(s ^ {3, 7})]
RESULT["set_compare"] = [{1, 2} <= {1, 2, 3}, {1} < {1}, {1, 2} == {2, 1}]
RESULT["set_methods"] = [sorted({1, 2}.union([3])), sorted({1, 2}.intersection({2})), {1}.issubset({1, 2})]
RESULT["frozenset"] = sorted(frozenset([3, 3, 1]))
RESULT["dedupe"] = sorted(set("mississippi"))
RESULT["dict_eq"] = [{"a": 1} == {"a": 1}, {"a": 1} == {"a": 2}]
RESULT["set_more"] = [{1, 2, 3}.symmetric_difference([2, 5]), {1, 2}.issuperset([1]), {1}.isdisjoint({2}), {1, 2}.isdisjoint([2])]
ds = {1, 2, 3}
ds.difference_update([1], {3})
RESULT["difference_update"] = ds
