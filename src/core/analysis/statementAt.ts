// The statement of a block that holds a row, found by binary search over the block's rows
// instead of a scan of the block per row: the dependency traces of a model's construction hold
// hundreds of rows of a file of hundreds of statements, mapped after every analysis.
import type { Stmt } from '../python/ast';

interface RowIndex {
  /** First row of each statement, its decorators included. */
  starts: number[];
  /** The largest last row among the statements up to each one. */
  endsUpTo: number[];
  /** The starts never decrease (source order): else the block is searched from its first statement. */
  ordered: boolean;
}

const indexes = new WeakMap<readonly Stmt[], RowIndex>();

function firstRow(s: Stmt): number {
  let row = s.line;
  if (s.k === 'def' || s.k === 'class') for (const d of s.decorators) row = Math.min(row, d.line);
  return row;
}

function lastRow(s: Stmt): number {
  return s.endLine ?? s.line;
}

function indexOf(body: readonly Stmt[]): RowIndex {
  let index = indexes.get(body);
  if (index && index.starts.length === body.length) return index;
  const starts: number[] = [];
  const endsUpTo: number[] = [];
  let maxEnd = -Infinity;
  let ordered = true;
  for (const s of body) {
    const start = firstRow(s);
    if (starts.length && start < starts[starts.length - 1]) ordered = false;
    starts.push(start);
    maxEnd = Math.max(maxEnd, lastRow(s));
    endsUpTo.push(maxEnd);
  }
  index = { starts, endsUpTo, ordered };
  indexes.set(body, index);
  return index;
}

/**
 * The first statement of `body` whose rows (decorators included) hold `row`, as
 * `body.find(...)` would give it. A block's statements are never changed in place (an edit
 * makes new ones), so the index is kept per block.
 */
export function statementAt(body: readonly Stmt[], row: number): Stmt | undefined {
  const { starts, endsUpTo, ordered } = indexOf(body);
  if (!ordered) return body.find((s, i) => starts[i] <= row && row <= lastRow(s));
  // the last statement starting at or before the row
  let lo = 0;
  let hi = starts.length - 1;
  let last = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= row) {
      last = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // statements are in source order: an earlier one holds the row only while some statement up to it ends at or after it
  let found: Stmt | undefined;
  for (let i = last; i >= 0 && endsUpTo[i] >= row; i--) if (starts[i] <= row && row <= lastRow(body[i])) found = body[i];
  return found;
}
