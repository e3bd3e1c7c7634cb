"""JSON-lines event stream of one rank, written to the run folder.

One file per rank (events.rank<N>.jsonl) so ranks never interleave writes. Events are
buffered and flushed at window edges, every second by the watchdog (wattlens_lifecycle.py) and at
the end: the reader tails the file, and a hard kill loses at most the last second.
"""
import json
import math
import threading
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
        # the watchdog thread flushes and, on a hard stop, writes the end: one line at a time
        self._lock = threading.Lock()

    def emit(self, event_type, **fields):
        record = {"type": event_type, "rank": self.rank, "t": time.time()}
        record.update(fields)
        line = encode(record) + "\n"
        with self._lock:
            try:
                self._file.write(line)
            except ValueError:  # closed already (the run was ended from the watchdog)
                pass

    def flush(self):
        with self._lock:
            try:
                self._file.flush()
            except (ValueError, OSError):  # closed already, or the disk is full
                pass

    def close(self):
        with self._lock:
            try:
                self._file.flush()
                self._file.close()
            except (ValueError, OSError):
                pass
