// A result of a whole file holds every model's layer table (2 MB for torchvision's regnet.py);
// after an edit most models are reused unchanged. The worker sends only the models that differ
// from the last result it sent for the document, and where each kept one sits; the host puts the
// full list back together from the last result it received from that worker.
import type { ModelReport } from '../report/types';

export interface EncodedModels {
  /** The models the host does not have yet, in order. */
  models: ModelReport[];
  /** Per model of the full list: the index of the same model in the previous list, or null for the next of `models`. */
  modelsFrom: (number | null)[];
}

/** The models to send, given the full list the other side holds (undefined: it holds none). */
export function encodeModels(previous: readonly ModelReport[] | undefined, models: readonly ModelReport[]): EncodedModels {
  if (!previous?.length) return { models: [...models], modelsFrom: models.map(() => null) };
  const byLayers = new Map<unknown, number>();
  previous.forEach((m, i) => byLayers.set(m.layers, i));
  const sent: ModelReport[] = [];
  const modelsFrom = models.map((m) => {
    const at = byLayers.get(m.layers);
    if (at !== undefined && sameFigures(previous[at], m)) return at;
    sent.push(m);
    return null;
  });
  return { models: sent, modelsFrom };
}

/** The full list back, or undefined when the message does not fit the list held (it is then not trusted). */
export function decodeModels(
  previous: readonly ModelReport[] | undefined,
  sent: readonly ModelReport[],
  modelsFrom: readonly (number | null)[],
): ModelReport[] | undefined {
  let next = 0;
  const out: ModelReport[] = [];
  for (const from of modelsFrom) {
    const m = from === null ? sent[next++] : previous?.[from];
    if (!m) return undefined;
    out.push(m);
  }
  return next === sent.length ? out : undefined;
}

/**
 * A reused model shares its layer table with the one sent before (the engine never mutates a
 * report it cached); the other fields are compared as they would be sent. `analysisMs` is timing
 * (0 for a reused model): the host keeps the figure of the analysis that computed the model.
 */
function sameFigures(a: ModelReport, b: ModelReport): boolean {
  if (sameFields(a, b)) return true;
  return (
    JSON.stringify({ ...a, layers: undefined, analysisMs: undefined }) ===
    JSON.stringify({ ...b, layers: undefined, analysisMs: undefined })
  );
}

/** A reused model is a copy of the cached one with `analysisMs` set: the same objects in every other field. */
function sameFields(a: ModelReport, b: ModelReport): boolean {
  const keys = Object.keys(a) as (keyof ModelReport)[];
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => k === 'analysisMs' || (Object.hasOwn(b, k) && a[k] === b[k]));
}
