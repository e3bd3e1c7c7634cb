# re basics as library code uses them: compile, match, search, fullmatch, sub, split, findall, groups
import re

RESULT = {}
m = re.match(r"(\d+)x(\d+)", "224x160 px")
RESULT["match_groups"] = [m.group(0), m.group(1), m.group(2), m.groups(), m.span(), m.start(2), m.end(2)]
RESULT["match_none"] = re.match(r"\d+", "px224") is None
RESULT["search"] = re.search(r"\d+", "px224").group()
RESULT["fullmatch"] = [bool(re.fullmatch(r"[a-z_]+\d*", "layer12")), re.fullmatch(r"\d", "12") is None]
RESULT["split_groups"] = re.split(r"(\d.*)", "k3")
RESULT["split_plain"] = re.split(r"[,;]\s*", "a, b;c")
RESULT["split_max"] = re.split(r"_", "a_b_c_d", maxsplit=2)
RESULT["sub"] = re.sub(r"\.(\d+)\.", r"[\1].", "blocks.3.attn")
RESULT["sub_count"] = re.sub("a", "b", "aaa", count=2)
RESULT["sub_fn"] = re.sub(r"\d+", lambda mo: str(int(mo.group()) * 2), "x1y22")
RESULT["subn"] = re.subn(r"o", "0", "foo boo")
RESULT["findall"] = [re.findall(r"\d+", "a1b22c333"), re.findall(r"(\w)=(\d)", "a=1 b=2")]
RESULT["named"] = re.match(r"(?P<name>[a-z]+)_(?P<size>\d+)", "vit_224").groupdict()
RESULT["named_group"] = re.match(r"(?P<name>[a-z]+)", "vit").group("name")
p = re.compile(r"^stage(\d)\.", re.IGNORECASE)
RESULT["compiled"] = [p.match("Stage2.conv").group(1), p.pattern, p.search("x") is None]
RESULT["escape"] = re.escape("a.b*c")
RESULT["verbose"] = re.match(r"""(\d+)  # width
                                 x (\d+)  # height""", "3x4", re.VERBOSE).groups()
RESULT["finditer"] = [mo.span() for mo in re.finditer(r"b+", "abbcb")]
RESULT["optional_group"] = re.match(r"(a)(b)?", "a").groups()
