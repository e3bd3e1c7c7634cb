// Small wording helpers shared by the editor surfaces.

/** The first clause of a reason, short enough for an inline hint: "in_features unknown: x.DIM: ..." → "in_features unknown". */
export function shortReason(reason: string, max = 48): string {
  const first = reason.split(/[:;]\s|\n/)[0].trim() || reason.trim();
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

// Text from the analyzed code or a run record (names, problem and exception messages, paths,
// docstrings) goes into Markdown that VS Code renders (hovers, the status bar tooltip) and into the
// exported report. It must stay text: no link, image, HTML or command: URI may come out of it.

/** C0/C1 controls (tab and newline handled apart) and the bidi controls that reorder what is shown. */
// eslint-disable-next-line no-control-regex -- control characters are what this removes
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Longest piece of outside text a surface shows (the rest is cut with "…"). */
export const MAX_SHOWN_TEXT = 2000;

/** One line of plain text: controls and bidi overrides removed, line breaks as spaces, at most `max` characters. */
export function plainText(text: string, max = MAX_SHOWN_TEXT): string {
  const flat = text.replace(/\r\n|[\r\n\t]/g, ' ').replace(INVISIBLE, '');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** plainText line by line: a plain tooltip keeps its line breaks. */
export function plainLines(text: string, max = MAX_SHOWN_TEXT): string {
  return text
    .split(/\r?\n/)
    .slice(0, 50)
    .map((l) => plainText(l, max))
    .join('\n');
}

/**
 * Escapes text for Markdown: the characters of links and images (`[`, `]`), HTML and autolinks
 * (a `<` before a letter, `/`, `!` or `?`), code spans, emphasis and table cells get a backslash (CommonMark shows each as
 * itself), and what GFM would turn into a link by itself (`https://`, `www.`, `a@b.c`) is broken
 * up by one; see plainText for the rest. What is left (`.`, `(`, `:`, …) reads as written.
 */
export function escapeMarkdown(text: string, max = MAX_SHOWN_TEXT): string {
  return plainText(text, max)
    .replace(/[\\`*_[\]|~]|<(?=[A-Za-z/!?])/g, (c) => `\\${c}`)
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/(\bwww)\./gi, '$1\\.')
    .replace(/@/g, '\\@');
}

/** Text for inline code spans: backticks would end the span, a line break could start a block. */
export function codeSpan(text: string, max = 500): string {
  const clean = plainText(text, max).replace(/`/g, "'");
  return `\`${clean}\``;
}

/**
 * Text for a notification or a plain tooltip: VS Code turns `[label](https:…|command:…)` in a
 * notification into a link, so the bracket is kept apart from the parenthesis.
 */
export function inertLinks(text: string, max = MAX_SHOWN_TEXT): string {
  return plainText(text, max).replace(/\]\s*\(/g, '] (');
}

/** "1 call", "6 calls". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
