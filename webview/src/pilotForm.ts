// The pilot form's text fields as a request for the host, or what is wrong with them.
import type { PilotRequest } from '../../src/core/panel/protocol';
import type { UiState } from './store';

function positiveInt(s: string): number | undefined {
  const n = Number(s.trim());
  return s.trim() !== '' && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The form's values as a request; undefined fields are left to the defaults. */
export function requestFromForm(form: UiState['form'], scripts: string[]): PilotRequest | { error: string } {
  const script = form.script || scripts[0] || '';
  if (!script) return { error: 'choose a training script' };
  const steps = positiveInt(form.steps);
  if (form.steps.trim() && steps === undefined) return { error: 'steps must be a positive whole number' };
  const totalSteps = positiveInt(form.totalSteps);
  if (form.totalSteps.trim() && totalSteps === undefined) return { error: 'total steps must be a positive whole number' };
  const target = form.targetLoss.trim() ? Number(form.targetLoss) : undefined;
  if (target !== undefined && !Number.isFinite(target)) return { error: 'target loss must be a number' };
  const args = form.args.trim() ? form.args.trim().split(/\s+/) : [];
  return {
    script,
    args,
    ...(steps ? { steps } : { seconds: 60 }),
    ...(totalSteps ? { totalSteps } : {}),
    ...(target !== undefined ? { targetLoss: target } : {}),
  };
}
