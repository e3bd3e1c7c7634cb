# what the interpreter does not model must come out Unknown, never as a wrong value
import io
import itertools
import json
import os
import random
import re

RESULT = {}
# expect-unknown: regex — atomic groups have no JavaScript RegExp equivalent
RESULT["regex"] = re.sub(r"(?>a+)b", "#", "aab")
# expect-unknown: regex_match — possessive quantifiers have no JavaScript RegExp equivalent
RESULT["regex_match"] = bool(re.match(r"a++b", "aab"))
# expect-unknown: regex_unknown_text — the text to match is not known
RESULT["regex_unknown_text"] = re.sub(r"\d", "#", str(random.random()))
# expect-unknown: json_stream — json.load reads only a file open() read
RESULT["json_stream"] = json.load(io.StringIO('{"a": 1}'))["a"]
# expect-unknown: file_exists — the file system is not read
RESULT["file_exists"] = os.path.exists("/")
# expect-unknown: unbounded_count — itertools.count is unbounded
RESULT["unbounded_count"] = next(itertools.count(5))
# expect-unknown: derived_from_unknown — arithmetic on an unknown stays unknown
RESULT["derived_from_unknown"] = len(str(random.random())) * 2 + 1
RESULT["known_beside_unknown"] = [1, 2][1]
# random draws are unknown, except where only one value can come out
RESULT["random_one_value"] = [random.randrange(1), random.randrange(2, 3), random.randint(4, 4), random.choice([7])]
# expect-unknown: random_draw — the value is drawn at run time
RESULT["random_draw"] = random.randrange(10)
# expect-unknown: random_float — the value is drawn at run time
RESULT["random_float"] = random.random()
