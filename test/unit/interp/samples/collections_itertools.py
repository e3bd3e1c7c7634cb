# collections: namedtuple, OrderedDict, defaultdict, Counter, deque; itertools; operator
import itertools
import operator
from collections import OrderedDict, defaultdict, namedtuple

RESULT = {}
Point = namedtuple("Point", ["x", "y"])
p = Point(1, y=2)
RESULT["namedtuple"] = [p.x, p.y, p[0], tuple(p), p._replace(x=5).x, Point._fields]
od = OrderedDict([("b", 1), ("a", 2)])
od["c"] = 3
RESULT["ordereddict"] = list(od.items())
dd = defaultdict(list)
for k, v in [("a", 1), ("b", 2), ("a", 3)]:
    dd[k].append(v)
RESULT["defaultdict"] = dict(dd)
cnt = defaultdict(int)
for ch in "abca":
    cnt[ch] += 1
RESULT["defaultdict_int"] = sorted(cnt.items())
RESULT["chain"] = list(itertools.chain([1, 2], (3,), "ab"))
RESULT["product"] = list(itertools.product([0, 1], "ab"))
RESULT["accumulate"] = list(itertools.accumulate([1, 2, 3, 4]))
RESULT["repeat_islice"] = [list(itertools.repeat("x", 3)), list(itertools.islice(range(10), 2, 8, 2))]
RESULT["combinations"] = [list(itertools.combinations([1, 2, 3], 2)), len(list(itertools.permutations(range(3))))]
RESULT["zip_longest"] = list(itertools.zip_longest([1, 2, 3], "ab", fillvalue="-"))
RESULT["operator"] = [operator.add(2, 3), operator.mul(4, 5), operator.itemgetter(1)([7, 8])]
