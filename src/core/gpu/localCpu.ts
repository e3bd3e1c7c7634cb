// This machine's CPU for `--gpu cpu`: /proc/cpuinfo on Linux, else what Node's os module reports.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { parseCpuInfo, type CpuMachine } from './cpuProfile';

export function localCpuMachine(): CpuMachine | undefined {
  let fromProc: CpuMachine | undefined;
  try {
    fromProc = parseCpuInfo(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    fromProc = undefined;
  }
  const usable = availableParallelism();
  if (fromProc) return { ...fromProc, logicalCpus: Math.min(fromProc.logicalCpus, usable) };
  const first = cpus().at(0);
  return first ? { modelName: first.model.trim(), mhz: first.speed || undefined, logicalCpus: usable } : undefined;
}
