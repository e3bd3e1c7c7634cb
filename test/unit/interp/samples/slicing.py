# slicing and indexing of lists, tuples, strings, ranges; slice assignment
RESULT = {}
xs = list(range(10))
RESULT["basic"] = [xs[2:5], xs[:3], xs[7:], xs[-3:], xs[:-7]]
RESULT["step"] = [xs[::2], xs[1::3], xs[::-1], xs[8:2:-2], xs[-1:-4:-1]]
RESULT["out_of_range"] = [xs[5:100], xs[100:], xs[-100:2]]
RESULT["negative_index"] = [xs[-1], xs[-10]]
RESULT["string"] = ["abcdef"[1:4], "abcdef"[::-1], "abcdef"[-2:]]
RESULT["tuple"] = (1, 2, 3, 4)[1:3]
RESULT["range_index"] = [range(0, 20, 3)[2], range(10)[-1], len(range(3, 30, 4))]
RESULT["slice_object"] = xs[slice(1, 8, 3)]
ys = [0, 1, 2, 3, 4]
ys[1:3] = ["a", "b", "c"]
RESULT["slice_assign"] = ys
zs = [0, 1, 2, 3]
zs[-1] = 9
del zs[0]
RESULT["item_assign_del"] = zs
nested = [[1, 2, 3], [4, 5, 6]]
RESULT["nested"] = [nested[1][2], [row[1:] for row in nested]]
try:
    xs[20]
    RESULT["index_error"] = "no error"
except IndexError:
    RESULT["index_error"] = "IndexError"
