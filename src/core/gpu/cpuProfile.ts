// A CPU as a device of the static step estimate: peak FLOP/s from threads × clock × FLOP per
// cycle (cpuProfiles.json, by microarchitecture), bandwidth from one core's attainable rate and
// the socket's peak, power from the per-vCPU coefficients the pilot's CPU estimate uses.
import { cpuPowerFor } from '../energy/hardwarePower';
import type { GpuProfile } from './gpuProfiles';
import table from './cpuProfiles.json';

/** What the estimate needs to know of a machine's CPU (Linux: /proc/cpuinfo). */
export interface CpuMachine {
  modelName: string;
  vendor?: string;
  family?: number;
  model?: number;
  /** Clock the operating system reports, MHz. */
  mhz?: number;
  /** Usable logical CPUs (vCPUs). */
  logicalCpus: number;
}

/** The CPU of /proc/cpuinfo's text (its first processor), with the number of processors listed. */
export function parseCpuInfo(text: string): CpuMachine | undefined {
  const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(text)?.[1]?.trim();
  const modelName = field('model name');
  if (!modelName) return undefined;
  const num = (name: string) => {
    const v = Number(field(name));
    return Number.isFinite(v) && field(name) !== undefined ? v : undefined;
  };
  return {
    modelName,
    vendor: field('vendor_id'),
    family: num('cpu family'),
    model: num('model'),
    mhz: num('cpu MHz'),
    logicalCpus: Math.max(1, (text.match(/^processor\s*:/gm) ?? []).length),
  };
}

type Row = (typeof table.rows)[number];

/** The table row of a CPU: by model name, else by vendor and family, else the generic row. */
export function cpuRowFor(m: CpuMachine): Row {
  const specific = table.rows.filter((r) => r.match !== '.');
  const byName = specific.find((r) => new RegExp(r.match, 'i').test(m.modelName));
  if (byName) return byName;
  const byFamily = specific.find(
    (r) => 'family' in r && r.vendor === m.vendor && r.family === m.family && (!('minModel' in r) || (m.model ?? 0) >= r.minModel!),
  );
  return byFamily ?? table.rows.at(-1)!;
}

/** The CPU's extra facts for the estimate: threads, vCPUs, and the watts of one busy thread above idle. */
export interface CpuDevice {
  threads: number;
  vcpus: number;
  busyWPerThread: number;
  basis: string[];
}

export type CpuProfileResult = { ok: true; profile: GpuProfile & { cpu: CpuDevice } } | { ok: false; reason: string };

/** The estimate's device for `threads` threads (default: every usable vCPU, as torch's intra-op pool takes the cores). */
export function cpuStepProfile(m: CpuMachine, threads?: number): CpuProfileResult {
  if (m.mhz === undefined || !(m.mhz > 0)) return { ok: false, reason: `the clock of ${m.modelName} is not reported: no peak FLOP/s` };
  const n = threads ?? m.logicalCpus;
  if (!Number.isInteger(n) || n < 1) return { ok: false, reason: `threads must be a positive integer, got ${threads}` };
  const row = cpuRowFor(m);
  const ghz = m.mhz / 1000;
  const tflops = (perCycle: number | null) => (perCycle === null ? null : (n * m.mhz! * 1e6 * perCycle) / 1e12);
  const perCore = table.perCoreBandwidth.GBs;
  const bandwidth = Math.min(n * perCore, row.socketBandwidthGBs ?? Infinity);
  const power = cpuPowerFor(m.modelName);
  const idleW = power.minWatts * m.logicalCpus;
  const busy = power.maxWatts - power.minWatts;
  const source = table.sources[row.source as keyof typeof table.sources];
  const name = `CPU: ${m.modelName} (${row.name}, ${n} thread${n === 1 ? '' : 's'})`;
  return {
    ok: true,
    profile: {
      name,
      match: '',
      memoryGiB: 0,
      bf16: row.flopsPerCycle.bf16 !== null,
      fp16: false,
      peakTflops: { fp32: tflops(row.flopsPerCycle.fp32)!, tf32: null, bf16: tflops(row.flopsPerCycle.bf16), fp16: null },
      memoryBandwidthGBs: bandwidth,
      tdpW: idleW + busy * n,
      idleW,
      idleBasis: `${m.logicalCpus} vCPUs × ${power.minWatts.toPrecision(3)} W (${power.label})`,
      source,
      cpu: {
        threads: n,
        vcpus: m.logicalCpus,
        busyWPerThread: busy,
        basis: [
          `${name}: ${n} × ${ghz.toFixed(2)} GHz (the clock the OS reports; boost not counted) × ${row.flopsPerCycle.fp32} FP32 FLOP/cycle${row.flopsPerCycle.bf16 !== null ? ` (${row.flopsPerCycle.bf16} BF16)` : ''} (${source})`,
          `bandwidth ${round(bandwidth)} GB/s: the lesser of ${n} × ${perCore} GB/s per core (${table.perCoreBandwidth.basis}) and the socket's ${row.socketBandwidthGBs ?? 'unknown'} GB/s`,
          `power: ${m.logicalCpus} vCPUs idle at ${power.minWatts.toPrecision(3)} W, + ${busy.toPrecision(3)} W per busy thread (${power.label})`,
        ],
      },
    },
  };
}

function round(x: number): string {
  return x >= 10 ? x.toFixed(0) : x.toPrecision(2);
}
