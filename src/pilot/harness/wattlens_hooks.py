"""Instrumentation of the user's training loop, without changing the script.

- optimizer steps: `step` of every torch.optim.Optimizer subclass is wrapped (existing classes
  at install time, later ones through __init_subclass__); a depth guard counts a subclass
  calling super().step() once. Works the same on torch 1.13 and 2.x.
- loss: torch.autograd.backward (Tensor.backward calls it) keeps a detached reference to the
  scalar being differentiated; the window's losses are read at its edge in one stacked copy (one
  device sync), not per step.
- phases: DataLoader iterator __next__ (data), end of data -> first backward (forward),
  backward, optimizer step; the rest of the step interval is "other".
"""
import functools
import os
import threading
import time

perf = time.perf_counter


class BudgetReached(BaseException):
    """Raised from the optimizer step once the budget is spent; BaseException so the script's
    `except Exception` does not swallow it and its `finally` blocks still run."""


class StepTracker:
    def __init__(self, writer, meters, budget_steps=None, budget_seconds=None, warmup=3,
                 window_s=0.5, audit_every=10, stop_file=None, is_leader=True, launch=None):
        self.writer = writer
        self.meters = meters
        self.budget_steps = budget_steps
        self.budget_seconds = budget_seconds
        # a seconds budget counts from the harness's launch (perf_counter), not from the first step
        self.launch = perf() if launch is None else launch
        # the window is closed by the main thread at step edges and by the watchdog when it goes stale
        self.lock = threading.RLock()
        self.warmup = warmup
        self.window_s = window_s
        self.audit_every = max(1, audit_every)
        self.stop_file = stop_file  # distributed + seconds budget: every rank stops at the same step
        self.is_leader = is_leader
        self.stop_at = None
        self.stopped = False
        self.stop_reason = None
        # which model is trained (wattlens_model.ModelProbe), seen once near the end of warm-up
        self.model_probe = None

        self.steps = 0
        self.depth = 0
        self.cuda = None  # torch.cuda when the run uses it, checked lazily
        self.measure_start = None
        now = perf()
        self.prev_step_end = None
        # phase accumulators of the step in progress
        self.data_s = 0.0
        self.last_fetch_end = None
        self.first_backward_start = None
        self.backward_s = 0.0
        self.backward_calls = 0
        self.pending_losses = []
        self.audit = True
        self.active_loader = None
        self.loaders = {}
        # window of steps whose losses and energy are read together
        self.window_steps = []
        self.window_start = now
        self.window_first_step = 1
        self.energy_start = self._read_energy()

    # ------------------------------------------------------------ timing helpers
    def _cuda_in_use(self):
        if self.cuda is None:
            try:
                import torch
                if torch.cuda.is_available() and torch.cuda.is_initialized():
                    self.cuda = torch.cuda
            except Exception:
                pass
        return self.cuda is not None

    def sync(self):
        if self._cuda_in_use():
            self.cuda.synchronize()

    def _audit_sync(self):
        # GPU work is asynchronous: phase boundaries are only meaningful on synchronised steps.
        if self.audit and self.cuda is not None:
            self.cuda.synchronize()

    def _read_energy(self):
        out = []
        for m in self.meters:
            try:
                out.append(m.joules())
            except Exception:
                out.append(None)
        return out

    # ------------------------------------------------------------ events from hooks
    def on_fetch(self, t0, t1, loader_id):
        self.data_s += t1 - t0
        self.last_fetch_end = t1
        self.active_loader = loader_id

    def on_backward_start(self, tensors):
        self._audit_sync()
        t = perf()
        if self.first_backward_start is None:
            self.first_backward_start = t
        self.backward_calls += 1
        if isinstance(tensors, (list, tuple)) and len(tensors) == 1:
            tensors = tensors[0]
        try:
            if getattr(tensors, "numel", None) is not None and tensors.numel() == 1:
                self.pending_losses.append(tensors.detach())
        except Exception:
            pass
        return t

    def on_backward_end(self, t0):
        self._audit_sync()
        self.backward_s += perf() - t0

    def before_step(self):
        if self.stopped:
            raise BudgetReached()  # the script caught BudgetReached and went on: stop again
        self._audit_sync()
        return perf()

    def on_step(self, optimizer, t0):
        self._audit_sync()
        if self.model_probe is not None:  # before t1: its work is charged to a warm-up step
            self._probe_model(self.steps + 1, optimizer)
        t1 = perf()
        self.steps += 1
        step = self.steps
        prev = self.prev_step_end
        record = {"step": step, "end": t1, "dt": None if prev is None else t1 - prev,
                  "warmup": step <= self.warmup, "loss": self.pending_losses,
                  "backwardCalls": self.backward_calls, "lr": _lr(optimizer),
                  "loader": self.active_loader}
        if prev is not None and self.audit:
            fwd_from = self.last_fetch_end if self.last_fetch_end is not None and self.last_fetch_end > prev else prev
            forward = (self.first_backward_start - fwd_from) if self.first_backward_start is not None else None
            optimizer_s = t1 - t0
            total = t1 - prev
            known = self.data_s + (forward or 0.0) + self.backward_s + optimizer_s
            record["phases"] = {"data": self.data_s, "forward": forward, "backward": self.backward_s,
                                "optimizer": optimizer_s, "other": max(0.0, total - known)}
        if record["loader"] is not None and record["loader"] in self.loaders:
            self.loaders[record["loader"]]["steps"] += 1
        with self.lock:
            self._record_step(record, step, t1)
        self.audit = self.cuda is None or (step - self.warmup) % self.audit_every == 0
        self._check_budget(step)

    def _record_step(self, record, step, t1):
        self.window_steps.append(record)
        self.prev_step_end = t1
        self.data_s = 0.0
        self.backward_s = 0.0
        self.backward_calls = 0
        self.first_backward_start = None
        self.pending_losses = []
        self.last_fetch_end = None

        if step == self.warmup:
            self.close_window(force=True)
            self.measure_start = perf()
        elif t1 - self.window_start >= self.window_s:
            self.close_window()
        if self.measure_start is None and step > self.warmup:
            self.measure_start = t1

    def _probe_model(self, step, optimizer):
        probe = self.model_probe
        try:
            probe.on_step(step, optimizer)
        except Exception:
            probe.done = True
        if probe.done:
            self.model_probe = None

    def _check_budget(self, step):
        reason = None
        if self.budget_steps is not None and step >= self.budget_steps:
            reason = "budget-steps"
        elif self.stop_file is not None:
            reason = self._distributed_time_budget(step)
        elif self.budget_seconds is not None and perf() - self.launch >= self.budget_seconds:
            reason = "budget-seconds"
        if reason:
            self.stopped = True
            self.stop_reason = reason
            with self.lock:
                self.close_window(force=True)
            raise BudgetReached()

    def _distributed_time_budget(self, step):
        if self.stop_at is None and self.is_leader and self.budget_seconds is not None \
                and perf() - self.launch >= self.budget_seconds:
            # ranks run in lockstep within a step or so (gradients are all-reduced): 2 steps of margin
            tmp = self.stop_file + ".tmp"
            with open(tmp, "w") as f:
                f.write(str(step + 2))
            os.replace(tmp, self.stop_file)
        if self.stop_at is None and os.path.exists(self.stop_file):
            with open(self.stop_file) as f:
                self.stop_at = int(f.read().strip() or 0)
        if self.stop_at is not None and step >= self.stop_at:
            return "budget-seconds"
        return None

    # ------------------------------------------------------------ windows
    def flush_stale(self, max_age_s=1.0):
        """From the watchdog: a window whose last step is older than max_age_s (the script paused
        after a step) is written now, so a hard kill during the pause loses nothing measured."""
        if not self.window_steps or self.prev_step_end is None or perf() - self.prev_step_end < max_age_s:
            return
        if self.lock.acquire(timeout=0.5):
            try:
                if self.window_steps and perf() - self.prev_step_end >= max_age_s:
                    self.close_window()
            finally:
                self.lock.release()

    def close_window(self, force=False):
        """Synchronise, read the losses of the window's steps and the energy meters, emit."""
        if not self.window_steps and not force:
            return
        self.sync()
        now = perf()
        energy = self._read_energy()
        values = _loss_values([t for rec in self.window_steps for t in rec["loss"]])
        i = 0
        for rec in self.window_steps:
            n = len(rec["loss"])
            losses = [v for v in values[i:i + n] if v is not None]
            i += n
            rec["loss"] = sum(losses) if losses else None
            end = rec.pop("end")
            rec["tEnd"] = end
            self.writer.emit("step", **rec)
        readings = []
        for meter, e0, e1 in zip(self.meters, self.energy_start, energy):
            joules = None if e0 is None or e1 is None else e1 - e0
            readings.append({"device": meter.device, "source": meter.source, "scope": meter.scope,
                             "joules": joules, "watts": meter.watts()})
        last_step = self.window_steps[-1]["step"] if self.window_steps else self.window_first_step - 1
        self.writer.emit("energy", fromStep=self.window_first_step, toStep=last_step,
                         t0=self.window_start, t1=now, seconds=now - self.window_start, readings=readings)
        self.writer.flush()
        self.window_steps = []
        self.window_start = now
        self.window_first_step = last_step + 1
        self.energy_start = energy

    def on_loader_iter(self, loader):
        key = id(loader)
        info = self.loaders.get(key)
        if info is None:
            try:
                length = len(loader)
            except Exception:  # IterableDataset without __len__
                length = None
            info = {"id": key, "length": length, "batchSize": getattr(loader, "batch_size", None),
                    "iterations": 0, "steps": 0}
            self.loaders[key] = info
        info["iterations"] += 1
        self.writer.emit("dataloader", id=key, length=info["length"], batchSize=info["batchSize"],
                         iteration=info["iterations"], atStep=self.steps)


def _loss_values(tensors):
    """The window's scalar losses as floats: one stacked read (one device sync, one copy) instead of
    one .item() per step. Dtypes are promoted (float32 values stay exact); tensors that still do not
    stack (on several devices) are read one by one, and one that cannot be read gives None."""
    if not tensors:
        return []
    try:
        import torch
        try:
            stacked = torch.stack(tensors)
        except RuntimeError:  # 0-d and 1-element tensors mixed
            stacked = torch.stack([t.reshape(()) for t in tensors])
        return [float(v) for v in stacked.tolist()]  # dtypes are promoted: float32 values stay exact
    except Exception:
        pass
    out = []
    for t in tensors:
        try:
            out.append(float(t.item()))
        except Exception:
            out.append(None)
    return out


def _lr(optimizer):
    try:
        lr = optimizer.param_groups[0].get("lr")
        return float(lr) if isinstance(lr, (int, float)) else None  # a tensor lr would cost a sync
    except Exception:
        return None


# ---------------------------------------------------------------- installation

def install(tracker):
    import torch
    from torch.utils.data import DataLoader
    from torch.utils.data.dataloader import _BaseDataLoaderIter

    guard = threading.local()

    def wrap_step(fn):
        if getattr(fn, "_wattlens", False):
            return fn

        @functools.wraps(fn)  # copies torch's `hooked` mark too, so torch does not wrap twice
        def step(self, *args, **kwargs):
            if getattr(guard, "depth", 0):
                return fn(self, *args, **kwargs)
            t0 = tracker.before_step()
            guard.depth = 1
            try:
                out = fn(self, *args, **kwargs)
            finally:
                guard.depth = 0
            tracker.on_step(self, t0)
            return out

        step._wattlens = True
        return step

    def wrap_class(cls):
        if "step" in cls.__dict__ and callable(cls.__dict__["step"]):
            cls.step = wrap_step(cls.__dict__["step"])

    def all_subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from all_subclasses(sub)

    Optimizer = torch.optim.Optimizer
    for cls in list(all_subclasses(Optimizer)):
        wrap_class(cls)
    previous_init_subclass = Optimizer.__dict__.get("__init_subclass__")

    def __init_subclass__(cls, **kwargs):
        if previous_init_subclass is not None:
            previous_init_subclass.__func__(cls, **kwargs)
        else:
            super(Optimizer, cls).__init_subclass__(**kwargs)
        wrap_class(cls)

    Optimizer.__init_subclass__ = classmethod(__init_subclass__)

    original_backward = torch.autograd.backward

    @functools.wraps(original_backward)
    def backward(tensors, *args, **kwargs):
        t0 = tracker.on_backward_start(tensors)
        try:
            return original_backward(tensors, *args, **kwargs)
        finally:
            tracker.on_backward_end(t0)

    torch.autograd.backward = backward

    original_next = _BaseDataLoaderIter.__next__

    def __next__(self):
        t0 = perf()
        try:
            return original_next(self)
        finally:
            tracker.on_fetch(t0, perf(), getattr(self, "_wattlens_loader", None))

    _BaseDataLoaderIter.__next__ = __next__

    original_iter = DataLoader.__iter__

    def __iter__(self):
        it = original_iter(self)
        tracker.on_loader_iter(self)
        try:
            it._wattlens_loader = id(self)
        except Exception:
            pass
        return it

    DataLoader.__iter__ = __iter__
