# int and float semantics: floor division and modulo of negatives, true division, powers,
# rounding, conversions, comparisons, bool arithmetic
import math

RESULT = {}
RESULT["floordiv"] = [7 // 2, -7 // 2, 7 // -2, -7 // -2]
RESULT["mod"] = [7 % 3, -7 % 3, 7 % -3, -7 % -3]
RESULT["truediv"] = [7 / 2, 6 / 3, -1 / 4]
RESULT["float_floordiv_mod"] = [7.5 // 2, -7.5 // 2, 7.5 % 2, -7.5 % 2]
RESULT["divmod"] = [divmod(17, 5), divmod(-17, 5)]
RESULT["pow"] = [2 ** 10, 2 ** -1, (-2) ** 3, 4 ** 0.5, pow(3, 4), pow(2, 10, 1000)]
RESULT["big_int"] = 2 ** 40 * 3
RESULT["round"] = [round(2.5), round(3.5), round(-2.5), round(2.675, 2), round(7.0), round(1234, -2)]
RESULT["int_conv"] = [int(3.9), int(-3.9), int("42"), int(" 7 "), int(True)]
RESULT["float_conv"] = [float(3), float("1.5"), float("inf") > 1e308, float("-inf") < 0]
RESULT["mixed"] = [1 + 2.0, 3 * 1.5, 2 - True, True + True]
RESULT["abs"] = [abs(-3), abs(-2.5), abs(0)]
RESULT["compare_chain"] = [1 < 2 < 3, 3 > 2 > 2, 1 == 1.0, 0.1 + 0.2 == 0.3]
RESULT["min_max_sum"] = [min(3, 1.5), max([1, 4, 2]), sum([1, 2, 3]), sum([0.5, 0.25], 1)]
RESULT["math"] = [math.floor(2.7), math.ceil(2.1), math.sqrt(16), math.gcd(12, 18), math.prod([1, 2, 3, 4]), math.log2(8), math.isclose(0.1 + 0.2, 0.3)]
RESULT["math_consts"] = [round(math.pi, 5), math.inf > 0]
RESULT["bitwise"] = [5 & 3, 5 | 3, 5 ^ 3, ~5, 1 << 4, 256 >> 2]
RESULT["is_integer"] = [(4.0).is_integer(), (4.5).is_integer()]
RESULT["bool_ops"] = [True and 3, 0 or "x", not 0, None or [], 2 and 0]
RESULT["hex_bin"] = [hex(255), bin(5), oct(8)]
RESULT["augmented"] = (lambda: [(x := 5), (x := x * 3), (x := x // 4), (x := x ** 2)])()


# type(None): yacs checks `type(value) in {tuple, list, str, int, float, bool, type(None)}`
VALID = {tuple, list, str, int, float, bool, type(None)}
RESULT["none_type"] = [
    type(None) in VALID,
    type(None) is type(None),
    isinstance(None, type(None)),
    isinstance(0, type(None)),
    type(None)() is None,
    type(None).__name__,
    type(3) in VALID,
]
