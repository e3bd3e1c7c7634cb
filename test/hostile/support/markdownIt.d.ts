// The part of markdown-it's API the rendering checker uses (the package ships no types).
declare module 'markdown-it' {
  interface Token {
    type: string;
    tag: string;
    content: string;
    attrs: [string, string][] | null;
    children: Token[] | null;
  }
  interface LinkifyIt {
    set(options: { fuzzyLink?: boolean; fuzzyEmail?: boolean; fuzzyIP?: boolean }): LinkifyIt;
  }
  class MarkdownIt {
    constructor(options?: { html?: boolean; linkify?: boolean });
    linkify: LinkifyIt;
    core: { ruler: { disable(rule: string): void } };
    parse(source: string, env: object): Token[];
    render(source: string): string;
  }
  export default MarkdownIt;
}
