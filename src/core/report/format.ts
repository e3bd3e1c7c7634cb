// One place for how numbers look: "2.36M", "1.21 GMACs", "3.1 GiB". Unknown renders as "?".
import type { Count, Unknown } from './types';

export type CostConvention = 'macs' | 'flops';

const SI = [
  { v: 1e15, s: 'P' },
  { v: 1e12, s: 'T' },
  { v: 1e9, s: 'G' },
  { v: 1e6, s: 'M' },
  { v: 1e3, s: 'K' },
];

function threeDigits(x: number): string {
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/**
 * 11689512 → "11,689,512", as toLocaleString('en-US') writes an integer, without loading ICU's
 * number formats: their first use costs a fresh worker ~30 ms, before its first answer.
 */
export function groupDigits(n: number): string {
  return Number.isSafeInteger(n) ? String(n).replace(/\B(?=(\d{3})+$)/g, ',') : n.toLocaleString('en-US');
}

/** 2360000 → "2.36M"; 512 → "512". */
export function formatCount(n: Count): string {
  if (n === null || !Number.isFinite(n)) return '?';
  const a = Math.abs(n);
  for (const { v, s } of SI) if (a >= v) return `${n < 0 ? '-' : ''}${threeDigits(a / v)}${s}`;
  return Number.isInteger(n) ? String(n) : threeDigits(n);
}

/** Forward cost in the chosen convention: macs → "1.21 GMACs", flops → "2.42 GFLOPs" (2 × MACs). */
export function formatCost(macs: Count, convention: CostConvention = 'macs'): string {
  if (macs === null) return convention === 'macs' ? '? MACs' : '? FLOPs';
  const value = convention === 'macs' ? macs : 2 * macs;
  const unit = convention === 'macs' ? 'MACs' : 'FLOPs';
  const a = Math.abs(value);
  for (const { v, s } of SI) if (a >= v) return `${threeDigits(a / v)} ${s}${unit}`;
  return `${value} ${unit}`;
}

const IEC = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 3.3e9 → "3.07 GiB". */
export function formatBytes(bytes: Count): string {
  if (bytes === null || !Number.isFinite(bytes)) return '? B';
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < IEC.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${threeDigits(v)} ${IEC[i]}`;
}

/** [1, 64, 112, 112] → "1×64×112×112"; null → "?". */
export function formatShape(shape: readonly (number | string)[] | null | undefined): string {
  if (!shape) return '?';
  if (shape.length === 0) return 'scalar';
  return shape.join('×');
}

/** 0.1234 → "12%"; tiny shares stay visible as "<1%". */
export function formatShare(part: Count, whole: Count): string {
  if (part === null || whole === null || whole === 0) return '?';
  const pct = (100 * part) / whole;
  if (pct > 0 && pct < 1) return '<1%';
  return `${Math.round(pct)}%`;
}

/** 4096*4096 → "4096·4096" style products for formulas. */
export function product(...factors: (number | string)[]): string {
  return factors.join('·');
}

/**
 * The first blocking unknown of a model: what left its first null headline figure null
 * (`unknowns[0]` when it has `blocks`; reports of older versions: the forward failure).
 */
export function firstBlocking(m: { unknowns: Unknown[]; macs: Count; uniqueParams: Count }): Unknown | undefined {
  const first = m.unknowns.at(0);
  if (first?.blocks) return first;
  if (m.uniqueParams === null || m.macs === null)
    return m.unknowns.find((u) => u.what === 'forward cost') ?? (m.uniqueParams === null ? first : undefined);
  return undefined;
}

/** "torch.as_tensor at model.py:42 (not modelled)": what, where (file name and line), why. */
export function unknownText(u: Unknown): string {
  const where = unknownSite(u);
  return `${u.what}${where ? ` at ${where}` : ''} (${u.reason})`;
}

/**
 * "model.py:42" (or "line 42" when the file is not known) where an unknown arises; undefined
 * without a line. Reasons leave the site out when it is in these fields, so it is shown once.
 */
export function unknownSite(u: Unknown): string | undefined {
  if (!u.line) return undefined;
  return u.file ? `${u.file.split(/[\\/]/).pop()}:${u.line}` : `line ${u.line}`;
}
