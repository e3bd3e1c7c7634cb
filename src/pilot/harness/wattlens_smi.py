"""Parsing of `nvidia-smi --query-gpu=... --format=csv,noheader,nounits` output.

Kept free of subprocess calls so it can be tested with recorded output.
"""

QUERY_FIELDS = ("index", "uuid", "name", "power.draw", "power.limit")


def parse_float(text):
    text = text.strip()
    if text in ("", "[N/A]", "N/A", "[Not Supported]", "[Unknown Error]"):
        return None
    try:
        return float(text.split()[0])
    except ValueError:
        return None


def parse_query_csv(text, fields=QUERY_FIELDS):
    """Rows of a csv,noheader,nounits query as dicts; numbers parsed, '[N/A]' as None."""
    rows = []
    for line in text.splitlines():
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split(",")]
        if len(cells) != len(fields):
            continue  # a warning line or a truncated row: skip, never guess
        row = {}
        for name, cell in zip(fields, cells):
            if name in ("index",):
                row[name] = int(cell) if cell.isdigit() else None
            elif name in ("uuid", "name"):
                row[name] = cell
            else:
                row[name] = parse_float(cell)
        rows.append(row)
    return rows
