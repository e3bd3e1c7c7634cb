// Functions that run inside the workbench page (passed to Playwright's evaluate). Each is
// self-contained: Playwright sends its source text, so it may not call anything outside itself.
// The project compiles without lib.dom (src/ must stay DOM-free), so the few DOM members used
// here are typed by the small interfaces below.

export interface PageElement {
  readonly id: string;
  readonly innerText: string;
  readonly textContent: string | null;
  readonly parentElement: PageElement | null;
  readonly children: ArrayLike<PageElement>;
  readonly classList: Iterable<string>;
  readonly style: { readonly top: string };
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  getAttribute(name: string): string | null;
  matches(selector: string): boolean;
  closest(selector: string): PageElement | null;
}

interface PageText {
  readonly data: string;
  readonly parentElement: PageElement | null;
}

interface PageGlobals {
  getComputedStyle(element: PageElement, pseudo: string): { readonly content: string };
  document: {
    createTreeWalker(root: PageElement, whatToShow: number): { nextNode(): unknown };
    createRange(): {
      setStart(node: PageText, offset: number): void;
      setEnd(node: PageText, offset: number): void;
      getBoundingClientRect(): { left: number; top: number; width: number; height: number };
    };
  };
}

export interface LineProbe {
  found: boolean;
  /** Source text as rendered, inlay hints excluded. */
  text: string;
  /** Inlay hints; adjacent hint parts with no source text between them are joined. */
  hints: string[];
  /** ::before/::after content of decorations on the line. */
  decorations: string[];
  /** Squiggle kinds on the line: 'error', 'warning', 'info', 'hint', 'unnecessary', ... */
  squiggles: string[];
}

/**
 * Everything the editor renders for one line. A line is found by its line number in the margin;
 * its text, overlay and margin rows share the same `top`.
 */
export function probeLine(editor: PageElement, args: { line: number; hintSelector: string }): LineProbe {
  const { getComputedStyle } = globalThis as unknown as PageGlobals;
  const plain = (text: string | null) => (text ?? '').replace(/\u00a0/g, ' ');
  const numbers = Array.from(editor.querySelectorAll('.margin-view-overlays .line-numbers'));
  const top = numbers.find((el) => el.textContent?.trim() === String(args.line))?.parentElement?.style.top;
  const atTop = (selector: string) => Array.from(editor.querySelectorAll(selector)).find((el) => top !== undefined && el.style.top === top);
  const viewLine = atTop('.view-lines .view-line');
  if (!viewLine) return { found: false, text: '', hints: [], decorations: [], squiggles: [] };

  let text = '';
  const hints: string[] = [];
  let hint: string | undefined;
  for (const span of Array.from(viewLine.querySelectorAll('span > span'))) {
    if (span.matches(args.hintSelector)) {
      hint = (hint ?? '') + plain(span.textContent);
      continue;
    }
    text += plain(span.textContent);
    if (hint !== undefined) hints.push(hint);
    hint = undefined;
  }
  if (hint !== undefined) hints.push(hint);

  const decorations: string[] = [];
  for (const el of Array.from(viewLine.querySelectorAll('span'))) {
    for (const pseudo of ['::before', '::after']) {
      const content = getComputedStyle(el, pseudo).content;
      if (!content || content === 'none' || content === 'normal') continue;
      const value = content.startsWith('"') ? (JSON.parse(content) as string) : content; // CSS string "\"text\""
      if (value.trim()) decorations.push(value.trim());
    }
  }

  const overlay = atTop('.view-overlays > div');
  const squiggles = overlay
    ? Array.from(overlay.querySelectorAll('.cdr')).flatMap((el) =>
        Array.from(el.classList)
          .filter((name) => name.startsWith('squiggly-'))
          .map((name) => name.slice('squiggly-'.length)),
      )
    : [];

  return { found: true, text, hints: hints.map((h) => h.trim()).filter(Boolean), decorations, squiggles };
}

/** Viewport point at the middle of the first occurrence of `text` on a line (inlay hints skipped). */
export function pointOfText(
  editor: PageElement,
  args: { line: number; text: string; hintSelector: string },
): { x: number; y: number } | undefined {
  const { document } = globalThis as unknown as PageGlobals;
  const numbers = Array.from(editor.querySelectorAll('.margin-view-overlays .line-numbers'));
  const top = numbers.find((el) => el.textContent?.trim() === String(args.line))?.parentElement?.style.top;
  const viewLine = Array.from(editor.querySelectorAll('.view-lines .view-line')).find((el) => top !== undefined && el.style.top === top);
  if (!viewLine) return undefined;

  const nodes: { node: PageText; start: number }[] = [];
  let source = '';
  const SHOW_TEXT = 4; // NodeFilter.SHOW_TEXT
  const walker = document.createTreeWalker(viewLine, SHOW_TEXT);
  for (let node = walker.nextNode() as PageText | null; node; node = walker.nextNode() as PageText | null) {
    if (node.parentElement?.closest(args.hintSelector)) continue;
    nodes.push({ node, start: source.length });
    source += node.data.replace(/\u00a0/g, ' ');
  }
  const at = source.indexOf(args.text);
  if (at < 0) return undefined;
  const locate = (offset: number) => {
    const entry = [...nodes].reverse().find((candidate) => candidate.start <= offset)!;
    return { node: entry.node, offset: offset - entry.start };
  };
  const start = locate(at);
  const end = locate(at + args.text.length - 1);
  const range = document.createRange();
  range.setStart(start.node, start.offset);
  range.setEnd(end.node, end.offset + 1);
  const rect = range.getBoundingClientRect();
  return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
}

/** CodeLens rows, top to bottom, each with the line it stands above. */
export function codeLensRows(editor: PageElement): { line: number; text: string; items: string[] }[] {
  const plain = (text: string | null) => (text ?? '').replace(/\u00a0/g, ' ').trim();
  const lines = Array.from(editor.querySelectorAll('.margin-view-overlays .line-numbers'))
    .map((el) => ({ line: Number(el.textContent?.trim()), top: Number.parseFloat(el.parentElement?.style.top ?? 'NaN') }))
    .filter((entry) => Number.isFinite(entry.line) && Number.isFinite(entry.top))
    .sort((a, b) => a.top - b.top);
  return Array.from(editor.querySelectorAll('.codelens-decoration'))
    .map((lens) => {
      const top = Number.parseFloat(lens.style.top);
      // One <a> per command (a <span> when it has none); the ' | ' separators are spans too.
      const items = Array.from(lens.children)
        .map((child) => plain(child.textContent))
        .filter((text) => text && text !== '|');
      return { top, line: lines.find((entry) => entry.top > top)?.line ?? -1, text: plain(lens.textContent), items };
    })
    .sort((a, b) => a.top - b.top)
    .map(({ line, text, items }) => ({ line, text, items }));
}
