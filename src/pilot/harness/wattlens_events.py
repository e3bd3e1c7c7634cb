"""JSON-lines event stream of one rank, written to the run folder.

One file per rank (events.rank<N>.jsonl) so ranks never interleave writes. Events are
buffered and flushed at window edges and at the end: the reader tails the file.
"""
import json
import math
import time


def _finite(value):
    """JSON has no NaN/Infinity: a non-finite loss is written as null with a flag elsewhere."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class EventWriter:
    def __init__(self, path, rank):
        self.path = path
        self.rank = rank
        self._file = open(path, "a", encoding="utf-8", buffering=1 << 16)

    def emit(self, event_type, **fields):
        record = {"type": event_type, "rank": self.rank, "t": time.time()}
        record.update({k: _finite(v) for k, v in fields.items()})
        self._file.write(json.dumps(record, separators=(",", ":")) + "\n")

    def flush(self):
        try:
            self._file.flush()
        except ValueError:  # closed already
            pass

    def close(self):
        self.flush()
        self._file.close()
