// The one rule both front ends (Python here, TF.js in src/core/tfjs) follow for a condition whose
// truth is unknown (`if`, and Python's `x if c else y`): it is taken as false, so the branch it
// guards does not run and the else branch does, and the model's report lists the assumption
// among its `assumptions`, in the words below.

/** The assumption an unknown condition leaves in the report. `line` is 1-based. */
export function unknownConditionAssumption(reason: string, site?: { file: string; line: number }): string {
  const where = site ? ` at line ${site.line} of ${site.file.split(/[\\/]/).slice(-2).join('/')}` : '';
  return `condition${where} unknown (${reason}): taken as false`;
}
