# try / except / else / finally, raise, custom exceptions, with-statements
RESULT = {}
log = []


class ConfigError(ValueError):
    pass


def check(x):
    if x < 0:
        raise ConfigError("negative: " + str(x))
    return x


def guarded(x):
    try:
        v = check(x)
    except ValueError as e:
        log.append("caught " + type(e).__name__)
        return -1
    else:
        log.append("else")
        return v
    finally:
        log.append("finally")


RESULT["returns"] = [guarded(3), guarded(-2)]
RESULT["order"] = log
try:
    {}["missing"]
except (IndexError, KeyError) as e:
    RESULT["tuple_except"] = type(e).__name__
try:
    [][1]
except Exception as e:
    RESULT["base_catch"] = type(e).__name__
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise RuntimeError("wrapped")
except RuntimeError as e:
    RESULT["reraise_msg"] = str(e)
try:
    raise ConfigError("bad")
except ConfigError as e:
    RESULT["custom_args"] = [e.args[0], isinstance(e, ValueError)]


def finally_overrides():
    for i in range(3):
        try:
            if i == 1:
                break
        finally:
            log.append("f" + str(i))
    return i


RESULT["finally_in_loop"] = [finally_overrides(), log[-2:]]


class Ctx:
    def __init__(self, name):
        self.name = name
        self.events = []

    def __enter__(self):
        self.events.append("enter")
        return self.name.upper()

    def __exit__(self, et, ev, tb):
        self.events.append("exit " + (et.__name__ if et else "clean"))
        return True


c = Ctx("res")
with c as value:
    c.events.append("body " + value)
RESULT["with_clean"] = c.events
c2 = Ctx("x")
with c2:
    raise KeyError("k")
RESULT["with_suppress"] = c2.events
try:
    assert 1 > 2, "one is small"
except AssertionError as e:
    RESULT["assert"] = str(e)


def finally_return_wins():
    try:
        return "try"
    finally:
        return "finally"


def finally_return_swallows():
    try:
        raise ValueError("lost")
    finally:
        return "swallowed"


def finally_break_in_loop():
    out = []
    for i in range(3):
        try:
            out.append(i)
        finally:
            if i == 1:
                break
    return out


RESULT["finally_return_wins"] = finally_return_wins()
RESULT["finally_return_swallows"] = finally_return_swallows()
RESULT["finally_break_in_loop"] = finally_break_in_loop()
