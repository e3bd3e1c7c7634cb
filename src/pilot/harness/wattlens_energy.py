"""Energy meters for one rank: what the machine allows, labelled with how it was obtained.

Preference (shared/notes/energy-methods.md): NVML energy counter > NVML/nvidia-smi power
sampling > RAPL > an estimate from rated power x utilisation. Every meter reports a
cumulative figure in joules since it started; windows are differences of two reads.
"""
import glob
import os
import re
import shutil
import subprocess
import threading
import time

from wattlens_smi import parse_query_csv, QUERY_FIELDS


class Meter:
    source = "estimated"  # nvml-counter | nvml-power | rapl | estimated
    scope = "process"  # node: counts a device shared by all ranks of the node; process: this rank only

    def __init__(self, device, detail, assumptions=()):
        self.device = device
        self.detail = detail
        self.assumptions = list(assumptions)

    def describe(self):
        return {"source": self.source, "scope": self.scope, "device": self.device,
                "detail": self.detail, "assumptions": self.assumptions}

    def joules(self):
        raise NotImplementedError

    def watts(self):
        return None

    def close(self):
        pass


# ---------------------------------------------------------------- NVIDIA GPUs

def physical_gpu_ids(local_indices):
    """Map indices as the run sees them to CUDA_VISIBLE_DEVICES entries (index or UUID)."""
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    if visible is None or visible.strip() == "":
        return [str(i) for i in local_indices]
    entries = [e.strip() for e in visible.split(",") if e.strip()]
    return [entries[i] for i in local_indices if i < len(entries)]


def _nvml_handle(pynvml, gpu_id):
    if gpu_id.isdigit():
        return pynvml.nvmlDeviceGetHandleByIndex(int(gpu_id))
    return pynvml.nvmlDeviceGetHandleByUUID(gpu_id)


def _text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


class NvmlCounterMeter(Meter):
    """nvmlDeviceGetTotalEnergyConsumption: mJ since driver load (Volta and newer)."""
    source = "nvml-counter"
    scope = "node"

    def __init__(self, pynvml, handle, gpu_id, name):
        super().__init__(f"gpu:{gpu_id}", f"{name}: NVML total energy counter (mJ), differenced at window edges",
                         ["counter updates about every 100 ms: windows shorter than ~1 s are coarse"])
        self.pynvml, self.handle, self.name = pynvml, handle, name
        self._start_mj = pynvml.nvmlDeviceGetTotalEnergyConsumption(handle)
        self._last = (time.perf_counter(), 0.0)
        self._watts = None

    def joules(self):
        now = time.perf_counter()
        j = (self.pynvml.nvmlDeviceGetTotalEnergyConsumption(self.handle) - self._start_mj) / 1000.0
        t_prev, j_prev = self._last
        if now - t_prev > 0.05:
            self._watts = (j - j_prev) / (now - t_prev)
            self._last = (now, j)
        return j

    def watts(self):
        return self._watts


class _PowerIntegrator:
    """Trapezoidal integral of power samples; the last sample is held until `now`."""

    def __init__(self):
        self.lock = threading.Lock()
        self.total = 0.0
        self.last = None  # (time, watts)

    def add(self, t, watts):
        with self.lock:
            if self.last is not None:
                t0, w0 = self.last
                self.total += 0.5 * (w0 + watts) * max(0.0, t - t0)
            self.last = (t, watts)

    def joules(self):
        with self.lock:
            if self.last is None:
                return 0.0
            t0, w0 = self.last
            return self.total + w0 * max(0.0, time.perf_counter() - t0)

    def watts(self):
        with self.lock:
            return None if self.last is None else self.last[1]


class NvmlPowerMeter(Meter):
    """No energy counter (pre-Volta, some vGPU/MIG): sample nvmlDeviceGetPowerUsage and integrate."""
    source = "nvml-power"
    scope = "node"

    def __init__(self, pynvml, handle, gpu_id, name, interval_s=0.1):
        super().__init__(f"gpu:{gpu_id}", f"{name}: NVML power samples every {interval_s:g} s, integrated",
                         ["the power reading is a 1 s average on Ampere and newer (except GA100)",
                          "sensor accuracy about +/-5 W"])
        self.pynvml, self.handle = pynvml, handle
        self.integrator = _PowerIntegrator()
        self._stop = threading.Event()
        self._sample()
        self._thread = threading.Thread(target=self._run, args=(interval_s,), daemon=True)
        self._thread.start()

    def _sample(self):
        mw = self.pynvml.nvmlDeviceGetPowerUsage(self.handle)
        self.integrator.add(time.perf_counter(), mw / 1000.0)

    def _run(self, interval_s):
        while not self._stop.wait(interval_s):
            try:
                self._sample()
            except Exception:  # a failed read leaves the previous sample held
                pass

    def joules(self):
        return self.integrator.joules()

    def watts(self):
        return self.integrator.watts()

    def close(self):
        self._stop.set()


class NvidiaSmiPowerMeter(Meter):
    """No importable pynvml: a long-running `nvidia-smi -lms` query, parsed line by line."""
    source = "nvml-power"
    scope = "node"

    def __init__(self, executable, gpu_id, interval_ms=200, fallback_name=None):
        # the name first, so that the detail (and the run's device label) starts with it
        self.name = _smi_gpu_name(executable, gpu_id) or fallback_name or f"GPU {gpu_id}"
        super().__init__(f"gpu:{gpu_id}", f"{self.name}: nvidia-smi power.draw every {interval_ms} ms, integrated",
                         ["power.draw is a 1 s average on Ampere and newer", "sensor accuracy about +/-5 W"])
        self.integrator = _PowerIntegrator()
        self._proc = subprocess.Popen(
            [executable, f"--query-gpu={','.join(QUERY_FIELDS)}", "--format=csv,noheader,nounits",
             "-lms", str(interval_ms), "-i", gpu_id],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self._first = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        # nvidia-smi takes a moment to print its first row: until then the integral would miss
        # the energy drawn so far (a 3 s test run read 10% low)
        self._first.wait(5.0)

    def _read(self):
        for line in self._proc.stdout:
            for row in parse_query_csv(line):
                if row.get("power.draw") is not None:
                    self.integrator.add(time.perf_counter(), row["power.draw"])
                    self._first.set()

    def joules(self):
        return self.integrator.joules()

    def watts(self):
        return self.integrator.watts()

    def close(self):
        if self._proc.poll() is None:
            self._proc.terminate()


def _smi_gpu_name(executable, gpu_id):
    try:
        out = subprocess.run([executable, "--query-gpu=name", "--format=csv,noheader", "-i", gpu_id],
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = [l.strip() for l in out.stdout.splitlines() if l.strip()]
    return lines[0] if out.returncode == 0 and lines else None


class RatedGpuMeter(Meter):
    """Nothing readable on the GPU: rated board power x wall time, an upper bound."""
    source = "estimated"
    scope = "node"

    def __init__(self, gpu_id, name, rated_watts, rated_source):
        super().__init__(f"gpu:{gpu_id}", f"{name}: rated board power {rated_watts:g} W x wall time",
                         [f"rated board power {rated_watts:g} W ({rated_source})",
                          "utilisation unknown: assumed 100%, so this is an upper bound"])
        self.rated = rated_watts
        self.t0 = time.perf_counter()

    def joules(self):
        return self.rated * (time.perf_counter() - self.t0)

    def watts(self):
        return self.rated


def match_rated_power(name, table):
    for entry in table:
        if re.search(entry["match"], name, re.IGNORECASE):
            return entry
    return None


def gpu_meters(local_indices, rated_table, notes):
    """One meter per GPU the run uses, the best the machine allows."""
    meters = []
    ids = physical_gpu_ids(local_indices)
    if not ids:
        return meters
    try:
        import pynvml  # nvidia-ml-py installs this module name
        pynvml.nvmlInit()
    except Exception as exc:  # not installed, or no driver
        pynvml = None
        notes.append(f"pynvml not usable ({type(exc).__name__}: {exc}); trying nvidia-smi")
    smi = shutil.which("nvidia-smi")
    for gpu_id in ids:
        if pynvml is not None:
            try:
                handle = _nvml_handle(pynvml, gpu_id)
                name = _text(pynvml.nvmlDeviceGetName(handle))
                try:
                    meters.append(NvmlCounterMeter(pynvml, handle, gpu_id, name))
                    continue
                except Exception as exc:
                    notes.append(f"gpu {gpu_id}: no NVML energy counter ({exc}); sampling power")
                meters.append(NvmlPowerMeter(pynvml, handle, gpu_id, name))
                continue
            except Exception as exc:
                notes.append(f"gpu {gpu_id}: NVML failed ({exc})")
        if smi is not None:
            meters.append(NvidiaSmiPowerMeter(smi, gpu_id, fallback_name=_torch_gpu_name(local_indices[ids.index(gpu_id)])))
            continue
        name = _torch_gpu_name(local_indices[ids.index(gpu_id)])
        rated = match_rated_power(name or "", rated_table)
        if rated is None:
            notes.append(f"gpu {gpu_id} ({name or 'unknown model'}): no NVML, no nvidia-smi and no rated power "
                         "in the table: its energy is unknown")
            continue
        meters.append(RatedGpuMeter(gpu_id, name, rated["watts"], rated["source"]))
    return meters


def _torch_gpu_name(index):
    try:
        import torch
        return torch.cuda.get_device_name(index)
    except Exception:
        return None


# ---------------------------------------------------------------- CPU

class RaplMeter(Meter):
    """Intel/AMD RAPL via powercap sysfs; the counter wraps at max_energy_range_uj."""
    source = "rapl"
    scope = "node"

    def __init__(self, zones):
        names = ", ".join(f"{os.path.basename(z)} ({_read_text(os.path.join(z, 'name'))})" for z in zones)
        super().__init__("cpu", f"RAPL energy counters: {names}",
                         ["RAPL counts the whole socket/DRAM, including other processes on it"])
        self.zones = []
        for z in zones:
            rng = _read_int(os.path.join(z, "max_energy_range_uj")) or 0
            first = _read_int(os.path.join(z, "energy_uj"))
            self.zones.append({"path": os.path.join(z, "energy_uj"), "range": rng, "last": first, "total": 0})

    def joules(self):
        total = 0
        for z in self.zones:
            now = _read_int(z["path"])
            delta = now - z["last"]
            if delta < 0:
                delta += z["range"]
            z["total"] += delta
            z["last"] = now
            total += z["total"]
        return total / 1e6


def readable_rapl_zones(root="/sys/class/powercap"):
    """Top-level package zones plus their dram subzones, when energy_uj is readable."""
    zones = []
    for path in sorted(glob.glob(os.path.join(root, "intel-rapl:*"))):
        name = _read_text(os.path.join(path, "name")) or ""
        top = path.count(":") == 1
        if (top and name.startswith("package")) or (not top and name == "dram"):
            if _read_int(os.path.join(path, "energy_uj")) is not None:
                zones.append(path)
    return zones


def _read_text(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def _read_int(path):
    text = _read_text(path)
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


_CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_cpu_seconds():
    """CPU seconds of this process, its live children (DataLoader workers) and reaped children."""
    import resource
    own = resource.getrusage(resource.RUSAGE_SELF)
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + reaped.ru_utime + reaped.ru_stime
    for pid in _live_children(os.getpid()):
        stat = _read_text(f"/proc/{pid}/stat")
        if stat:
            fields = stat[stat.rfind(")") + 2:].split()
            total += (int(fields[11]) + int(fields[12])) / _CLK_TCK  # utime, stime
    return total


def _live_children(pid):
    text = _read_text(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in text.split()] if text else []


class CpuEstimateMeter(Meter):
    """Per-vCPU power model (Cloud Carbon Footprint coefficients): idle share of the vCPUs the
    process may use + (max - min) watts for each busy CPU-second, from CPU time over wall time."""
    source = "estimated"
    scope = "process"

    def __init__(self, min_watts, max_watts, label):
        self.vcpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        super().__init__("cpu", f"{label}: {min_watts:g}-{max_watts:g} W per vCPU x utilisation from CPU time",
                         [f"CPU power per vCPU {min_watts:g} W idle to {max_watts:g} W busy ({label})",
                          f"utilisation = process CPU time / wall time over {self.vcpus} usable vCPUs",
                          "DRAM, disk and the rest of the machine not counted"])
        self.min_w, self.max_w = min_watts, max_watts
        self.t0 = time.perf_counter()
        self.cpu0 = process_cpu_seconds()
        self._last = (self.t0, 0.0)
        self._watts = None

    def joules(self):
        now = time.perf_counter()
        wall = now - self.t0
        busy = max(0.0, process_cpu_seconds() - self.cpu0)
        busy = min(busy, wall * self.vcpus)
        j = self.min_w * self.vcpus * wall + (self.max_w - self.min_w) * busy
        t_prev, j_prev = self._last
        if now - t_prev > 0.05:
            self._watts = (j - j_prev) / (now - t_prev)
            self._last = (now, j)
        return j

    def watts(self):
        return self._watts


def cpu_meter(measure_node, min_watts, max_watts, label, notes):
    zones = readable_rapl_zones()
    if zones:
        if not measure_node:
            return None  # RAPL counts the whole node: its local rank 0 reports it once
        try:
            return RaplMeter(zones)
        except Exception as exc:
            notes.append(f"RAPL unreadable ({exc}); estimating CPU energy")
    else:
        notes.append("RAPL not readable here (/sys/class/powercap): CPU energy is estimated")
    return CpuEstimateMeter(min_watts, max_watts, label)
