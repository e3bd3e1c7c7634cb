// How much of the machine other processes used while a measured run was going on: the pilot
// prediction bench (pilot-prediction.mjs) compares wall times of two runs, which only means
// something when the machine was not taken away from one of them. Linux /proc only; null elsewhere.
import { readFileSync } from 'node:fs';

interface Sample {
  total: number;
  busy: number;
  own: number;
}

function sample(): Sample | null {
  try {
    // cpu  user nice system idle iowait irq softirq steal (guest time is already inside user)
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = cpu.reduce((a, b) => a + b, 0);
    const busy = total - cpu[3]! - cpu[4]!;
    // this process (vitest and its worker threads) and its reaped children (the harness runs)
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    const own = f[11]! + f[12]! + f[13]! + f[14]!; // utime stime cutime cstime
    return { total, busy, own };
  } catch {
    return null;
  }
}

/** Starts measuring; `stop()` returns the share of all CPUs (0..1) used by other processes meanwhile. */
export function measureOtherLoad(): { stop(): number | null } {
  const a = sample();
  return {
    stop() {
      const b = sample();
      if (!a || !b || b.total <= a.total) return null;
      return Math.max(0, (b.busy - a.busy - (b.own - a.own)) / (b.total - a.total));
    },
  };
}
