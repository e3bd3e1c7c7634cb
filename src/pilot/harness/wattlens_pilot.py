"""WattLens pilot harness: runs a training script unchanged and streams what it measures.

    python wattlens_pilot.py --run-dir DIR [--steps N | --seconds S] [options] -- SCRIPT [ARGS...]

The script runs as `python SCRIPT ARGS` would (runpy, __main__, sys.argv, sys.path[0]); a
Jupyter notebook (.ipynb) runs its code cells in order as one script (wattlens_notebook.py);
events go to DIR/events.rank<RANK>.jsonl. Under torchrun or srun every rank runs this file.
Exit code: 0 budget reached or script finished, 1 script failed, 130 cancelled.
Lifecycle (wattlens_lifecycle.py): the harness dies with its parent, a seconds budget is a
wall-clock deadline from its launch, and every process the script started is ended with the run.
"""
import argparse
import json
import os
import platform
import re
import runpy
import signal
import socket
import sys
import time
import traceback

HARNESS_DIR = os.path.dirname(os.path.abspath(__file__))
if HARNESS_DIR not in sys.path:
    sys.path.insert(0, HARNESS_DIR)
# no __pycache__ beside the harness (the extension's folder may be read-only, a checkout must stay
# clean); the script's own imports keep the interpreter's setting, restored below
_DONT_WRITE_BYTECODE = sys.dont_write_bytecode
sys.dont_write_bytecode = True
import wattlens_energy  # noqa: E402
import wattlens_events  # noqa: E402
import wattlens_notebook  # noqa: E402
import wattlens_hooks  # noqa: E402
import wattlens_lifecycle  # noqa: E402
import wattlens_model  # noqa: E402
sys.dont_write_bytecode = _DONT_WRITE_BYTECODE

SCHEMA_VERSION = 2  # 2: the `model` event


class PilotCancelled(BaseException):
    pass


def parse_args(argv):
    if "--" not in argv:
        raise SystemExit("wattlens harness: expected `-- SCRIPT [ARGS...]`")
    cut = argv.index("--")
    own, script_argv = argv[:cut], argv[cut + 1:]
    if not script_argv:
        raise SystemExit("wattlens harness: no script given after `--`")
    p = argparse.ArgumentParser(prog="wattlens_pilot")
    p.add_argument("--run-dir", required=True)
    p.add_argument("--steps", type=int)
    p.add_argument("--seconds", type=float)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--window-s", type=float, default=0.5)
    p.add_argument("--audit-every", type=int, default=10)
    p.add_argument("--measure-gpus", default="auto", help="auto | none | comma-separated local indices")
    p.add_argument("--cpu-watts-min", type=float, required=True)
    p.add_argument("--cpu-watts-max", type=float, required=True)
    p.add_argument("--cpu-power-label", default="CPU power table")
    p.add_argument("--gpu-rated-table", default="[]", help="JSON list of {match, watts, source}")
    return p.parse_args(own), script_argv


def rank_info():
    env = os.environ
    def get(*names, default=0):
        for n in names:
            if env.get(n, "").strip().isdigit():
                return int(env[n])
        return default
    return {"rank": get("RANK", "SLURM_PROCID"), "localRank": get("LOCAL_RANK", "SLURM_LOCALID"),
            "worldSize": get("WORLD_SIZE", "SLURM_NTASKS", default=1),
            "localWorldSize": get("LOCAL_WORLD_SIZE", "SLURM_NTASKS_PER_NODE", default=1)}


def gpu_indices(spec, ranks, notes):
    """The GPUs this rank measures: the node's local rank 0 measures the GPUs of all local ranks."""
    if spec == "none" or ranks["localRank"] != 0:
        return []
    if spec != "auto":
        return [int(x) for x in spec.split(",") if x.strip().isdigit()]
    try:
        import torch
        if not torch.cuda.is_available():
            return []
        return list(range(min(ranks["localWorldSize"], torch.cuda.device_count())))
    except Exception as exc:
        notes.append(f"cannot tell whether CUDA is available ({type(exc).__name__})")
        return []


def versions():
    out = {"python": platform.python_version(), "torch": None, "cuda": None}
    try:
        import torch
        out["torch"] = torch.__version__
        out["cuda"] = torch.version.cuda
    except Exception:
        pass
    return out


def torch_build():
    """The BLAS and LAPACK torch was built with (torch.__config__.show()) and whether MKL and oneDNN
    are available: a reference BLAS (BLAS_INFO=generic) runs fp32 matmuls far slower on a CPU."""
    try:
        import torch
        shown = torch.__config__.show()
    except Exception:
        return None

    def setting(name):
        m = re.search(r"\b" + name + r"=([^,\s]+)", shown)
        return m.group(1) if m else None

    def available(backend):
        try:
            return bool(getattr(torch.backends, backend).is_available())
        except Exception:
            return None
    return {"blas": setting("BLAS_INFO"), "lapack": setting("LAPACK_INFO"),
            "mkl": available("mkl"), "mkldnn": available("mkldnn")}


def torch_threads():
    """torch's intra-op threads now: at the end of the run, what the script trained with."""
    try:
        import torch
        return int(torch.get_num_threads())
    except Exception:
        return None


def main():
    launch = time.perf_counter()
    args, script_argv = parse_args(sys.argv[1:])
    # before anything slow (torch): a runner that dies during the import takes the harness with it
    wattlens_lifecycle.die_with_parent()
    wattlens_lifecycle.become_subreaper()
    # a seconds budget stops at the first step after it; a script that reaches no step boundary
    # is interrupted shortly after
    deadline = launch + args.seconds + 1.0 if args.seconds is not None else None
    life = wattlens_lifecycle.Lifecycle(deadline=deadline, cancel_file=os.path.join(args.run_dir, "cancel"))
    ranks = rank_info()
    os.makedirs(args.run_dir, exist_ok=True)
    writer = wattlens_events.EventWriter(os.path.join(args.run_dir, f"events.rank{ranks['rank']}.jsonl"),
                                         ranks["rank"])
    notes = []
    try:
        import torch  # noqa: F401
        has_torch = True
    except Exception as exc:
        has_torch = False
        notes.append(f"torch is not importable by {sys.executable} ({type(exc).__name__}: {exc}): "
                     "optimizer steps cannot be counted")

    meters = []
    if has_torch:
        meters += wattlens_energy.gpu_meters(gpu_indices(args.measure_gpus, ranks, notes),
                                             json.loads(args.gpu_rated_table), notes)
    cpu = wattlens_energy.cpu_meter(ranks["localRank"] == 0, args.cpu_watts_min, args.cpu_watts_max,
                                    args.cpu_power_label, notes)
    if cpu is not None:
        meters.append(cpu)

    script = os.path.abspath(script_argv[0])
    writer.emit("start", schemaVersion=SCHEMA_VERSION, pid=os.getpid(), host=socket.gethostname(),
                perf0=time.perf_counter(), cpuModel=_cpu_model(),
                script=script, argv=script_argv[1:], cwd=os.getcwd(), executable=sys.executable,
                budget={"steps": args.steps, "seconds": args.seconds}, warmupSteps=args.warmup,
                energySources=[m.describe() for m in meters], notes=notes,
                torchBuild=torch_build() if has_torch else None, **ranks, **versions())
    for n in notes:
        writer.emit("log", level="warning", message=n)
    writer.flush()

    stop_file = None
    if ranks["worldSize"] > 1 and args.seconds is not None and args.steps is None:
        stop_file = os.path.join(args.run_dir, "stop-at-step")
    tracker = wattlens_hooks.StepTracker(writer, meters, budget_steps=args.steps, budget_seconds=args.seconds,
                                         warmup=args.warmup, window_s=args.window_s,
                                         audit_every=args.audit_every, stop_file=stop_file,
                                         is_leader=ranks["rank"] == 0, launch=launch)
    if has_torch:
        wattlens_hooks.install(tracker)
        tracker.model_probe = wattlens_model.ModelProbe(writer, args.warmup)

    stop_raised = []

    def on_stop_signal(signum, frame):
        # Raise into the script once: the runner's SIGTERM and the watchdog's (when it saw the cancel
        # file first) may both arrive, and a second exception while the first unwinds would escape
        # the harness before it writes the end. A script that swallows the first meets the grace.
        if stop_raised:
            return
        stop_raised.append(signum)
        if life.cause is None:
            life.cause, life.requested_at = "signal", time.perf_counter()
        if life.cause == "deadline":
            tracker.stopped = True
            tracker.stop_reason = tracker.stop_reason or "budget-seconds"
            raise wattlens_hooks.BudgetReached()
        raise PilotCancelled()
    signal.signal(signal.SIGTERM, on_stop_signal)
    signal.signal(signal.SIGHUP, on_stop_signal)

    def periodic():
        tracker.flush_stale(max_age_s=0.5)
        writer.flush()

    def hard_stop(cause):
        """The script did not stop when asked (SIGTERM ignored or swallowed, stuck in native code):
        write what was measured and the end, end every descendant and exit from this thread."""
        deadline_hit = cause == "deadline"
        try:
            if tracker.lock.acquire(timeout=1.0):
                try:
                    tracker.close_window(force=True)
                finally:
                    tracker.lock.release()
        except Exception:
            pass
        writer.emit("log", level="warning",
                    message=f"the script did not stop within {life.grace_s:.0f} s of being asked "
                            f"({'its --seconds budget ran out' if deadline_hit else 'cancelled'}): the harness ended it")
        writer.emit("end", status="budget-reached" if deadline_hit else "cancelled", steps=tracker.steps,
                    stopReason="budget-seconds" if deadline_hit else _cancel_reason(cause), error=None,
                    loaders=list(tracker.loaders.values()), torchThreads=torch_threads() if has_torch else None)
        writer.close()
        wattlens_lifecycle.end_descendants()
        os._exit(0 if deadline_hit else 130)

    life.periodic = periodic
    life.hard_stop = hard_stop
    life.start()

    status, error, exit_code = "script-finished", None, 0
    sys.argv = [script_argv[0]] + script_argv[1:]
    # like `python SCRIPT`: the script's folder first on sys.path, the harness's folder gone
    sys.path[:] = [os.path.dirname(script)] + [p for p in sys.path if p != HARNESS_DIR]
    try:
        if script.endswith(".ipynb"):
            wattlens_notebook.run_notebook(script)
        else:
            runpy.run_path(script, run_name="__main__")
    except wattlens_hooks.BudgetReached:
        status = "budget-reached"
    except (PilotCancelled, KeyboardInterrupt):
        status, exit_code = "cancelled", 130
        tracker.stop_reason = tracker.stop_reason or _cancel_reason(life.cause)
    except SystemExit as exc:
        if exc.code not in (None, 0):
            status, exit_code = "failed", 1
            error = {"type": "SystemExit", "message": f"the script exited with code {exc.code}",
                     "traceback": None}
    except BaseException as exc:  # the script's own failure: record it with the data so far
        status, exit_code = "failed", 1
        error = {"type": type(exc).__name__, "message": str(exc), "traceback": _user_traceback(exc)}
    if tracker.stopped and status in ("script-finished", "failed") and error is None:
        status = "budget-reached"  # the script swallowed BudgetReached and returned
    life.finishing = True
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # finish writing what was measured
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with tracker.lock:
            tracker.close_window(force=True)
    except Exception as exc:
        writer.emit("log", level="warning", message=f"could not close the last window: {exc}")
    for m in meters:
        m.close()
    writer.emit("end", status=status, steps=tracker.steps, stopReason=tracker.stop_reason, error=error,
                loaders=list(tracker.loaders.values()), torchThreads=torch_threads() if has_torch else None)
    writer.close()
    # daemons, double forks and DataLoader workers the script left: ended with the run
    wattlens_lifecycle.end_descendants()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # the script closed or broke its own output
            pass
    return exit_code


def _cancel_reason(cause):
    return "runner-gone" if cause == "parent-gone" else "cancelled"


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def _user_traceback(exc):
    """The traceback without the harness's own frames (runpy and this file)."""
    frames = traceback.extract_tb(exc.__traceback__)
    keep = [f for f in frames if not f.filename.startswith(HARNESS_DIR) and "runpy" not in f.filename]
    lines = ["Traceback (most recent call last):\n"] + traceback.format_list(keep)
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines)


if __name__ == "__main__":
    sys.exit(main())
