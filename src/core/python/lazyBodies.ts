// The parse cache's encoding of a converted module: function bodies apart from the rest, each
// deserialized when something first reads it. An import runs a module's top level, which defines
// functions and classes but calls few of them: on resnet50, 72% of the cached AST bytes are
// bodies of functions never called, which were deserialized and then copied by the young
// generation's garbage collector for nothing.
import { deserialize, serialize } from 'node:v8';
import type { FunctionDef, Module, Stmt } from './ast';
import { decodeDeferred, deferBody, deferredBody, encodeDeferred } from './deferredBodies';

/**
 * [u32 skeleton length][skeleton: v8([module, defs])][u32 count][u32 length per body][bodies]: each
 * body v8-serialized, or, when nothing read it yet (deferredBodies.ts), its text to convert.
 */
export function encodeModule(m: Module): Buffer {
  const defs = outerFunctions(m.body);
  const later = defs.map((d) => deferredBody(d));
  const bodies = defs.map((d, i) => (later[i] ? encodeDeferred(later[i]) : serialize(d.body)));
  const saved = defs.map((d, i) => (later[i] ? [] : d.body));
  let skeleton: Buffer;
  try {
    // the same def objects in both: v8's serializer keeps the identity, so the reader finds them
    for (const d of defs) Object.defineProperty(d, 'body', { value: [], writable: true, enumerable: true, configurable: true });
    skeleton = serialize([m, defs]);
  } finally {
    defs.forEach((d, i) => (later[i] ? deferBody(d, later[i], m) : (d.body = saved[i])));
  }
  const head = Buffer.alloc(8 + 4 * bodies.length);
  head.writeUInt32LE(skeleton.length, 0);
  head.writeUInt32LE(bodies.length, 4);
  bodies.forEach((b, i) => head.writeUInt32LE(b.length, 8 + 4 * i));
  return Buffer.concat([head.subarray(0, 4), skeleton, head.subarray(4), ...bodies]);
}

/** The module `encodeModule` wrote, its function bodies still in `data` (checked by the caller's checksum). */
export function decodeModule(data: Buffer): unknown {
  const skeletonLength = data.readUInt32LE(0);
  const [m, defs] = deserialize(data.subarray(4, 4 + skeletonLength)) as [Module, FunctionDef[]];
  let at = 4 + skeletonLength;
  const count = data.readUInt32LE(at);
  if (!Array.isArray(defs) || defs.length !== count) return undefined;
  let bodyAt = at + 4 + 4 * count;
  for (const def of defs) {
    const length = data.readUInt32LE((at += 4));
    const bytes = data.subarray(bodyAt, (bodyAt += length));
    const later = decodeDeferred(bytes);
    if (later) deferBody(def, later, m);
    else lazyBody(def, bytes);
  }
  return bodyAt === data.length ? m : undefined;
}

function lazyBody(def: FunctionDef, bytes: Buffer): void {
  const settle = (body: Stmt[]) =>
    Object.defineProperty(def, 'body', { value: body, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(def, 'body', {
    enumerable: true,
    configurable: true,
    get: () => {
      const body = deserialize(bytes) as Stmt[];
      settle(body);
      return body;
    },
    set: settle,
  });
}

/** Functions not inside another function: those in the module's and classes' statements, at any depth of blocks. */
function outerFunctions(body: Stmt[], out: FunctionDef[] = []): FunctionDef[] {
  for (const s of body) {
    if (s.k === 'def') {
      if (deferredBody(s) || s.body.length) out.push(s);
    } else if (s.k === 'class' || s.k === 'with') outerFunctions(s.body, out);
    else if (s.k === 'if' || s.k === 'for' || s.k === 'while') {
      outerFunctions(s.body, out);
      outerFunctions(s.orelse, out);
    } else if (s.k === 'try') {
      outerFunctions(s.body, out);
      for (const h of s.handlers) outerFunctions(h.body, out);
      outerFunctions(s.orelse, out);
      outerFunctions(s.finally, out);
    }
  }
  return out;
}
