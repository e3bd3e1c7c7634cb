// How an energy figure was obtained, in words a user can judge.

export type EnergySourceKind = 'nvml-counter' | 'nvml-power' | 'rapl' | 'estimated';

const LABELS: Record<EnergySourceKind, string> = {
  'nvml-counter': 'measured (NVML energy counter)',
  'nvml-power': 'measured (NVML power samples, integrated)',
  rapl: 'measured (RAPL energy counter)',
  estimated: 'estimated',
};

export function describeSource(kind: EnergySourceKind): string {
  return LABELS[kind];
}

export function isMeasured(kind: EnergySourceKind): boolean {
  return kind !== 'estimated';
}

/** The label of a total made of several parts: the part that holds most of the joules; each
 *  part keeps its own label next to it (a GPU counter beside an estimated CPU share, say). */
export function dominantSource(parts: readonly { source: EnergySourceKind; joules: number }[]): EnergySourceKind | null {
  let best: { source: EnergySourceKind; joules: number } | null = null;
  for (const p of parts) if (!best || p.joules > best.joules) best = p;
  return best?.source ?? null;
}
