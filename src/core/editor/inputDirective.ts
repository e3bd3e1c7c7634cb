// The `# wattlens: input=…` comment above a class or builder, written or updated by
// "WattLens: Set Input Shape". The engine reads it up to 4 lines above the definition
// (or its first decorator), so an existing one in that window is updated in place; its other
// parts (`model=GPT(GPT.get_default_config())`, `set n_layer=2`) stay as they are.
import { directiveTokens } from '../analysis/directive';
import { parseInputShapes } from '../analysis/inputSpec';

export interface DirectiveEdit {
  /** 1-based line to replace, or before which to insert. */
  line: number;
  /** 'replace' the whole line, or 'insert' a new line before it. */
  mode: 'replace' | 'insert';
  /** The line's new text, without the line break. */
  text: string;
}

const DIRECTIVE = /^(\s*)#\s*wattlens:(.*)$/;
const SEARCH_ROWS = 4;

/** Whether a shape typed by the user is valid ("1x3x224x224", "Bx128,B"); the message says what is wrong. */
export function validateInputShape(shape: string): string | undefined {
  const parsed = parseInputShapes(shape);
  if ('error' in parsed) return parsed.error.replace('--input', 'input shape');
  if (/\s/.test(shape.trim())) return 'no spaces: write dims like 1x3x224x224, several inputs separated by commas';
  return undefined;
}

/**
 * The edit that sets the input shape of the definition whose first line (its first decorator,
 * or the class/def line) is `firstLine` (1-based), in a text given as lines.
 */
export function inputDirectiveEdit(lines: readonly string[], firstLine: number, shape: string): DirectiveEdit {
  const value = shape.trim();
  const indent = /^\s*/.exec(lines[firstLine - 1] ?? '')?.[0] ?? '';
  for (let row = firstLine - 2; row >= Math.max(0, firstLine - 1 - SEARCH_ROWS); row--) {
    const m = DIRECTIVE.exec(lines[row] ?? '');
    if (!m) continue;
    // tokens, so `model=Net(input=3)` and `set input=…` are left alone
    const tokens = directiveTokens(m[2]);
    const at = tokens.findIndex((t, i) => /^input\s*=/.test(t) && tokens[i - 1] !== 'set');
    if (at >= 0) tokens[at] = `input=${value}`;
    else tokens.push(`input=${value}`);
    return { line: row + 1, mode: 'replace', text: `${m[1]}# wattlens: ${tokens.join(' ')}` };
  }
  return { line: firstLine, mode: 'insert', text: `${indent}# wattlens: input=${value}` };
}
