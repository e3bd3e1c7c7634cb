// Parses `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits`:
// one line per GPU, "NVIDIA H100 80GB HBM3, 81559" (memory in MiB).

export interface SmiGpu {
  name: string;
  memoryMiB: number;
}

/** The arguments that produce the output parseNvidiaSmi reads. */
export const NVIDIA_SMI_ARGS = ['--query-gpu=name,memory.total', '--format=csv,noheader,nounits'] as const;

/** GPUs in the order nvidia-smi lists them; lines that do not parse are skipped. */
export function parseNvidiaSmi(output: string): SmiGpu[] {
  const gpus: SmiGpu[] = [];
  for (const raw of output.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const comma = line.lastIndexOf(',');
    if (comma < 0) continue;
    const name = line.slice(0, comma).trim();
    const memory = line
      .slice(comma + 1)
      .trim()
      .replace(/\s*MiB$/i, '');
    if (!name || !/^\d+(\.\d+)?$/.test(memory)) continue;
    gpus.push({ name, memoryMiB: Number(memory) });
  }
  return gpus;
}
