// GPU profiles (memory, tensor-core precisions, dense peak rates, bandwidth, board power) and the
// GPU the editor checks memory against: nvidia-smi when it answers, else the profile or memory the
// settings name. The harness's rated-power fallback stays in the energy tables (same watts, tested).
import { gpuRatedPowerFor, type GpuRatedPower } from '../energy/hardwarePower';
import table from './gpuProfiles.json';
import type { SmiGpu } from './nvidiaSmi';

/** Precisions a step can run at: fp32 on CUDA cores, the rest on tensor cores. */
export type StepPrecision = 'fp32' | 'tf32' | 'bf16' | 'fp16';

export interface GpuProfile {
  name: string;
  match: string;
  memoryGiB: number;
  bf16: boolean;
  fp16: boolean;
  /** Dense peak TFLOP/s per precision (no sparsity); null: the GPU has no such path. fp32 is the CUDA-core rate. */
  peakTflops: Record<StepPrecision, number | null> & { fp32: number };
  /** Peak device-memory bandwidth, GB/s (10^9 B/s). */
  memoryBandwidthGBs: number;
  /** Maximum board power of the specification, W. */
  tdpW: number;
  /** Board power when idle, W: measured where `idleBasis` says so, else the table's stated assumption. */
  idleW: number;
  idleBasis: string;
  /** Where the figures come from. */
  source: string;
}

type SourceKey = keyof typeof table.sources;

export const GPU_PROFILES: readonly GpuProfile[] = table.profiles.map((p) => {
  const measuredIdle = p.idleW !== null && 'idleSource' in p;
  return {
    name: p.name,
    match: p.match,
    memoryGiB: p.memoryGiB,
    bf16: p.bf16,
    fp16: p.fp16,
    peakTflops: p.peakTflops,
    memoryBandwidthGBs: p.memoryBandwidthGBs,
    tdpW: p.tdpW,
    idleW: measuredIdle ? (p.idleW as number) : p.tdpW * table.idle.fractionOfTdp,
    idleBasis: measuredIdle ? table.sources[(p as { idleSource: string }).idleSource as SourceKey] : table.idle.basis,
    source: table.sources[p.source as SourceKey],
  };
});

/** Names a setting may use: the profiles, plus 'auto' (nvidia-smi) and 'none'. */
export const GPU_SETTING_VALUES: readonly string[] = ['auto', 'none', ...GPU_PROFILES.map((p) => p.name)];

/** The profile names, for messages and the wattlens.gpu setting. */
export function knownGpuNames(): string[] {
  return GPU_PROFILES.map((p) => p.name);
}

/** The profile for a device name ("NVIDIA H100 80GB HBM3") or a profile name ("A100 40GB"). */
export function gpuProfileFor(name: string): GpuProfile | undefined {
  const exact = GPU_PROFILES.find((p) => p.name.toLowerCase() === name.trim().toLowerCase());
  return exact ?? GPU_PROFILES.find((p) => new RegExp(p.match, 'i').test(name));
}

/** The GPU memory checks compare against. */
export interface GpuTarget {
  name: string;
  memoryBytes: number;
  /** Where the memory figure comes from, e.g. "nvidia-smi" or "setting wattlens.gpu". */
  source: string;
  profile?: GpuProfile;
  ratedPower?: GpuRatedPower | null;
}

export type GpuResolution = { gpu: GpuTarget } | { gpu: null; reason: string };

const GIB = 1024 ** 3;

/**
 * The GPU named by the settings: `gpuMemoryGiB` overrides memory; `gpu` is 'auto' (the first
 * GPU nvidia-smi lists), 'none', or a profile name. Nothing is guessed when nothing answers.
 */
export function resolveGpu(setting: string, memoryOverrideGiB: number | null, smi: SmiGpu[] | undefined): GpuResolution {
  const key = setting.trim();
  if (key.toLowerCase() === 'none' && memoryOverrideGiB === null)
    return { gpu: null, reason: 'no GPU is configured (wattlens.gpu is "none")' };
  let base: GpuTarget | undefined;
  if (key.toLowerCase() === 'auto') {
    const first = smi?.[0];
    if (first) {
      const profile = gpuProfileFor(first.name);
      base = {
        name: first.name,
        memoryBytes: first.memoryMiB * 1024 * 1024,
        source: 'nvidia-smi',
        profile,
        ratedPower: gpuRatedPowerFor(first.name),
      };
    }
  } else if (key.toLowerCase() !== 'none') {
    const profile = gpuProfileFor(key);
    if (!profile && memoryOverrideGiB === null)
      return { gpu: null, reason: `no GPU profile named "${key}" (wattlens.gpu); set wattlens.gpuMemoryGiB for other GPUs` };
    if (profile)
      base = {
        name: profile.name,
        memoryBytes: profile.memoryGiB * GIB,
        source: `profile ${profile.name} (wattlens.gpu)`,
        profile,
        ratedPower: gpuRatedPowerFor(profile.name),
      };
  }
  if (memoryOverrideGiB !== null) {
    return {
      gpu: {
        name: base?.name ?? (key.toLowerCase() === 'auto' || key.toLowerCase() === 'none' ? 'GPU' : key),
        memoryBytes: memoryOverrideGiB * GIB,
        source: 'setting wattlens.gpuMemoryGiB',
        profile: base?.profile,
        ratedPower: base?.ratedPower,
      },
    };
  }
  if (base) return { gpu: base };
  return { gpu: null, reason: 'nvidia-smi found no GPU; set wattlens.gpu to a profile or wattlens.gpuMemoryGiB' };
}
