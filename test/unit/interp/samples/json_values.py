# json.loads as configs use it: ints stay ints and floats floats, objects keep their order, errors are ValueErrors
import json

RESULT = {}

config = json.loads('{"hidden": 768, "dropout": 0.1, "scale": 1.0, "eps": 1e-06, "layers": [2, 2, 6, 2], "act": "gelu", "bias": true, "head": null}')
RESULT["types"] = [type(v).__name__ for v in config.values()]
RESULT["keys"] = list(config)
RESULT["hidden"] = config["hidden"] * 4
RESULT["scale_is_float"] = isinstance(config["scale"], float)
RESULT["nested"] = json.loads('{"a": {"b": [1, {"c": -2.5E+2}]}, "a2": []}')["a"]["b"][1]["c"]
RESULT["duplicate"] = json.loads('{"x": 1, "y": 2, "x": 3}')
RESULT["escapes"] = json.loads('"tab\\t quote\\" slash\\/ \\u00e9"')
RESULT["whitespace"] = json.loads(' \n\t[ 1 ,\r\n 2 ] ')
RESULT["infinity"] = json.loads("[Infinity, -Infinity]")[0] > 1e308
RESULT["kw"] = json.loads(s="[0]")
errors = []
for text in ['{"a": 1,}', "[1,]", "1 2", '"abc', "{1: 2}", '{"a" 1}', "[1 2]", "", '"a\\qb"']:
    try:
        json.loads(text)
        errors.append(None)
    except ValueError as e:
        errors.append(str(e))
RESULT["errors"] = errors
try:
    json.loads("[" * 100000)
    RESULT["too_deep"] = None
except RecursionError:
    RESULT["too_deep"] = "RecursionError"
