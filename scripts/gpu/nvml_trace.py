#!/usr/bin/env python3
"""Samples one GPU's NVML energy counter and power readings until SIGTERM, as CSV:

    t (perf_counter s), energy_mJ (total since driver load), power_avg_mW, power_instant_mW

perf_counter is CLOCK_MONOTONIC on Linux, the clock the harness stamps its windows with, so the
samples can be matched to the pilot's energy windows. Independent of the harness: it is the
reference the harness's readings are checked against (scripts/gpu/report.py).

    python3 scripts/gpu/nvml_trace.py OUT.csv [GPU_INDEX] [INTERVAL_S]
"""
import signal
import sys
import time

import pynvml


def main():
    out = sys.argv[1]
    index = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    interval = float(sys.argv[3]) if len(sys.argv) > 3 else 0.02
    pynvml.nvmlInit()
    handle = pynvml.nvmlDeviceGetHandleByIndex(index)
    # NVML_FI_DEV_POWER_INSTANT (driver >= 535): an instantaneous reading beside the 1 s average
    instant_field = getattr(pynvml, "NVML_FI_DEV_POWER_INSTANT", None)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    with open(out, "w") as f:
        f.write("t,energy_mJ,power_avg_mW,power_instant_mW\n")
        while not stop:
            t = time.perf_counter()
            energy = pynvml.nvmlDeviceGetTotalEnergyConsumption(handle)
            power = pynvml.nvmlDeviceGetPowerUsage(handle)
            instant = ""
            if instant_field is not None:
                try:
                    v = pynvml.nvmlDeviceGetFieldValues(handle, [instant_field])[0]
                    if v.nvmlReturn == 0:
                        instant = str(v.value.uiVal)
                except pynvml.NVMLError:
                    instant_field = None
            f.write(f"{t:.6f},{energy},{power},{instant}\n")
            time.sleep(max(0.0, interval - (time.perf_counter() - t)))
    pynvml.nvmlShutdown()


if __name__ == "__main__":
    main()
