"""Which model the pilot trains, seen once: the module whose parameters the optimizer holds, its
class and source, and the shapes of the positional tensors of its top-level forward call.

Cost: nothing on most steps. At the end of the step before the capture step a global forward
pre-hook is registered; the first module called in the capture step that holds a parameter of
the optimizer is the model (outer modules' pre-hooks fire before their children's, so it is the
outermost one). The global hook is removed at that call and a hook on that module alone counts its
further calls in the step (gradient accumulation); at the end of the capture step that hook goes
too, and one `model` event is written. Constructor arguments are not recorded: they are unknown
here (the static analysis takes them from the training script).

The capture step is the last warm-up step (step 2 when the warm-up is shorter), so no measured
step pays for it; the batch is the same real batch as in the measured steps.
"""
import inspect

# wrappers whose forward hands the same arguments to the module they wrap
_WRAPPERS = ("DistributedDataParallel", "DataParallel", "FullyShardedDataParallel", "OptimizedModule")


class ModelProbe:
    def __init__(self, writer, capture_step):
        self.writer = writer
        self.capture_step = max(2, int(capture_step))
        self.done = False
        self._global = None
        self._local = None
        self._param_ids = None
        self._module = None
        self._inputs = None
        self._calls = 0

    def on_step(self, step, optimizer):
        """Called by the step tracker after every optimizer step until `done`."""
        if step == self.capture_step - 1:
            self._arm(optimizer)
        elif step >= self.capture_step:
            self._finish(step)

    # ---------------------------------------------------------------- hooks
    def _arm(self, optimizer):
        try:
            from torch.nn.modules import module as torch_module
            self._param_ids = {id(p) for g in optimizer.param_groups for p in g["params"]}
            self._global = torch_module.register_module_forward_pre_hook(self._pre_hook)
        except Exception as exc:  # never let the probe break the user's run
            self._fail(f"could not watch the forward call ({type(exc).__name__}: {exc})")

    def _pre_hook(self, module, args):
        if self._module is not None or not self._holds_optimizer_params(module):
            return None
        self._module = module
        self._calls = 1
        self._inputs = [_describe_arg(a) for a in args]
        self._remove_global()
        try:
            self._local = module.register_forward_pre_hook(self._count_call)
        except Exception:
            self._local = None
        return None

    def _count_call(self, module, args):
        self._calls += 1
        return None

    def _holds_optimizer_params(self, module):
        ids = self._param_ids
        try:
            for p in module.parameters():
                if id(p) in ids:
                    return True
        except Exception:
            pass
        return False

    def _remove_global(self):
        if self._global is not None:
            self._global.remove()
            self._global = None

    # ---------------------------------------------------------------- the event
    def _finish(self, step):
        self.done = True
        self._remove_global()
        if self._local is not None:
            self._local.remove()
            self._local = None
        module = self._module
        self._module = None
        self._param_ids = None
        if module is None:
            self._emit(step, None, note=f"no module holding the optimizer's parameters was called in step {step} "
                                        "(a forward that bypasses torch.nn.Module.__call__, or an optimizer over "
                                        "tensors that belong to no module)")
            return
        try:
            self._emit(step, module)
        except Exception as exc:
            self._emit(step, None, note=f"could not describe the model ({type(exc).__name__}: {exc})")

    def _emit(self, step, module, note=None):
        fields = {"step": step, "className": None, "qualName": None, "pyModule": None, "file": None,
                  "line": None, "inputs": self._inputs or [], "calls": self._calls, "params": None,
                  "wrappers": [], "note": note}
        if module is not None:
            wrappers = []
            inner = module
            for _ in range(4):
                name = type(inner).__name__
                nxt = getattr(inner, "_orig_mod", None) if name == "OptimizedModule" else getattr(inner, "module", None)
                if name not in _WRAPPERS or nxt is None:
                    break
                wrappers.append(name)
                inner = nxt
            cls = type(inner)
            fields.update(className=cls.__name__, qualName=getattr(cls, "__qualname__", cls.__name__),
                          pyModule=cls.__module__, wrappers=wrappers, params=_param_count(inner))
            fields["file"], fields["line"] = _source_of(cls)
        self.writer.emit("model", **fields)

    def _fail(self, note):
        self.done = True
        self._remove_global()
        self.writer.emit("model", step=None, className=None, qualName=None, pyModule=None, file=None, line=None,
                         inputs=[], calls=0, params=None, wrappers=[], note=note)


def _describe_arg(value):
    shape = getattr(value, "shape", None)
    dtype = getattr(value, "dtype", None)
    if shape is not None and dtype is not None and hasattr(value, "dim"):
        try:
            return {"shape": [int(d) for d in shape], "dtype": str(dtype).replace("torch.", ""),
                    "type": "Tensor"}
        except Exception:
            pass
    return {"shape": None, "dtype": None, "type": type(value).__name__}


def _param_count(module):
    try:
        return int(sum(p.numel() for p in module.parameters()))
    except Exception:
        return None


def _source_of(cls):
    """The file of the class and the line of its `class` statement; (None, None) when unknown."""
    try:
        path = inspect.getsourcefile(cls)
    except (TypeError, OSError):
        return None, None
    line = cls.__dict__.get("__firstlineno__")  # Python 3.13+
    if not isinstance(line, int):
        try:
            line = inspect.getsourcelines(cls)[1]
        except (OSError, TypeError, IndexError):
            line = None
    return path, line
