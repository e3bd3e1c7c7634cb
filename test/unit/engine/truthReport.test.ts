// Prints engine vs real-torch figures for every truth model (WATTLENS_TRUTH_REPORT=1).
import { it } from 'vitest';
import { compareFile, truthFiles } from './truthCorpus';

it.runIf(process.env.WATTLENS_TRUTH_REPORT)(
  'truth report',
  async () => {
    for (const f of truthFiles()) {
      for (const c of await compareFile(f)) {
        const r = c.report;
        const pOk = r?.uniqueParams === c.truth.uniqueParams;
        const macErr = r?.macs != null && c.truth.macs ? (r.macs - c.truth.macs) / c.truth.macs : null;
        const mOk = macErr !== null && Math.abs(macErr) <= 0.01;
        console.log(
          `${pOk && mOk ? 'OK  ' : 'FAIL'} ${c.truth.name.padEnd(28)} params ${r?.uniqueParams ?? '?'} vs ${c.truth.uniqueParams}  macs ${r?.macs ?? '?'} vs ${c.truth.macs} (${macErr === null ? '?' : (macErr * 100).toFixed(3) + '%'})  ${c.ms.toFixed(0)}ms ${pOk && mOk ? '' : JSON.stringify([...(r?.unknowns ?? []).slice(0, 2), ...c.problems.slice(0, 2)])}`,
        );
      }
    }
  },
  600_000,
);
