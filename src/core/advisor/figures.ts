// A model's headline figures, as suggestions show them before and after a change.
import type { ModelReport } from '../report/types';
import type { Figures } from './types';

export function figuresOf(m: ModelReport | undefined): Figures {
  return {
    params: m?.uniqueParams ?? null,
    macs: m?.macs ?? null,
    activationBytes: m?.activationBytes ?? null,
    trainingMemoryBytes: m?.trainingMemoryBytes ?? null,
    trainingMacs: m?.trainingMacs ?? null,
  };
}
