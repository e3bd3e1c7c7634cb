# str methods model files use
RESULT = {}
s = "  Hello, World  "
RESULT["strip"] = [s.strip(), s.lstrip(), s.rstrip(), "xxhixx".strip("x")]
RESULT["case"] = ["aBc".upper(), "aBc".lower(), "hello world".title(), "hello".capitalize(), "aBc".swapcase()]
RESULT["split"] = ["a,b,,c".split(","), "a b  c".split(), "a.b.c".rsplit(".", 1), "k=v=w".split("=", 1)]
RESULT["join"] = ["-".join(["a", "b", "c"]), "".join(reversed("abc"))]
RESULT["find"] = ["hello".find("l"), "hello".rfind("l"), "hello".find("z"), "hello".index("e"), "hello".count("l")]
RESULT["replace"] = ["aaa".replace("a", "b"), "aaa".replace("a", "b", 2)]
RESULT["predicates"] = ["abc".startswith("ab"), "abc".endswith(("x", "c")), "123".isdigit(), "abc".isalpha(), "a1".isalnum(), " ".isspace(), "Ab".isupper(), "ab".islower()]
RESULT["pad"] = ["7".zfill(3), "ab".ljust(4, "."), "ab".rjust(4), "ab".center(6, "*")]
RESULT["partition"] = ["a:b:c".partition(":"), "a:b:c".rpartition(":")]
RESULT["concat_repeat"] = ["ab" + "cd", "ab" * 3, 3 * "-"]
RESULT["compare"] = ["abc" < "abd", "b" > "abc", "a" == "a"]
RESULT["ord_chr"] = [ord("A"), chr(98)]
RESULT["in"] = ["ell" in "hello", "z" in "hello"]
RESULT["splitlines"] = "a\nb\n\nc".splitlines()
RESULT["removeprefix"] = ["model.layer".removeprefix("model."), "x.py".removesuffix(".py")]
RESULT["iteration"] = [c for c in "abc"]
RESULT["len"] = len("héllo")
RESULT["unbound_str_methods"] = [str.isalnum("a1"), str.isalnum("_"), str.upper("ab"), list(map(str.strip, [" a ", "b "]))]
RESULT["more_predicates"] = ["Ab1".isalnum(), "".isalnum(), "ab".isalpha(), "12".isdigit(), "a b".isspace(), " \t".isspace()]
