"""Runs one command the way the hostile-input suite judges it, and prints one JSON line.

argv: LIMIT_SECONDS TAG -- COMMAND ARGS...
The command runs in a session of its own with WATTLENS_HOSTILE_TAG=TAG in its environment.
Reported: exit code or signal, wall time, the peak RSS of the command and everything it waited
for (getrusage of children), whether the limit was hit, and the processes still alive afterwards
that carry the tag (a daemon that left the session keeps its environment, so it is still found).
Stdout and stderr of the command are passed through to files given by HOSTILE_STDOUT/HOSTILE_STDERR.
"""
import json
import os
import resource
import signal
import subprocess
import sys
import time


def tagged_pids(tag):
    needle = ("WATTLENS_HOSTILE_TAG=" + tag).encode()
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            with open(f"/proc/{name}/environ", "rb") as f:
                if needle in f.read().split(b"\0"):
                    found.append(int(name))
        except OSError:
            pass
    return found


def kill_all(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def main():
    limit = float(sys.argv[1])
    tag = sys.argv[2]
    cmd = sys.argv[4:]
    env = dict(os.environ, WATTLENS_HOSTILE_TAG=tag)
    out = open(os.environ.get("HOSTILE_STDOUT", os.devnull), "wb")
    err = open(os.environ.get("HOSTILE_STDERR", os.devnull), "wb")
    started = time.monotonic()
    child = subprocess.Popen(cmd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True)
    timed_out = False
    try:
        code = child.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        timed_out = True
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except OSError:
            pass
        code = child.wait()
    elapsed = time.monotonic() - started
    time.sleep(0.2)  # let a process that is on its way out finish
    survivors = tagged_pids(tag)
    kill_all(survivors)
    rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({
        "code": code if code >= 0 else None,
        "signal": -code if code < 0 else None,
        "elapsedMs": round(elapsed * 1000),
        "maxRssKB": rss_kb,
        "timedOut": timed_out,
        "survivors": survivors,
    }))


main()
