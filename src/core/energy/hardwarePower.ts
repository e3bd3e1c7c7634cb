// Rated GPU board power and per-vCPU CPU power coefficients: the data behind "estimated" energy.
import cpuTable from './data/cpu-power.json';
import gpuTable from './data/gpu-power.json';

export interface CpuPowerCoefficients {
  minWatts: number;
  maxWatts: number;
  /** Where the numbers come from, shown with every estimate that uses them. */
  label: string;
  matched: boolean;
}

/** Per-vCPU idle/busy watts for a CPU model name; the table mean (labelled) when no row matches. */
export function cpuPowerFor(modelName: string): CpuPowerCoefficients {
  for (const row of cpuTable.entries) {
    if (new RegExp(row.match, 'i').test(modelName)) {
      return {
        minWatts: row.minWatts,
        maxWatts: row.maxWatts,
        matched: true,
        label: `${row.architecture} coefficients, Cloud Carbon Footprint`,
      };
    }
  }
  const n = cpuTable.entries.length;
  const minWatts = cpuTable.entries.reduce((s, r) => s + r.minWatts, 0) / n;
  const maxWatts = cpuTable.entries.reduce((s, r) => s + r.maxWatts, 0) / n;
  return {
    minWatts,
    maxWatts,
    matched: false,
    label: `"${modelName || 'unknown CPU'}" not in the table: mean of ${n} Cloud Carbon Footprint microarchitectures`,
  };
}

export interface GpuRatedPower {
  match: string;
  watts: number;
  source: string;
}

/** The rated-power rows in the form the Python harness takes (--gpu-rated-table). */
export function gpuRatedTable(): GpuRatedPower[] {
  return gpuTable.entries.map((e) => ({ match: e.match, watts: e.watts, source: `${e.model} rated board power, ${gpuTable.source}` }));
}

/** Rated board power of a GPU by its device name, or null when the table does not know it. */
export function gpuRatedPowerFor(deviceName: string): GpuRatedPower | null {
  return gpuRatedTable().find((r) => new RegExp(r.match, 'i').test(deviceName)) ?? null;
}
