# f-strings with format specs, str.format, % formatting, repr/str of values
RESULT = {}
name = "net"
n = 42
ratio = 0.125
RESULT["fstring_basic"] = f"{name}-{n}"
RESULT["fstring_expr"] = f"{n * 2} {name.upper()} {[1, 2][1]}"
RESULT["fstring_spec"] = f"{ratio:.2f}|{n:5d}|{n:<5}|{n:>5}|{n:^6}|{n:05d}"
RESULT["fstring_conv"] = f"{name!r} {name!s}"
RESULT["fstring_comma"] = f"{1234567:,}"
RESULT["fstring_percent"] = f"{ratio:.1%}"
RESULT["format_method"] = "{} and {}".format("a", 1)
RESULT["format_named"] = "{x}/{y:.1f}".format(x=1, y=2.0)
RESULT["format_index"] = "{0}{1}{0}".format("a", "b")
RESULT["percent"] = "%s has %d layers (%.1f)" % ("m", 3, 1.25)
RESULT["str_of"] = [str(1), str(1.5), str(True), str(None), str([1, "a"]), str((1,)), str({"k": 1})]
RESULT["repr_of"] = [repr("a"), repr(2.0), repr([1, 2])]
RESULT["float_text"] = [str(0.1 + 0.2), str(1e20), str(1 / 3), str(2.5e-5)]
