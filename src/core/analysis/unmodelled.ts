// What the interpreter's log of unmodelled APIs (Interpreter.unmodelled) means for a model's
// figures. An unmodelled call yields an Unknown and evaluation goes on; it costs only what
// depends on it:
// - construction: a size built from it is unknown (symbolic, in the layer's own row); an
//   attribute set to it may be a submodule (moduleAttrs: the totals are unknown); a condition or
//   loop it decided, or an unmodelled call handed an object it may change (weight_norm(self.fc)),
//   may change what was built, so the parameter totals are unknown;
// - forward: an unmodelled op may have cost anything, so the MAC total is unknown.
import type { UnmodelledLog } from '../interp/interpreter';
import type { Unknown } from '../report/types';

/** The unmodelled APIs met, one entry each, as report unknowns (what: the API, reason: not modelled). */
export function unmodelledValues(values: UnmodelledLog['values']): Unknown[] {
  const out: Unknown[] = [];
  for (const v of values)
    if (!out.some((u) => u.what === v.what && u.file === v.file && u.line === v.line))
      out.push({ what: v.what, reason: 'not modelled', file: v.file, line: v.line });
  return out;
}

/** Why what construction built may differ from what the code builds (empty: it does not). */
export function constructionBlockers(log: UnmodelledLog): Unknown[] {
  const out: Unknown[] = [];
  for (const c of log.control) {
    if (c.kind === 'call' && !c.withObject) continue;
    out.push({
      what: 'parameters',
      reason:
        c.kind === 'call'
          ? `an unmodelled call (${c.reason}) was given an object it may change; what was built is not known`
          : `a ${c.kind} depends on an unknown (${c.reason}); what is built may differ`,
      file: c.file,
      line: c.line,
      blocks: 'params',
    });
  }
  return out;
}

/** Why forward's MAC total is not known although forward ran to its end (empty: it is known). */
export function forwardBlockers(log: UnmodelledLog, builtValues: number): Unknown[] {
  const out: Unknown[] = [];
  for (const v of unmodelledValues(log.values.slice(builtValues)))
    out.push({ ...v, what: 'MACs', reason: `${v.what} is not modelled; its cost is unknown`, blocks: 'macs' });
  for (const c of log.control)
    if (!out.some((u) => u.file === c.file && u.line === c.line))
      out.push({
        what: 'MACs',
        reason:
          c.kind === 'call'
            ? `a call of an unknown function (${c.reason}) on tensors; its cost is unknown`
            : `a ${c.kind} depends on an unknown (${c.reason}); what runs may differ`,
        file: c.file,
        line: c.line,
        blocks: 'macs',
      });
  return out;
}

/**
 * The first loop an unknown skipped (a `for` over an unknown ran zero times) or stopped (a `while`
 * whose condition is unknown), as the cause of an exception raised after it: the exception is often
 * its consequence (`layers[0]` of a list the loop did not fill), so the loop is named first.
 * `sameFile` keeps only loops in that file (module code, whose log also holds the imports' loops).
 */
export function unknownLoopCause(log: UnmodelledLog, sameFile?: string): { reason: string; file?: string; line?: number } | undefined {
  const loop = log.control.find((c) => c.kind === 'loop' && (sameFile === undefined || c.file === sameFile));
  if (!loop) return undefined;
  // an unknown site is left out rather than printed as `?`
  const fileName = loop.file?.split(/[\\/]/).slice(-1)[0];
  const site = fileName ? (loop.line !== undefined ? ` at line ${loop.line} of ${fileName}` : ` in ${fileName}`) : '';
  const where = `${loop.statement ? `\`${loop.statement}\`` : 'a loop'}${site}`;
  const what = loop.statement?.startsWith('while')
    ? `stopped: its condition is unknown (${loop.reason})`
    : `ran zero times: what it iterates over is unknown (${loop.reason})`;
  return { reason: `${where} ${what}`, file: loop.file, line: loop.line };
}
