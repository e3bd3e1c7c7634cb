// Function bodies converted when something first reads them. Importing a library module runs
// its top level, which defines functions and classes but calls few of them (on a timm ViT, most
// of vision_transformer.py's 212 KB are bodies never called): copying them out of tree-sitter's
// tree and converting them was most of a cold analysis. A deferred body keeps its definition's
// text; the first read of `body` parses that text alone and converts it, with the rows and
// nesting depth it has in its file. The parse cache stores a body not yet read as that text
// (lazyBodies.ts), so an entry costs no conversion either.
import type { Tree } from 'web-tree-sitter';
import type { FunctionDef, Module } from './ast';
import { convertDeferredBody, convertDeferredNode, type DeferredBody } from './convert';

/** Bodies not read yet, by definition. */
const pending = new WeakMap<FunctionDef, DeferredBody>();
/** Modules that had a body deferred. */
const deferring = new WeakSet<Module>();

let parseText: ((text: string) => Tree) | undefined;

/** The parser deferred bodies are parsed with (the shared one: python/parser.ts sets it when it loads). */
export function setDeferredBodyParser(parse: (text: string) => Tree): void {
  parseText = parse;
}

/** Leaves `def.body` to be converted from `later` on its first read; what that finds goes to `module`'s lists. */
export function deferBody(def: FunctionDef, later: DeferredBody, module: Module): void {
  pending.set(def, later);
  deferring.add(module);
  const settle = (body: FunctionDef['body']) => {
    pending.delete(def);
    Object.defineProperty(def, 'body', { value: body, writable: true, enumerable: true, configurable: true });
  };
  Object.defineProperty(def, 'body', {
    enumerable: true,
    configurable: true,
    get: () => {
      const converted = convertLater(later);
      for (const e of converted.syntaxErrors) module.syntaxErrors.push(e);
      for (const x of converted.notAnalyzed ?? []) (module.notAnalyzed ??= []).push(x);
      settle(converted.body);
      return converted.body;
    },
    set: settle,
  });
}

/** Whether some function body of `module` was deferred (and may still be unread). */
export function hasDeferredBodies(module: Module): boolean {
  return deferring.has(module);
}

/** The text a body not read yet will be converted from; undefined once read (or never deferred). */
export function deferredBody(def: FunctionDef): DeferredBody | undefined {
  return pending.get(def);
}

function convertLater(later: DeferredBody): ReturnType<typeof convertDeferredBody> {
  if (later.live) return convertDeferredNode({ ...later, live: later.live });
  if (!parseText) throw new Error('a deferred function body was read before the Python parser loaded');
  // a method's `def` is indented: under `if 1:` it parses alone
  const wrapped = /^[ \t\f]/.test(later.text) ? `if 1:\n${later.text}` : later.text;
  const tree = parseText(wrapped);
  try {
    return convertDeferredBody(tree, wrapped, later);
  } finally {
    tree.delete();
  }
}

/** Trees kept so that bodies read during the analysis that parsed them are not parsed again, with the bodies they hold. */
const kept: { tree: Tree; bodies: DeferredBody[] }[] = [];

/** Keeps `tree` for the bodies deferred from it, until `releaseTrees`. */
export function keepTree(tree: Tree, bodies: DeferredBody[]): void {
  kept.push({ tree, bodies });
}

/** Frees the kept trees: bodies not read by now are parsed from their text when read. */
export function releaseTrees(): void {
  for (const { tree, bodies } of kept.splice(0)) {
    for (const b of bodies) b.live = undefined;
    tree.delete();
  }
}

const TEXT_TAG = 0x01;

/** [0x01][u32 row][u32 depth][UTF-8 text]: never the first byte of a v8-serialized value (0xFF). */
export function encodeDeferred(later: DeferredBody): Buffer {
  const head = Buffer.alloc(9);
  head[0] = TEXT_TAG;
  head.writeUInt32LE(later.row, 1);
  head.writeUInt32LE(later.depth, 5);
  return Buffer.concat([head, Buffer.from(later.text, 'utf8')]);
}

/** What `encodeDeferred` wrote, or undefined when `bytes` is not such a record. */
export function decodeDeferred(bytes: Buffer): DeferredBody | undefined {
  if (bytes.length < 9 || bytes[0] !== TEXT_TAG) return undefined;
  return { row: bytes.readUInt32LE(1), depth: bytes.readUInt32LE(5), text: bytes.toString('utf8', 9) };
}
