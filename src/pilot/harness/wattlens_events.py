"""JSON-lines event stream of one rank, written to the run folder.

One file per rank (events.rank<N>.jsonl) so ranks never interleave writes. Events are
buffered and flushed at window edges and at the end: the reader tails the file.
"""
import json
import math
import time

# One encoder for the whole run: json.dumps(..., separators=...) would build a new one per event.
# allow_nan=False: JSON has no NaN/Infinity, so a non-finite number fails fast and takes the slow path.
_ENCODER = json.JSONEncoder(separators=(",", ":"), allow_nan=False)


def _finite(value):
    """JSON has no NaN/Infinity: a non-finite float (a diverged loss) is written as null, at any depth."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def encode(record):
    try:
        return _ENCODER.encode(record)
    except ValueError:  # a NaN or an infinity somewhere: rare, so the common case pays nothing for it
        return _ENCODER.encode(_finite(record))


class EventWriter:
    def __init__(self, path, rank):
        self.path = path
        self.rank = rank
        self._file = open(path, "a", encoding="utf-8", buffering=1 << 16)

    def emit(self, event_type, **fields):
        record = {"type": event_type, "rank": self.rank, "t": time.time()}
        record.update(fields)
        self._file.write(encode(record) + "\n")

    def flush(self):
        try:
            self._file.flush()
        except ValueError:  # closed already
            pass

    def close(self):
        self.flush()
        self._file.close()
