# if / elif / else, while with break / continue / else, for-else, conditional expressions,
# walrus, match-free dispatch
RESULT = {}


def classify(n):
    if n < 0:
        return "neg"
    elif n == 0:
        return "zero"
    elif n < 10:
        return "small"
    else:
        return "big"


RESULT["elif"] = [classify(x) for x in [-1, 0, 5, 50]]
i, acc = 0, []
while i < 10:
    i += 1
    if i % 2:
        continue
    if i > 6:
        break
    acc.append(i)
RESULT["while_break_continue"] = acc


def find(xs, target):
    for x in xs:
        if x == target:
            break
    else:
        return "not found"
    return "found"


RESULT["for_else"] = [find([1, 2], 2), find([1, 2], 3)]
n = 0
while n < 3:
    n += 1
else:
    n += 100
RESULT["while_else"] = n
RESULT["ternary"] = ["yes" if 0 else "no", "a" if [1] else "b"]
data = [1, 5, 9]
RESULT["walrus"] = [y for x in data if (y := x * 2) > 5]
RESULT["pass_and_ellipsis"] = (lambda: [None for _ in range(2)])()
RESULT["nested_loops"] = [(a, b) for a in range(3) for b in range(3) if a != b and a + b == 3]
