_WIDTHS = {"small": 16, "big": 64}


def __getattr__(name):
    # PEP 562: names the module does not define
    if name.upper() == name:
        return _WIDTHS[name.lower()]
    raise AttributeError(name)
