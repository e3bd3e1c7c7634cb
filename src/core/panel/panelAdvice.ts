// The Suggestions tab's state, as pure data: what the panel shows for the document it follows,
// built from the shared advice service's result (the same suggestions, ids and ranking as the
// editor's diagnostics and quick fixes), and whether the service must be asked for advice.
import type { Suggestion } from '../advisor/types';
import type { AdviceView, SuggestionView } from './protocol';

/** A suggestion as the advice service hands it out: with its id (`${rule}@${line}#${index}`). */
export type IdentifiedSuggestion = Suggestion & { id: string };

/** The part of an advice service result the panel shows. */
export interface AdviceResultLike {
  /** The document version the suggestions belong to (Apply is checked against it). */
  version: number;
  /** Ranked by estimated saving, disabled rules left out (the service's order is kept). */
  suggestions: readonly IdentifiedSuggestion[];
  problems: readonly string[];
}

export const IDLE_ADVICE: AdviceView = Object.freeze({
  state: 'idle',
  documentVersion: null,
  file: null,
  suggestions: [],
  problems: [],
  message: null,
}) as AdviceView;

export const ADVISOR_OFF_MESSAGE = 'The advisor is off (wattlens.advisor.enabled): Re-check computes the suggestions for the current text.';

export function suggestionView(s: IdentifiedSuggestion): SuggestionView {
  return {
    id: s.id,
    rule: s.rule,
    line: s.line,
    ...(s.endLine !== undefined ? { endLine: s.endLine } : {}),
    message: s.message,
    fixable: s.fixable && Boolean(s.edits?.length),
    model: s.model ?? null,
    before: { ...s.before },
    after: { ...s.after },
    afterSource: s.afterSource,
    saving: s.saving,
    assumptions: [...s.assumptions],
    docs: s.docs,
  };
}

export function readyAdviceView(file: string, advice: AdviceResultLike): AdviceView {
  return {
    state: 'ready',
    documentVersion: advice.version,
    file,
    suggestions: advice.suggestions.map(suggestionView),
    problems: [...advice.problems],
    message: null,
  };
}

export interface AdviceInputs {
  /** The followed document's workspace-relative name; null when the panel follows none. */
  file: string | null;
  /** Why the document gets no advice (the service's `unavailable`). */
  unavailable?: string;
  /** The advice of the document's current version, when it has arrived. */
  current?: AdviceResultLike;
  /** Why the advice of the current version failed. */
  failure?: string;
  /** `wattlens.advisor.enabled`. */
  enabled: boolean;
  /** Asked for by the user (Re-check): computes even when the advisor is off or failed. */
  force: boolean;
}

/** What the tab shows now, and whether advice must be requested (then it shows `running`). */
export function adviceStep(i: AdviceInputs): { view: AdviceView; request: boolean } {
  if (i.file === null) return { view: IDLE_ADVICE, request: false };
  const base = { ...IDLE_ADVICE, file: i.file };
  if (i.unavailable !== undefined) return { view: { ...base, state: 'unsupported', message: i.unavailable }, request: false };
  if (i.current) return { view: readyAdviceView(i.file, i.current), request: false };
  if (i.failure !== undefined && !i.force) return { view: { ...base, state: 'failed', message: i.failure }, request: false };
  if (!i.enabled && !i.force) return { view: { ...base, state: 'unsupported', message: ADVISOR_OFF_MESSAGE }, request: false };
  return { view: { ...base, state: 'running' }, request: true };
}
