// The engine against real torch on torchvision's other model families (segmentation, detection,
// video, optical flow, quantization): every builder of the truth files under
// test/fixtures/truth/torchvision-tasks/, analyzed from the vendored sources with the record's
// entry and input. Not every builder is exact yet, so a ratchet (torchvision-tasks-status.json)
// lists per builder whether params are exact and MACs within 1%, and the first blocking reason
// of the others. The test fails when an exact builder regresses, when a blocked one becomes exact
// (update the list), when a builder is missing from the list, and when a miss is silent (a figure
// that is not torch's without any unknown or problem in the report).
//
// WATTLENS_TASK_STATUS=write rewrites the list from the current engine instead of checking it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTaskStatus, taskTruthFiles, TRUTH_DIR } from '../../fixtures/truth/truthSchema';
import { compareFile, type Comparison } from './truthCorpus';

type Status = ReturnType<typeof loadTaskStatus>['builders'][string];

function statusOf(c: Comparison): Status {
  const r = c.report;
  const params = r?.uniqueParams === c.truth.uniqueParams && r.params === c.truth.params ? 'exact' : 'blocked';
  const macs = r?.macs != null && Math.abs(r.macs - c.truth.macs) / c.truth.macs <= 0.01 ? 'within1%' : 'blocked';
  if (params === 'exact' && macs === 'within1%') return { params, macs };
  const first = r?.unknowns[0];
  const reason = first
    ? `${first.what}: ${first.reason}`
    : r
      ? `no unknown reported (params ${r.uniqueParams} vs ${c.truth.uniqueParams}, MACs ${r.macs} vs ${c.truth.macs})`
      : `not analyzed: ${c.problems.at(-1) ?? 'no problem reported'}`;
  return { params, macs, reason };
}

const comparisons = Promise.all(taskTruthFiles().map((f) => compareFile(f))).then((all) => all.flat());

describe("torchvision's task families against real torch", () => {
  it('keep every exact builder exact, and list the others with their first blocking reason', async () => {
    const all = await comparisons;
    const current = Object.fromEntries(all.map((c) => [c.truth.name, statusOf(c)]));
    if (process.env.WATTLENS_TASK_STATUS === 'write') {
      const what =
        'Ratchet of test/unit/engine/truthTasks.test.ts: per torchvision task builder, whether the engine gets params exactly and MACs within 1% of real torch (truth: torchvision-tasks/*.json), and the first blocking reason of the others. Regenerate with WATTLENS_TASK_STATUS=write.';
      writeFileSync(join(TRUTH_DIR, 'torchvision-tasks-status.json'), JSON.stringify({ what, builders: current }, null, 2) + '\n');
      return;
    }
    const listed = loadTaskStatus().builders;
    expect(Object.keys(listed).sort(), 'every builder is listed, none silently skipped').toEqual(Object.keys(current).sort());
    for (const c of all) {
      const name = c.truth.name;
      const want = listed[name]!;
      const got = current[name]!;
      expect(got.params, `${name} params (${got.reason ?? ''})`).toBe(want.params);
      expect(got.macs, `${name} MACs (${got.reason ?? ''})`).toBe(want.macs);
      // detection MACs hold at the counts the truth measured at, and the report says which
      const counts = c.truth as { proposals?: number | null; detections?: number };
      if (got.macs === 'within1%' && counts.detections !== undefined) {
        const stated = c.report!.assumptions.find((a) => a.includes(`${counts.detections} detections (detections_per_img)`));
        expect(stated, `${name} states its detections`).toBeTruthy();
        if (counts.proposals != null) expect(stated, `${name} states its proposals`).toContain(`MACs at ${counts.proposals} proposals`);
      }
      if (want.params === 'blocked' || want.macs === 'blocked') {
        expect(want.reason, `${name} needs its first blocking reason`).toBeTruthy();
        // a miss is never silent: the report names what blocked it
        const told = (c.report?.unknowns.length ?? 0) > 0 || c.problems.length > 0;
        expect(told, `${name} misses torch's figures without saying why`).toBe(true);
      }
    }
  }, 1_200_000);
});
