// Questions about syntax trees the evaluator asks: names a declaration introduces, `var`
// names to hoist, whether skipped code could build layers, and names for messages.
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { T } from './ast';
import { PURE_GLOBALS } from './builtins';

type Node = TSESTree.Node;

export function propertyName(key: Node): string {
  if (key.type === T.Identifier) return key.name;
  if (key.type === T.PrivateIdentifier) return `#${key.name}`;
  if (key.type === T.Literal) return String(key.value);
  return '?';
}

export function nameOf(n: TSESTree.Identifier | TSESTree.StringLiteral): string {
  return n.type === T.Identifier ? n.name : n.value;
}

/** The source text of a simple callee (tf.layers.dense) for messages. */
export function sourceName(n: Node): string {
  if (n.type === T.Identifier) return n.name;
  if (n.type === T.MemberExpression && !n.computed) return `${sourceName(n.object)}.${(n.property as TSESTree.Identifier).name}`;
  if (n.type === T.ThisExpression) return 'this';
  if (n.type === T.CallExpression) return `${sourceName(n.callee)}(...)`;
  return 'expression';
}

/** Names a declaration introduces (for exports). */
export function declaredNames(d: Node): string[] {
  if (d.type === T.VariableDeclaration) return d.declarations.flatMap((x) => patternNames(x.id));
  if ((d.type === T.FunctionDeclaration || d.type === T.ClassDeclaration || d.type === T.TSEnumDeclaration) && d.id) return [d.id.name];
  return [];
}

function patternNames(p: Node): string[] {
  switch (p.type) {
    case T.Identifier:
      return [p.name];
    case T.ObjectPattern:
      return p.properties.flatMap((x) => (x.type === T.RestElement ? patternNames(x.argument) : patternNames(x.value)));
    case T.ArrayPattern:
      return p.elements.flatMap((x) => (x ? patternNames(x) : []));
    case T.AssignmentPattern:
      return patternNames(p.left);
    case T.RestElement:
      return patternNames(p.argument);
  }
  return [];
}

const varNamesCache = new WeakMap<readonly Node[], string[]>();

/** `var` names declared in a body, not looking into nested functions. */
export function varNames(body: readonly Node[]): string[] {
  const cached = varNamesCache.get(body);
  if (cached) return cached;
  const out: string[] = [];
  const visit = (n: Node | null | undefined): void => {
    if (!n || typeof n !== 'object') return;
    switch (n.type) {
      case T.VariableDeclaration:
        if (n.kind === 'var') for (const d of n.declarations) out.push(...patternNames(d.id));
        return;
      case T.FunctionDeclaration:
      case T.FunctionExpression:
      case T.ArrowFunctionExpression:
      case T.ClassDeclaration:
      case T.ClassExpression:
        return;
      case T.BlockStatement:
        n.body.forEach(visit);
        return;
      case T.IfStatement:
        visit(n.consequent);
        visit(n.alternate);
        return;
      case T.ForStatement:
        visit(n.init);
        visit(n.body);
        return;
      case T.ForInStatement:
      case T.ForOfStatement:
        visit(n.left);
        visit(n.body);
        return;
      case T.WhileStatement:
      case T.DoWhileStatement:
      case T.LabeledStatement:
        visit(n.body);
        return;
      case T.TryStatement:
        visit(n.block);
        visit(n.handler?.body);
        visit(n.finalizer);
        return;
      case T.SwitchStatement:
        for (const c of n.cases) c.consequent.forEach(visit);
        return;
      case T.ExportNamedDeclaration:
        visit(n.declaration);
        return;
    }
  };
  body.forEach(visit);
  varNamesCache.set(body, out);
  return out;
}

const mayBuildCache = new WeakMap<Node, boolean>();

/**
 * Whether code could build or change layers if it ran: it calls something other than
 * console/Math/JSON and friends. Skipping code that cannot is harmless.
 */
export function mayBuildLayers(node: Node): boolean {
  const cached = mayBuildCache.get(node);
  if (cached !== undefined) return cached;
  let found = false;
  const visit = (n: unknown): void => {
    if (found || !n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) visit(x);
      return;
    }
    const node = n as Node;
    if (typeof node.type !== 'string') return;
    if (node.type === T.CallExpression || node.type === T.NewExpression) {
      const root = calleeRoot(node.callee);
      if (!root || !PURE_GLOBALS.has(root)) {
        found = true;
        return;
      }
    }
    for (const k in node) {
      if (k === 'parent' || k === 'loc' || k === 'range') continue;
      visit((node as unknown as Record<string, unknown>)[k]);
    }
  };
  visit(node);
  mayBuildCache.set(node, found);
  return found;
}

function calleeRoot(n: Node): string | undefined {
  let c: Node = n;
  while (c.type === T.MemberExpression) c = c.object;
  return c.type === T.Identifier ? c.name : undefined;
}

const namesCache = new WeakMap<Node, string[]>();

/** Identifiers a function's body reads (not property names), for deciding what it can reach. */
export function referencedNames(fn: Node): string[] {
  const cached = namesCache.get(fn);
  if (cached) return cached;
  const names = new Set<string>();
  const visit = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) visit(x);
      return;
    }
    const node = n as Node;
    if (typeof node.type !== 'string') return;
    if (node.type === T.Identifier) {
      names.add(node.name);
      return;
    }
    if (node.type === T.ThisExpression || node.type === T.Super) names.add('this');
    for (const k in node) {
      if (k === 'parent' || k === 'loc' || k === 'range' || k === 'typeAnnotation' || k === 'returnType' || k === 'typeParameters')
        continue;
      // property names are not references: tf.layers.dense reads tf only
      if (
        (node.type === T.MemberExpression ||
          node.type === T.Property ||
          node.type === T.MethodDefinition ||
          node.type === T.PropertyDefinition) &&
        (k === 'property' || k === 'key') &&
        !(node as { computed?: boolean }).computed
      )
        continue;
      visit((node as unknown as Record<string, unknown>)[k]);
    }
  };
  visit(fn);
  const out = [...names];
  namesCache.set(fn, out);
  return out;
}
