// Small wording helpers shared by the editor surfaces.

/** The first clause of a reason, short enough for an inline hint: "in_features unknown: x.DIM: ..." → "in_features unknown". */
export function shortReason(reason: string, max = 48): string {
  const first = reason.split(/[:;]\s|\n/)[0].trim() || reason.trim();
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

/** Escapes text for Markdown (names and reasons may contain `_`, `*`, `<`, `|`). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]|<>]/g, (c) => `\\${c}`);
}

/** Text for inline code spans: backticks would end the span. */
export function codeSpan(text: string): string {
  const clean = text.replace(/`/g, "'");
  return `\`${clean}\``;
}

/** "1 call", "6 calls". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
