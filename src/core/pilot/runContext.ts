// What the panel keeps beside a run it started (.wattlens/panel/runs/<id>.json): the model's MACs,
// the full run's length, the target loss. Read capped and link-free: the folder may come from a clone.
import { join } from 'node:path';
import type { RunContext } from '../panel/runComparison';
import { readBoundedFile, RECORD_MAX_BYTES } from './wattlensFiles';

/** Where the panel keeps what it knows about a run beyond its record (the model's MACs, the run length). */
export function runContextPath(workspace: string, id: string): string {
  return join(workspace, '.wattlens', 'panel', 'runs', `${id}.json`);
}

/** A run's context, read without blocking the thread (capped, no link followed: the folder may come from a clone). */
export async function readRunContext(workspace: string, id: string): Promise<RunContext | undefined> {
  const read = await readBoundedFile(runContextPath(workspace, id), { maxBytes: RECORD_MAX_BYTES });
  if (!read.ok) return undefined;
  try {
    const parsed = JSON.parse(read.text) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const raw = parsed as Record<string, unknown>;
    const num = (k: string) => (typeof raw[k] === 'number' && Number.isFinite(raw[k]) ? (raw[k] as number) : undefined);
    const ctx: RunContext = {};
    if (typeof raw.model === 'string') ctx.model = raw.model.slice(0, 1000);
    for (const k of ['macsPerStep', 'totalSteps', 'epochs', 'targetLoss'] as const) {
      const v = num(k);
      if (v !== undefined) ctx[k] = v;
    }
    return ctx;
  } catch {
    return undefined;
  }
}
