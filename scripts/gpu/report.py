#!/usr/bin/env python3
"""Checks a GPU pilot against an independent NVML trace, and the pilot's forecast against the full run.

    python3 scripts/gpu/report.py WORKSPACE OUT

WORKSPACE holds .wattlens/runs/ of the runs made by scripts/gpu/validate.sh; OUT holds its
nvml-trace.csv (scripts/gpu/nvml_trace.py) and the CLI's pilot.json / full.json / tiny.json.
Writes OUT/report.json and prints the same figures as text.
"""
import bisect
import csv
import glob
import json
import os
import statistics
import sys


def load_trace(path):
    rows = []
    with open(path) as f:
        for r in csv.DictReader(f):
            rows.append((float(r["t"]), int(r["energy_mJ"]), int(r["power_avg_mW"]) / 1000.0,
                         int(r["power_instant_mW"]) / 1000.0 if r["power_instant_mW"] else None))
    return rows


class Trace:
    def __init__(self, rows):
        self.rows = rows
        self.t = [r[0] for r in rows]

    def counter_j(self, t):
        """The trace's energy counter at time t (linear between samples), joules."""
        i = bisect.bisect_left(self.t, t)
        i = min(max(i, 1), len(self.t) - 1)
        (t0, e0, *_), (t1, e1, *_) = self.rows[i - 1], self.rows[i]
        return (e0 + (e1 - e0) * (t - t0) / (t1 - t0)) / 1000.0 if t1 > t0 else e1 / 1000.0

    def integrate(self, t0, t1, column):
        """Trapezoid of a power column (1: 1 s average, 2: instant) over [t0, t1], joules."""
        pts = [(t, r[column + 1]) for t, r in zip(self.t, self.rows) if t0 <= t <= t1 and r[column + 1] is not None]
        if len(pts) < 2:
            return None
        return sum(0.5 * (a[1] + b[1]) * (b[0] - a[0]) for a, b in zip(pts, pts[1:])) * (t1 - t0) / (pts[-1][0] - pts[0][0])

    def mean_power(self, t0, t1, column=1):
        xs = [r[column + 1] for t, r in zip(self.t, self.rows) if t0 <= t <= t1 and r[column + 1] is not None]
        return statistics.fmean(xs) if xs else None


def events_of(ws, record):
    out = []
    for path in sorted(glob.glob(os.path.join(ws, ".wattlens", "runs", record["runDir"], "events.rank0*.jsonl"))):
        with open(path) as f:
            out += [json.loads(line) for line in f if line.strip()]
    return out


def records(ws):
    recs = {}
    for path in glob.glob(os.path.join(ws, ".wattlens", "runs", "*.json")):
        with open(path) as f:
            r = json.load(f)
        recs[r["id"]] = r
    return recs


def check_windows(trace, events):
    """Per energy window of the harness: its NVML counter joules vs the trace over the same times."""
    rows = []
    for e in events:
        if e.get("type") != "energy" or e["toStep"] < e["fromStep"]:
            continue
        for r in e["readings"]:
            if not r["device"].startswith("gpu:") or r["joules"] is None:
                continue
            rows.append({
                "fromStep": e["fromStep"], "toStep": e["toStep"], "seconds": e["seconds"], "source": r["source"],
                "harnessJ": r["joules"],
                "traceCounterJ": trace.counter_j(e["t1"]) - trace.counter_j(e["t0"]),
                "traceAvgPowerJ": trace.integrate(e["t0"], e["t1"], 1),
                "traceInstantPowerJ": trace.integrate(e["t0"], e["t1"], 2),
            })
    def total(key):
        xs = [w[key] for w in rows if w[key] is not None]
        return sum(xs) if len(xs) == len(rows) and rows else None
    def rel(key):
        xs = [w[key] / w["harnessJ"] - 1 for w in rows if w[key] is not None and w["harnessJ"] > 0]
        return {"median": statistics.median(xs), "min": min(xs), "max": max(xs)} if xs else None
    return {
        "windows": len(rows),
        "harnessJ": total("harnessJ"),
        "traceCounterJ": total("traceCounterJ"),
        "traceAvgPowerJ": total("traceAvgPowerJ"),
        "traceInstantPowerJ": total("traceInstantPowerJ"),
        "perWindow": {"traceCounter": rel("traceCounterJ"), "traceAvgPower": rel("traceAvgPowerJ"),
                      "traceInstantPower": rel("traceInstantPowerJ")},
        "windowSeconds": statistics.median([w["seconds"] for w in rows]) if rows else None,
    }


def main():
    ws, out = sys.argv[1], sys.argv[2]
    trace = Trace(load_trace(os.path.join(out, "nvml-trace.csv")))
    recs = records(ws)
    cli = {}
    for name in ("tiny", "pilot", "full"):
        p = os.path.join(out, f"{name}.json")
        if os.path.exists(p) and os.path.getsize(p):
            with open(p) as f:
                cli[name] = json.load(f)
    report = {"traceSamples": len(trace.rows),
              "traceIntervalS": statistics.median([b - a for a, b in zip(trace.t, trace.t[1:])]) if len(trace.t) > 1 else None,
              "idleW": trace.mean_power(trace.t[0], trace.t[0] + 2.5) if trace.rows else None,
              "runs": {}}
    for name, j in cli.items():
        rec = recs[j["id"]]
        steps = [e for e in events_of(ws, rec) if e.get("type") == "step"]
        if len(steps) < 2:
            report["runs"][name] = {"status": j["status"], "message": j["message"], "steps": len(steps)}
            continue
        gpu = [c for c in j["energy"]["components"] if c["device"].startswith("gpu:")]
        windows = check_windows(trace, events_of(ws, rec))
        t0, t1 = steps[0]["tEnd"], steps[-1]["tEnd"]
        report["runs"][name] = {
            "status": j["status"], "completion": j["completion"], "device": j["device"], "steps": j["steps"],
            "stepTimeS": j["stepTimeS"], "energySource": j["energy"]["source"], "joulesPerStep": j["energy"]["joulesPerStep"],
            "gpu": gpu, "cpu": [c for c in j["energy"]["components"] if not c["device"].startswith("gpu:")],
            "joulesPerMac": j["energy"]["joulesPerMac"], "macsPerStep": j["macsPerStep"],
            "loopS": rec["summary"].get("loopS"), "loop": [t0, t1],
            "traceGpuJ": trace.counter_j(t1) - trace.counter_j(t0),
            "traceGpuMeanW": trace.mean_power(t0, t1),
            "windows": windows,
            "forecast": {k: j["forecast"][k] for k in ("totalSteps", "timeS", "energyKWh", "deviceEnergyKWh", "convergence")},
            "notes": j["notes"], "phases": j["phases"],
        }
    if all(report["runs"].get(k, {}).get("steps", 0) >= 2 for k in ("pilot", "full")):
        p, f = report["runs"]["pilot"], report["runs"]["full"]
        total = f["steps"]
        measured_time = f["loopS"] * total / (total - 1)
        # the full run's GPU energy by the independent trace, over its loop, scaled to all steps;
        # its CPU share from the harness (estimated on this VM: no RAPL)
        gpu_j = f["traceGpuJ"] * total / (total - 1)
        cpu_j = sum(c["joulesPerStep"] or 0 for c in f["cpu"]) * total
        fc = p["forecast"]
        losses = [x for x in cli["full"]["losses"] if x is not None]
        tail = losses[-max(1, round(total * 0.05)):]
        report["prediction"] = {
            "pilotSteps": p["steps"], "totalSteps": fc["totalSteps"], "fullSteps": total,
            "predictedTimeS": fc["timeS"], "measuredTimeS": measured_time, "timeError": fc["timeS"] / measured_time - 1,
            "predictedKWh": fc["deviceEnergyKWh"], "measuredKWh": (gpu_j + cpu_j) / 3.6e6,
            "energyError": fc["deviceEnergyKWh"] / ((gpu_j + cpu_j) / 3.6e6) - 1,
            "measuredGpuKWhByTrace": gpu_j / 3.6e6,
            "finalLoss": statistics.fmean(tail), "convergence": fc["convergence"],
        }
    with open(os.path.join(out, "report.json"), "w") as fo:
        json.dump(report, fo, indent=2)
    print(json.dumps(report, indent=1)[:12000])


if __name__ == "__main__":
    main()
