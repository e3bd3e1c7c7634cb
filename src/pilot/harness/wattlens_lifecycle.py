"""The harness's life and death: it dies with its parent, it ends whatever the script started, and
it stops at its deadline even when the script never reaches an optimizer step.

- Linux: PR_SET_PDEATHSIG sends SIGTERM to the harness when the thread that started it exits
  (the runner or torchrun), and PR_SET_CHILD_SUBREAPER makes the processes the script leaves
  behind (daemons, double forks, setsid) children of the harness instead of init, so that they can
  be found by their parent chain in /proc and ended with the run.
- A watchdog thread backs both up: it polls the parent pid (the death signal is tied to the thread
  that forked, and a script may ignore SIGTERM), the runner's cancel file, the wall-clock deadline
  of a seconds budget, and flushes the event file (and a window the script left open by pausing)
  four times a second. It asks the main thread to stop with SIGTERM (delivered to
  the main thread itself, so a sleep is interrupted); a script that does not stop within a grace
  period is ended from the watchdog: the events measured so far and an end event are written, the
  descendants are killed, and the process exits.
"""
import ctypes
import os
import signal
import threading
import time

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36

perf = time.perf_counter


def _prctl(option, value):
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(option, ctypes.c_ulong(value), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0)) == 0
    except Exception:  # not Linux, or no libc symbol: the watchdog still polls the parent
        return False


def die_with_parent():
    return _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def become_subreaper():
    return _prctl(PR_SET_CHILD_SUBREAPER, 1)


def _process_table():
    """{ppid: [(pid, state)]} from /proc; empty where there is no /proc."""
    children = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return children
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                data = f.read()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: the fields after it follow the last ')'
        fields = data[data.rfind(b")") + 2:].split()
        if len(fields) < 2:
            continue
        children.setdefault(int(fields[1]), []).append((int(name), fields[0]))
    return children


def descendants(root):
    """Every live (not zombie) process whose parent chain leads to root."""
    table = _process_table()
    out, stack = [], [root]
    while stack:
        for pid, state in table.get(stack.pop(), []):
            stack.append(pid)
            if state != b"Z":
                out.append(pid)
    return out


def end_descendants(root=None, budget_s=3.0):
    """SIGKILL all descendants until none is left (a fork bomb forks while they are listed), and
    reap the ones this process inherited as subreaper."""
    root = root or os.getpid()
    until = perf() + budget_s
    while True:
        pids = descendants(root)
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        _reap()
        if not pids or perf() > until:
            return
        time.sleep(0.02)


def _reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        except OSError:
            return
        if pid == 0:
            return


class Lifecycle:
    """What ends the run besides the script: its parent's death, the deadline, a signal."""

    def __init__(self, deadline=None, cancel_file=None, grace_s=5.0, poll_s=0.25):
        self.parent = os.getppid()
        # written by the runner on Cancel beside its SIGTERM, which the script may have ignored
        self.cancel_file = cancel_file
        self.deadline = deadline  # perf_counter time of a seconds budget, or None
        self.grace_s = grace_s
        self.poll_s = poll_s
        self.cause = None  # "deadline" | "parent-gone" | "signal"
        self.requested_at = None
        self.main_ident = threading.main_thread().ident
        self.hard_stop = None  # callable(cause): writes what it can and exits the process
        self.periodic = None  # callable(): writes a stale window and flushes events (every poll)
        self.finishing = False  # the main thread is writing the end: the watchdog leaves it alone
        self._thread = None

    def start(self):
        self._thread = threading.Thread(target=self._watch, name="wattlens-watchdog", daemon=True)
        self._thread.start()

    def request_stop(self, cause):
        if self.cause is None:
            self.cause = cause
            self.requested_at = perf()
        try:
            signal.pthread_kill(self.main_ident, signal.SIGTERM)
        except (OSError, ValueError):
            pass

    def _watch(self):
        while True:
            time.sleep(self.poll_s)
            now = perf()
            if self.finishing:
                # the main thread is writing the end; if it hangs there, the grace still applies
                if self.requested_at is not None and now - self.requested_at > self.grace_s * 2 and self.hard_stop:
                    self.hard_stop(self.cause or "signal")
                continue
            if self.cause is None:
                if os.getppid() != self.parent:
                    self.request_stop("parent-gone")
                elif self.cancel_file is not None and os.path.exists(self.cancel_file):
                    self.request_stop("signal")
                elif self.deadline is not None and now >= self.deadline:
                    self.request_stop("deadline")
            elif now - self.requested_at > self.grace_s and self.hard_stop:
                self.hard_stop(self.cause)
            if self.periodic:
                try:
                    self.periodic()
                except Exception:
                    pass
