// An abstract evaluator for the JavaScript that model files are written in: declarations,
// object and array literals with spreads, template strings, arithmetic, functions and
// closures, classes, loops and branches. It never runs the program for real: I/O, time and
// randomness are Unknown values. Every statement and expression costs a step of a budget and
// every loop has an iteration cap, so evaluation always terminates. Control flow that depends
// on an unknown value is skipped and, when the skipped code could build layers, recorded as
// an uncertainty that the report turns into unknown totals.
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { BudgetExceeded } from '../interp/signals';
import { unknownConditionAssumption } from '../interp/unknownCondition';
import { T } from './ast';
import { arrayMember, hostFunctionMember, iterate, numberMember, stringMember } from './builtins';
import { declaredNames, mayBuildLayers, nameOf, propertyName, sourceName, varNames } from './astQueries';
import { MAX_COLLECTION, arrayIndex, binary, strictEquals, toKey, toNumber, toStr, truthy, typeOf } from './operators';
import {
  HostFunction,
  HostValue,
  JsClass,
  JsFunction,
  JsObject,
  Scope,
  Unknown,
  describeValue,
  unknownAt,
  type FunctionNode,
  type HostContext,
  type Site,
  type Value,
} from './values';

type Node = TSESTree.Node;
type Expr = TSESTree.Expression;
type Stmt = TSESTree.ProgramStatement | TSESTree.Statement;
type Pattern = TSESTree.Node;

// The evaluation running out of steps (or of call depth) throws the interpreter's
// BudgetExceeded, shared by both front ends; not catchable by user code.
export { BudgetExceeded };

function budgetStop(message: string, site: Site | undefined): BudgetExceeded {
  return new BudgetExceeded(site?.file, site?.line, message);
}

// Thrown as a plain object, not an Error: user code may throw in a loop, and a stack trace per
// throw would cost more than the evaluation.

/** A value thrown by user code (`throw ...`). */
export class JsThrow {
  constructor(
    readonly value: Value,
    readonly site: Site,
  ) {}

  get message(): string {
    return `threw ${describeValue(this.value)}`;
  }
}

/** Optional chaining that hit null/undefined: the whole chain is undefined. */
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a thrown sentinel: its identity is all it carries
class ShortCircuit {}
const SHORT = new ShortCircuit();

type Completion = undefined | { kind: 'return'; value: Value } | { kind: 'break'; label?: string } | { kind: 'continue'; label?: string };

export interface ModuleRecord {
  file: string;
  scope: Scope;
  exports: Map<string, Value>;
  /** `module` of CommonJS files. */
  cjsModule: JsObject;
  cjsExports: JsObject;
  done: boolean;
}

export interface ModuleResolver {
  /** A module's record, a package namespace (tf), or an Unknown with the reason. */
  load(specifier: string, fromFile: string, importSite: Site): ModuleRecord | Value;
}

const THIS = '%this';
/** Iterations one loop may run before it is cut off as unknown. */
export const LOOP_CAP = 100_000;
const MAX_DEPTH = 200;
const MAX_UNCERTAIN = 20;

export class Evaluator implements HostContext {
  steps = 0;
  budget: number;
  /** Current file (changes on calls into functions of other files). */
  file = '';
  /** Sites of the calls in progress, outermost first. */
  private readonly callSites: Site[] = [];
  private readonly frames: { fn: JsFunction; thisValue: Value }[] = [];
  private depth = 0;
  /** Control flow that was skipped or cut off although it could have built layers. */
  uncertain: Unknown[] = [];
  /** Assumptions made while evaluating (unknown conditions taken as false), for the report. */
  assumed: string[] = [];

  constructor(
    readonly globals: Scope,
    readonly resolver: ModuleResolver,
    budget: number,
  ) {
    this.budget = budget;
  }

  // ───────────── HostContext ─────────────

  sites(): Site[] {
    return [...this.callSites];
  }

  charge(steps: number): void {
    this.steps += steps;
    if (this.steps > this.budget) throw budgetStop('the step budget was exhausted', this.callSites[this.callSites.length - 1]);
  }

  call(fn: Value, thisArg: Value, args: Value[]): Value {
    return this.callValue(fn, thisArg, args, this.callSites[this.callSites.length - 1] ?? { file: this.file, line: 0 });
  }

  /** Runs fn with a fresh budget and call stack (one model entry); restores nothing else. */
  resetRun(budget: number): void {
    this.steps = 0;
    this.budget = budget;
    this.callSites.length = 0;
    this.frames.length = 0;
    this.depth = 0;
    this.uncertain = [];
    this.assumed = [];
  }

  /** Runs f as if called from site (module evaluation during an import). */
  withCallSite<R>(site: Site, f: () => R): R {
    this.callSites.push(site);
    try {
      return f();
    } finally {
      this.callSites.pop();
    }
  }

  site(node: Node): Site {
    return { file: this.file, line: node.loc.start.line, column: node.loc.start.column };
  }

  private step(node: Node): void {
    if (++this.steps > this.budget) throw budgetStop('the step budget was exhausted', this.site(node));
  }

  noteUncertain(reason: string, node: Node): void {
    if (this.uncertain.length < MAX_UNCERTAIN && !this.uncertain.some((u) => u.reason === reason))
      this.uncertain.push(unknownAt(reason, this.site(node)));
  }

  /** An unknown condition, by the rule both front ends share (interp/unknownCondition.ts). */
  private assumeFalse(t: Unknown, at: Node): false {
    const text = unknownConditionAssumption(t.reason, this.site(at));
    if (this.assumed.length < MAX_UNCERTAIN && !this.assumed.includes(text)) this.assumed.push(text);
    return false;
  }

  /** Code skipped because of an unknown: an uncertainty when it could have built layers. */
  private skipped(node: Node | null | undefined, why: string, at: Node): void {
    if (node && mayBuildLayers(node)) this.noteUncertain(why, at);
  }

  // ───────────── modules ─────────────

  newModule(file: string): ModuleRecord {
    const scope = new Scope(this.globals, true);
    const cjsExports = new JsObject();
    const cjsModule = new JsObject();
    cjsModule.props.set('exports', cjsExports);
    scope.vars.set(THIS, undefined);
    scope.vars.set('module', cjsModule);
    scope.vars.set('exports', cjsExports);
    const record: ModuleRecord = { file, scope, exports: new Map(), cjsModule, cjsExports, done: false };
    scope.vars.set(
      'require',
      new HostFunction('require', (_t, [spec]) => {
        if (typeof spec !== 'string') return new Unknown('require() of a computed name');
        return this.namespaceOf(this.resolver.load(spec, file, this.callSites[this.callSites.length - 1] ?? { file, line: 0 }));
      }),
    );
    return record;
  }

  /** Evaluates a module's top level. Throws BudgetExceeded; a user `throw` ends it with the returned reason. */
  runModule(record: ModuleRecord, program: TSESTree.Program): Unknown | undefined {
    const prevFile = this.file;
    this.file = record.file;
    const scope = record.scope;
    const exportLocals: [string, string][] = [];
    try {
      this.hoist(program.body, scope);
      for (const s of program.body) if (s.type === T.ImportDeclaration) this.execImport(s, scope);
      for (const s of program.body) {
        if (s.type === T.ImportDeclaration) continue;
        this.execTopLevel(s, record, exportLocals);
      }
      return undefined;
    } catch (e) {
      if (e instanceof JsThrow) return unknownAt(`the module's top-level code threw ${describeValue(e.value)}`, e.site);
      throw e;
    } finally {
      for (const [exported, local] of exportLocals) record.exports.set(exported, scope.lookup(local).value);
      this.syncCommonJs(record);
      record.done = true;
      this.file = prevFile;
    }
  }

  private syncCommonJs(record: ModuleRecord): void {
    const mod = record.cjsModule.props.get('exports');
    if (mod === record.cjsExports && record.cjsExports.props.size === 0) return;
    if (mod instanceof JsObject) for (const [k, v] of mod.props) if (!record.exports.has(k)) record.exports.set(k, v);
    if (!record.exports.has('default')) record.exports.set('default', mod);
  }

  /** The value of `import * as ns` / require(): an object of exports, or the package namespace. */
  namespaceOf(loaded: ModuleRecord | Value): Value {
    if (!isRecord(loaded)) return loaded;
    const mod = loaded.cjsModule.props.get('exports');
    if (mod !== loaded.cjsExports && mod !== undefined && loaded.exports.size <= 1) return mod;
    const ns = new JsObject();
    for (const [k, v] of loaded.exports) ns.props.set(k, v);
    if (!loaded.done) ns.partial = new Unknown(`${loaded.file} is still being evaluated (circular import)`);
    return ns;
  }

  private execImport(s: TSESTree.ImportDeclaration, scope: Scope): void {
    if (s.importKind === 'type') return;
    const loaded = this.resolver.load(s.source.value, this.file, this.site(s));
    for (const spec of s.specifiers) {
      if (spec.type === T.ImportSpecifier && spec.importKind === 'type') continue;
      const local = spec.local.name;
      if (spec.type === T.ImportNamespaceSpecifier) scope.declare(local, this.namespaceOf(loaded));
      else if (spec.type === T.ImportDefaultSpecifier) scope.declare(local, this.importedName(loaded, 'default', s.source.value));
      else
        scope.declare(
          local,
          this.importedName(loaded, spec.imported.type === T.Identifier ? spec.imported.name : spec.imported.value, s.source.value),
        );
    }
  }

  private importedName(loaded: ModuleRecord | Value, name: string, source: string): Value {
    if (isRecord(loaded)) {
      if (loaded.exports.has(name)) return loaded.exports.get(name);
      if (name === 'default') return this.namespaceOf(loaded);
      return new Unknown(`"${name}" is not exported by ${source}${loaded.done ? '' : ' (circular import)'}`);
    }
    if (loaded instanceof Unknown) return loaded;
    // a package namespace: `import tf from '@tensorflow/tfjs'` behaves as the namespace
    if (name === 'default') return loaded;
    return this.getMember(loaded, name);
  }

  private execTopLevel(s: Stmt, record: ModuleRecord, exportLocals: [string, string][]): void {
    const scope = record.scope;
    switch (s.type) {
      case T.ExportNamedDeclaration: {
        if (s.exportKind === 'type') return;
        if (s.declaration) {
          this.exec(s.declaration, scope);
          for (const name of declaredNames(s.declaration)) exportLocals.push([name, name]);
        } else if (s.source) {
          const loaded = this.resolver.load(s.source.value, this.file, this.site(s));
          for (const spec of s.specifiers) {
            const local = nameOf(spec.local);
            record.exports.set(
              nameOf(spec.exported),
              local === 'default' && !isRecord(loaded) ? loaded : this.importedName(loaded, local, s.source.value),
            );
          }
        } else for (const spec of s.specifiers) exportLocals.push([nameOf(spec.exported), nameOf(spec.local)]);
        return;
      }
      case T.ExportDefaultDeclaration: {
        const d = s.declaration;
        if ((d.type === T.FunctionDeclaration || d.type === T.ClassDeclaration) && d.id) {
          this.exec(d, scope);
          exportLocals.push(['default', d.id.name]);
        } else if (d.type === T.FunctionDeclaration || d.type === T.ClassDeclaration) {
          record.exports.set(
            'default',
            d.type === T.FunctionDeclaration ? this.makeFunction(d, scope, 'default') : this.makeClass(d, scope),
          );
        } else if (d.type !== T.TSInterfaceDeclaration && d.type !== T.TSDeclareFunction)
          record.exports.set('default', this.eval(d as Expr, scope));
        return;
      }
      case T.ExportAllDeclaration: {
        const loaded = this.resolver.load(s.source.value, this.file, this.site(s));
        if (s.exported) record.exports.set(nameOf(s.exported), this.namespaceOf(loaded));
        else if (isRecord(loaded))
          for (const [k, v] of loaded.exports) if (k !== 'default' && !record.exports.has(k)) record.exports.set(k, v);
        return;
      }
      case T.TSExportAssignment:
        record.cjsModule.props.set('exports', this.eval(s.expression, scope));
        return;
    }
    const c = this.exec(s, scope);
    if (c && c.kind === 'return') return;
  }

  // ───────────── statements ─────────────

  /** Function declarations and `var` names are visible before their statement runs. */
  hoist(body: readonly Node[], scope: Scope): void {
    for (const s of body) {
      const d = s.type === T.ExportNamedDeclaration || s.type === T.ExportDefaultDeclaration ? s.declaration : s;
      if (d && d.type === T.FunctionDeclaration && d.id) scope.declare(d.id.name, this.makeFunction(d, scope, d.id.name));
    }
    const fscope = scope.functionScope();
    for (const name of varNames(body)) if (!fscope.vars.has(name)) fscope.vars.set(name, undefined);
  }

  private execBlock(body: readonly Stmt[], scope: Scope): Completion {
    this.hoist(body, scope);
    for (const s of body) {
      const c = this.exec(s, scope);
      if (c) return c;
    }
    return undefined;
  }

  exec(s: Node, scope: Scope, label?: string): Completion {
    this.step(s);
    switch (s.type) {
      case T.ExpressionStatement:
        this.eval(s.expression, scope);
        return undefined;
      case T.VariableDeclaration:
        this.declareVariables(s, scope);
        return undefined;
      case T.FunctionDeclaration:
        return undefined; // hoisted
      case T.ClassDeclaration:
        if (s.id) scope.declare(s.id.name, this.makeClass(s, scope));
        return undefined;
      case T.ReturnStatement:
        return { kind: 'return', value: s.argument ? this.eval(s.argument, scope) : undefined };
      case T.BlockStatement:
        return this.execBlock(s.body, new Scope(scope, false));
      case T.IfStatement: {
        const t = truthy(this.eval(s.test, scope));
        if (t instanceof Unknown) {
          // taken as false (the rule both front ends share); a skipped branch that could have
          // built layers still leaves the structure unknown
          this.assumeFalse(t, s);
          this.skipped(s.consequent, `the branch at line ${s.loc.start.line} depends on an unknown condition (${t.reason})`, s);
          return s.alternate ? this.exec(s.alternate, scope) : undefined;
        }
        if (t) return this.exec(s.consequent, scope);
        return s.alternate ? this.exec(s.alternate, scope) : undefined;
      }
      case T.ForStatement:
        return this.execFor(s, scope, label);
      case T.ForOfStatement:
      case T.ForInStatement:
        return this.execForEach(s, scope, label);
      case T.WhileStatement:
      case T.DoWhileStatement:
        return this.execWhile(s, scope, label);
      case T.BreakStatement:
        return { kind: 'break', label: s.label?.name };
      case T.ContinueStatement:
        return { kind: 'continue', label: s.label?.name };
      case T.LabeledStatement: {
        const c = this.exec(s.body, scope, s.label.name);
        return c && c.kind === 'break' && c.label === s.label.name ? undefined : c;
      }
      case T.ThrowStatement:
        throw new JsThrow(this.eval(s.argument, scope), this.site(s));
      case T.TryStatement:
        return this.execTry(s, scope);
      case T.SwitchStatement:
        return this.execSwitch(s, scope);
      case T.TSEnumDeclaration:
        scope.declare(s.id.name, this.makeEnum(s, scope));
        return undefined;
      case T.ImportDeclaration:
        this.execImport(s, scope);
        return undefined;
      case T.ExportNamedDeclaration:
        return s.declaration ? this.exec(s.declaration, scope) : undefined;
      case T.ExportDefaultDeclaration:
        return undefined;
      case T.EmptyStatement:
      case T.DebuggerStatement:
      case T.TSTypeAliasDeclaration:
      case T.TSInterfaceDeclaration:
      case T.TSDeclareFunction:
      case T.TSModuleDeclaration:
      case T.TSImportEqualsDeclaration:
      case T.ExportAllDeclaration:
      case T.TSExportAssignment:
      case T.TSNamespaceExportDeclaration:
        return undefined;
      case T.WithStatement:
        this.noteUncertain(`"with" at line ${s.loc.start.line} is not evaluated`, s);
        return undefined;
    }
    return undefined;
  }

  private declareVariables(s: TSESTree.VariableDeclaration, scope: Scope): void {
    if (s.declare) return;
    const target = s.kind === 'var' ? scope.functionScope() : scope;
    for (const d of s.declarations) {
      const hint = d.id.type === T.Identifier ? d.id.name : undefined;
      const value = d.init ? this.eval(d.init, scope, hint) : undefined;
      if (s.kind === 'var' && !d.init && d.id.type === T.Identifier && target.vars.has(d.id.name)) continue;
      this.bind(d.id, value, target, true);
    }
  }

  /** Runs a loop body; says whether to stop and what completion to pass on. */
  private loopBody(body: Node, scope: Scope, label: string | undefined): { stop: boolean; pass?: Completion } {
    const c = this.exec(body, scope);
    if (!c) return { stop: false };
    if (c.kind === 'break') return c.label === undefined || c.label === label ? { stop: true } : { stop: true, pass: c };
    if (c.kind === 'continue') return c.label === undefined || c.label === label ? { stop: false } : { stop: true, pass: c };
    return { stop: true, pass: c };
  }

  private loopCap(node: Node): void {
    this.noteUncertain(
      `the loop at line ${node.loc.start.line} did not end within ${LOOP_CAP} iterations; what it builds after that is unknown`,
      node,
    );
  }

  private execFor(s: TSESTree.ForStatement, outer: Scope, label?: string): Completion {
    const scope = new Scope(outer, false);
    if (s.init) {
      if (s.init.type === T.VariableDeclaration) this.declareVariables(s.init, scope);
      else this.eval(s.init, scope);
    }
    for (let i = 0; ; i++) {
      if (s.test) {
        const t = truthy(this.eval(s.test, scope));
        if (t instanceof Unknown) {
          this.skipped(s.body, `the loop at line ${s.loc.start.line} runs an unknown number of times (${t.reason})`, s);
          return undefined;
        }
        if (!t) return undefined;
      }
      if (i >= LOOP_CAP) {
        this.loopCap(s);
        return undefined;
      }
      const r = this.loopBody(s.body, scope, label);
      if (r.stop) return r.pass;
      if (s.update) this.eval(s.update, scope);
    }
  }

  private execForEach(s: TSESTree.ForOfStatement | TSESTree.ForInStatement, outer: Scope, label?: string): Completion {
    const right = this.eval(s.right, outer);
    let items: Value[] | Unknown;
    if (s.type === T.ForInStatement) {
      if (right instanceof JsObject) items = right.partial ?? [...right.props.keys()];
      else if (Array.isArray(right)) items = right.map((_, i) => String(i));
      else items = right instanceof Unknown ? right : [];
    } else items = iterate(right);
    if (items instanceof Unknown) {
      this.skipped(s.body, `the loop at line ${s.loc.start.line} walks an unknown collection (${items.reason})`, s);
      return undefined;
    }
    let i = 0;
    for (const item of [...items]) {
      if (i++ >= LOOP_CAP) {
        this.loopCap(s);
        return undefined;
      }
      const scope = new Scope(outer, false);
      if (s.left.type === T.VariableDeclaration) {
        const d = s.left.declarations[0];
        this.bind(d.id, item, s.left.kind === 'var' ? scope.functionScope() : scope, true);
      } else this.bind(s.left, item, scope, false);
      const r = this.loopBody(s.body, scope, label);
      if (r.stop) return r.pass;
    }
    return undefined;
  }

  private execWhile(s: TSESTree.WhileStatement | TSESTree.DoWhileStatement, scope: Scope, label?: string): Completion {
    for (let i = 0; ; i++) {
      if (s.type === T.WhileStatement || i > 0) {
        const t = truthy(this.eval(s.test, scope));
        if (t instanceof Unknown) {
          this.skipped(s.body, `the loop at line ${s.loc.start.line} runs an unknown number of times (${t.reason})`, s);
          return undefined;
        }
        if (!t) return undefined;
      }
      if (i >= LOOP_CAP) {
        this.loopCap(s);
        return undefined;
      }
      const r = this.loopBody(s.body, scope, label);
      if (r.stop) return r.pass;
    }
  }

  private execTry(s: TSESTree.TryStatement, scope: Scope): Completion {
    let result: Completion;
    try {
      result = this.exec(s.block, scope);
    } catch (e) {
      if (!(e instanceof JsThrow) || !s.handler) throw e;
      const inner = new Scope(scope, false);
      if (s.handler.param) this.bind(s.handler.param, e.value, inner, true);
      result = this.exec(s.handler.body, inner);
    } finally {
      if (s.finalizer) {
        const f = this.exec(s.finalizer, scope);
        if (f) result = f;
      }
    }
    return result;
  }

  private execSwitch(s: TSESTree.SwitchStatement, outer: Scope): Completion {
    const d = this.eval(s.discriminant, outer);
    const scope = new Scope(outer, false);
    let start = -1;
    for (let i = 0; i < s.cases.length && start < 0; i++) {
      const test = s.cases[i].test;
      if (!test) continue;
      const eq = strictEquals(d, this.eval(test, scope));
      if (eq instanceof Unknown) {
        for (const c of s.cases)
          for (const st of c.consequent)
            this.skipped(st, `the switch at line ${s.loc.start.line} depends on an unknown value (${eq.reason})`, s);
        return undefined;
      }
      if (eq) start = i;
    }
    if (start < 0) start = s.cases.findIndex((c) => !c.test);
    if (start < 0) return undefined;
    for (let i = start; i < s.cases.length; i++) {
      for (const st of s.cases[i].consequent) {
        const c = this.exec(st, scope);
        if (c) return c.kind === 'break' && c.label === undefined ? undefined : c;
      }
    }
    return undefined;
  }

  private makeEnum(s: TSESTree.TSEnumDeclaration, scope: Scope): JsObject {
    const o = new JsObject();
    let next = 0;
    const inner = new Scope(scope, false);
    for (const m of s.body?.members ?? (s as unknown as { members: TSESTree.TSEnumMember[] }).members) {
      const key = m.id.type === T.Identifier ? m.id.name : (m.id as TSESTree.StringLiteral).value;
      let v: Value = next;
      if (m.initializer) v = this.eval(m.initializer, inner);
      if (typeof v === 'number') next = v + 1;
      o.props.set(key, v);
      inner.vars.set(key, v);
    }
    return o;
  }

  // ───────────── bindings ─────────────

  /** Binds a pattern (declaration when declare, else assignment) to a value. */
  bind(p: Pattern, value: Value, scope: Scope, declare: boolean): void {
    switch (p.type) {
      case T.Identifier:
        if (declare) scope.declare(p.name, value);
        else scope.assign(p.name, value);
        return;
      case T.AssignmentPattern: {
        const v = value === undefined ? this.eval(p.right, scope, p.left.type === T.Identifier ? p.left.name : undefined) : value;
        this.bind(p.left, v, scope, declare);
        return;
      }
      case T.ObjectPattern: {
        const used: string[] = [];
        for (const prop of p.properties) {
          if (prop.type === T.RestElement) {
            const rest = new JsObject();
            if (value instanceof JsObject) {
              for (const [k, v] of value.props) if (!used.includes(k)) rest.props.set(k, v);
              rest.partial = value.partial;
            } else if (value instanceof Unknown) rest.partial = value;
            this.bind(prop.argument, rest, scope, declare);
            continue;
          }
          const key = prop.computed ? toKey(this.eval(prop.key as Expr, scope)) : propertyName(prop.key);
          if (key instanceof Unknown) {
            this.bind(prop.value, key, scope, declare);
            continue;
          }
          used.push(key);
          // an unknown source gives unknown parts, defaults included (they may not apply)
          const v = value instanceof Unknown ? value : this.getMember(value, key);
          this.bind(prop.value, v, scope, declare);
        }
        return;
      }
      case T.ArrayPattern: {
        const items = value instanceof Unknown ? value : iterate(value);
        p.elements.forEach((el, i) => {
          if (!el) return;
          if (el.type === T.RestElement) this.bind(el.argument, items instanceof Unknown ? items : items.slice(i), scope, declare);
          else this.bind(el, items instanceof Unknown ? items : items[i], scope, declare);
        });
        return;
      }
      case T.RestElement:
        this.bind(p.argument, value, scope, declare);
        return;
      case T.MemberExpression: {
        const obj = this.eval(p.object, scope);
        const key = this.memberKey(p, scope);
        if (!(key instanceof Unknown)) this.setMember(obj, key, value);
        return;
      }
      case T.TSParameterProperty:
        this.bind(p.parameter, value, scope, declare);
        return;
      case T.TSNonNullExpression:
      case T.TSAsExpression:
      case T.TSSatisfiesExpression:
      case T.TSTypeAssertion:
        this.bind(p.expression, value, scope, declare);
        return;
    }
  }

  // ───────────── expressions ─────────────

  eval(e: Node, scope: Scope, nameHint?: string): Value {
    this.step(e);
    switch (e.type) {
      case T.Literal:
        if ('regex' in e && e.regex) return new Unknown('regular expressions are not evaluated');
        if (typeof e.value === 'bigint') return Number(e.value);
        return e.value as Value;
      case T.Identifier:
        return this.lookup(e, scope);
      case T.TemplateLiteral: {
        let out = e.quasis[0].value.cooked ?? '';
        for (let i = 0; i < e.expressions.length; i++) {
          const s = toStr(this.eval(e.expressions[i], scope));
          if (s instanceof Unknown) return s;
          out += s + (e.quasis[i + 1].value.cooked ?? '');
          if (out.length > MAX_COLLECTION) return new Unknown('string longer than the evaluator keeps');
        }
        return out;
      }
      case T.ArrayExpression: {
        const out: Value[] = [];
        for (const el of e.elements) {
          if (!el) out.push(undefined);
          else if (el.type === T.SpreadElement) {
            const items = iterate(this.eval(el.argument, scope));
            if (items instanceof Unknown) return items;
            this.charge(items.length);
            if (out.length + items.length > MAX_COLLECTION) return new Unknown('array longer than the evaluator keeps');
            for (const x of items) out.push(x);
          } else out.push(this.eval(el, scope));
          if (out.length > MAX_COLLECTION) return new Unknown('array longer than the evaluator keeps');
        }
        return out;
      }
      case T.ObjectExpression:
        return this.evalObject(e, scope);
      case T.FunctionExpression:
      case T.ArrowFunctionExpression:
        return this.makeFunction(e, scope, e.type === T.FunctionExpression && e.id ? e.id.name : (nameHint ?? ''));
      case T.ClassExpression:
        return this.makeClass(e, scope, nameHint);
      case T.MemberExpression: {
        const obj = e.object.type === T.Super ? this.superTarget() : this.eval(e.object, scope);
        if (e.optional && (obj === null || obj === undefined)) throw SHORT;
        const key = this.memberKey(e, scope);
        if (key instanceof Unknown) return key;
        if (e.object.type === T.Super) return this.bindSuper(obj, key);
        return this.getMember(obj, key, e);
      }
      case T.ChainExpression:
        try {
          return this.eval(e.expression, scope);
        } catch (x) {
          if (x === SHORT) return undefined;
          throw x;
        }
      case T.CallExpression:
        return this.evalCall(e, scope);
      case T.NewExpression: {
        const callee = this.eval(e.callee, scope);
        const args = this.evalArgs(e.arguments, scope);
        const site = this.site(e);
        this.callSites.push(site);
        try {
          return this.construct(callee, args, site, e);
        } finally {
          this.callSites.pop();
        }
      }
      case T.UnaryExpression:
        return this.evalUnary(e, scope);
      case T.UpdateExpression: {
        const old = toNumber(this.eval(e.argument, scope));
        const next = old instanceof Unknown ? old : e.operator === '++' ? old + 1 : old - 1;
        this.bind(e.argument, next, scope, false);
        return e.prefix ? next : old;
      }
      case T.BinaryExpression: {
        const left = e.left.type === T.PrivateIdentifier ? `#${e.left.name}` : this.eval(e.left, scope);
        const right = this.eval(e.right, scope);
        if (e.operator === 'instanceof') return this.instanceOf(left, right);
        if (e.operator === 'in') return this.hasKey(right, left);
        return binary(e.operator, left, right);
      }
      case T.LogicalExpression: {
        const left = this.eval(e.left, scope);
        if (e.operator === '??')
          return left === null || left === undefined
            ? this.eval(e.right, scope)
            : left instanceof Unknown
              ? this.skipUnknown(left, e.right, e)
              : left;
        const t = truthy(left);
        if (t instanceof Unknown) return this.skipUnknown(t, e.right, e);
        if (e.operator === '&&') return t ? this.eval(e.right, scope) : left;
        return t ? left : this.eval(e.right, scope);
      }
      case T.ConditionalExpression: {
        const t = truthy(this.eval(e.test, scope));
        if (t instanceof Unknown) {
          this.skipped(e.consequent, `the choice at line ${e.loc.start.line} depends on an unknown condition (${t.reason})`, e);
          this.skipped(e.alternate, `the choice at line ${e.loc.start.line} depends on an unknown condition (${t.reason})`, e);
          return t;
        }
        return t ? this.eval(e.consequent, scope, nameHint) : this.eval(e.alternate, scope, nameHint);
      }
      case T.AssignmentExpression:
        return this.evalAssign(e, scope);
      case T.SequenceExpression: {
        let v: Value;
        for (const x of e.expressions) v = this.eval(x, scope);
        return v;
      }
      case T.ThisExpression:
        return scope.lookup(THIS).value;
      case T.AwaitExpression:
        return this.eval(e.argument, scope);
      case T.ImportExpression: {
        const src = this.eval(e.source, scope);
        if (typeof src !== 'string') return new Unknown('import() of a computed name');
        return this.namespaceOf(this.resolver.load(src, this.file, this.site(e)));
      }
      case T.TSAsExpression:
      case T.TSNonNullExpression:
      case T.TSTypeAssertion:
      case T.TSSatisfiesExpression:
      case T.TSInstantiationExpression:
        return this.eval(e.expression, scope, nameHint);
      case T.SpreadElement:
        return this.eval(e.argument, scope);
      case T.TaggedTemplateExpression:
        return new Unknown(`tagged templates are not evaluated (line ${e.loc.start.line})`);
      case T.YieldExpression:
        return new Unknown('generators are not evaluated');
      case T.MetaProperty:
        return new Unknown(`${e.meta.name}.${e.property.name} belongs to the running program`);
      case T.JSXElement:
      case T.JSXFragment:
        return new Unknown('JSX is not evaluated');
    }
    return new Unknown(`${e.type} is not evaluated (line ${e.loc.start.line})`);
  }

  private skipUnknown(u: Unknown, skippedExpr: Node, at: Node): Unknown {
    this.skipped(skippedExpr, `the expression at line ${at.loc.start.line} depends on an unknown value (${u.reason})`, at);
    return u;
  }

  private lookup(e: TSESTree.Identifier, scope: Scope): Value {
    const r = scope.lookup(e.name);
    if (r.found) return r.value;
    return unknownAt(`${e.name} is not defined in this file`, this.site(e));
  }

  memberKey(e: TSESTree.MemberExpression, scope: Scope): string | Unknown {
    if (!e.computed) return e.property.type === T.PrivateIdentifier ? `#${e.property.name}` : (e.property as TSESTree.Identifier).name;
    return toKey(this.eval(e.property as Expr, scope));
  }

  private evalObject(e: TSESTree.ObjectExpression, scope: Scope): JsObject {
    const o = new JsObject();
    for (const p of e.properties) {
      if (p.type === T.SpreadElement) {
        const v = this.eval(p.argument, scope);
        if (v instanceof JsObject) {
          if (v.partial) {
            o.props.clear();
            o.partial = v.partial;
          }
          for (const [k, x] of v.props) o.props.set(k, x);
          this.charge(v.props.size);
        } else if (Array.isArray(v)) v.forEach((x, i) => o.props.set(String(i), x));
        else if (typeof v === 'string') [...v].forEach((x, i) => o.props.set(String(i), x));
        else if (v instanceof Unknown) {
          // which keys the spread sets is unknown: earlier keys may be overwritten
          o.props.clear();
          o.partial = v;
        } else if (v instanceof HostValue) {
          o.props.clear();
          o.partial = new Unknown(`spread of ${v.describe()}`);
        }
        continue;
      }
      const key = p.computed ? toKey(this.eval(p.key as Expr, scope)) : propertyName(p.key);
      if (key instanceof Unknown) {
        o.props.clear();
        o.partial = key;
        continue;
      }
      if (p.kind === 'get' || p.kind === 'set') {
        if (p.kind === 'get')
          o.props.set(key, this.callFunction(this.makeFunction(p.value as FunctionNode, scope, key), o, [], this.site(p)));
        continue;
      }
      o.props.set(key, this.eval(p.value as Expr, scope, key));
    }
    return o;
  }

  private evalUnary(e: TSESTree.UnaryExpression, scope: Scope): Value {
    if (e.operator === 'typeof' && e.argument.type === T.Identifier && !scope.lookup(e.argument.name).found) return 'undefined';
    if (e.operator === 'delete') {
      if (e.argument.type === T.MemberExpression) {
        const obj = this.eval(e.argument.object, scope);
        const key = this.memberKey(e.argument, scope);
        if (obj instanceof JsObject && typeof key === 'string') obj.props.delete(key);
      }
      return true;
    }
    const v = this.eval(e.argument, scope);
    switch (e.operator) {
      case 'typeof':
        return typeOf(v);
      case '!': {
        const t = truthy(v);
        return t instanceof Unknown ? t : !t;
      }
      case 'void':
        return undefined;
      case '-': {
        const n = toNumber(v);
        return n instanceof Unknown ? n : -n;
      }
      case '+':
        return toNumber(v);
      case '~': {
        const n = toNumber(v);
        return n instanceof Unknown ? n : ~n;
      }
    }
    return new Unknown(`operator ${(e as TSESTree.UnaryExpression).operator}`);
  }

  private evalAssign(e: TSESTree.AssignmentExpression, scope: Scope): Value {
    if (e.operator === '=') {
      const v = this.eval(e.right, scope, e.left.type === T.Identifier ? e.left.name : undefined);
      this.bind(e.left, v, scope, false);
      return v;
    }
    const current = this.eval(e.left, scope);
    let v: Value;
    if (e.operator === '||=' || e.operator === '&&=' || e.operator === '??=') {
      const t =
        e.operator === '??=' ? current === null || current === undefined : e.operator === '||=' ? negate(truthy(current)) : truthy(current);
      if (t instanceof Unknown) return this.skipUnknown(t, e.right, e);
      if (!t) return current;
      v = this.eval(e.right, scope);
    } else v = binary(e.operator.slice(0, -1), current, this.eval(e.right, scope));
    this.bind(e.left, v, scope, false);
    return v;
  }

  private evalArgs(args: readonly TSESTree.CallExpressionArgument[], scope: Scope): Value[] {
    const out: Value[] = [];
    for (const a of args) {
      if (a.type === T.SpreadElement) {
        const items = iterate(this.eval(a.argument, scope));
        if (items instanceof Unknown) out.push(items);
        else for (const x of items) out.push(x);
      } else out.push(this.eval(a, scope));
    }
    return out;
  }

  private evalCall(e: TSESTree.CallExpression, scope: Scope): Value {
    const callee = e.callee;
    let fnValue: Value;
    let thisArg: Value;
    if (callee.type === T.Super) return this.superCall(this.evalArgs(e.arguments, scope), e);
    if (callee.type === T.MemberExpression) {
      const obj = callee.object.type === T.Super ? this.superTarget() : this.eval(callee.object, scope);
      if (callee.optional && (obj === null || obj === undefined)) throw SHORT;
      const key = this.memberKey(callee, scope);
      if (key instanceof Unknown) fnValue = key;
      else fnValue = callee.object.type === T.Super ? this.bindSuper(obj, key) : this.getMember(obj, key, callee);
      thisArg = callee.object.type === T.Super ? scope.lookup(THIS).value : obj;
    } else fnValue = this.eval(callee, scope);
    if (e.optional && (fnValue === null || fnValue === undefined)) throw SHORT;
    const args = this.evalArgs(e.arguments, scope);
    const site = this.site(e);
    if (fnValue instanceof Unknown) {
      for (const a of args)
        if (a instanceof JsFunction)
          this.skipped(
            a.node.body,
            `a callback at line ${e.loc.start.line} was passed to an unknown function (${fnValue.reason}) and not run`,
            e,
          );
      return fnValue;
    }
    this.callSites.push(site);
    try {
      return this.callValue(fnValue, thisArg, args, site, callee);
    } finally {
      this.callSites.pop();
    }
  }

  callValue(fnValue: Value, thisArg: Value, args: Value[], site: Site, calleeNode?: Node): Value {
    if (fnValue instanceof JsFunction) return this.callFunction(fnValue, thisArg, args, site);
    if (fnValue instanceof HostFunction) return fnValue.impl(thisArg, args, this);
    if (fnValue instanceof Unknown) return fnValue;
    if (fnValue instanceof JsClass) return new Unknown(`class ${fnValue.name} called without new`);
    const what = calleeNode ? sourceName(calleeNode) : describeValue(fnValue);
    return unknownAt(`${what} is not a function (it is ${describeValue(fnValue)})`, site);
  }

  callFunction(fn: JsFunction, thisArg: Value, args: Value[], site: Site): Value {
    const node = fn.node;
    if (node.generator) return new Unknown(`${fn.name || 'a generator'} is a generator function: not evaluated`);
    if (this.depth >= MAX_DEPTH) throw budgetStop(`calls nested deeper than ${MAX_DEPTH} (unbounded recursion?)`, site);
    this.depth++;
    const scope = new Scope(fn.closure, true);
    if (node.type !== T.ArrowFunctionExpression) {
      scope.vars.set(THIS, thisArg);
      scope.vars.set('arguments', args);
    }
    const prevFile = this.file;
    this.file = fn.file;
    this.frames.push({ fn, thisValue: thisArg });
    try {
      node.params.forEach((p, i) => {
        if (p.type === T.RestElement) this.bind(p.argument, args.slice(i), scope, true);
        else if (p.type === T.TSParameterProperty) {
          this.bind(p.parameter, args[i], scope, true);
          const name =
            p.parameter.type === T.Identifier
              ? p.parameter.name
              : p.parameter.left.type === T.Identifier
                ? p.parameter.left.name
                : undefined;
          if (name) this.setMember(thisArg, name, scope.vars.get(name));
        } else this.bind(p, args[i], scope, true);
      });
      if (node.body.type !== T.BlockStatement) return this.eval(node.body, scope);
      const c = this.execBlock(node.body.body, scope);
      return c && c.kind === 'return' ? c.value : undefined;
    } finally {
      this.frames.pop();
      this.file = prevFile;
      this.depth--;
    }
  }

  construct(callee: Value, args: Value[], site: Site, node?: Node): Value {
    if (callee instanceof JsClass) {
      const inst = new JsObject(callee);
      const r = this.initInstance(callee, inst, args, site);
      return r instanceof JsObject || r instanceof HostValue ? r : inst;
    }
    if (callee instanceof HostFunction) return callee.impl(undefined, args, this);
    if (callee instanceof JsFunction) {
      const inst = new JsObject();
      const r = this.callFunction(callee, inst, args, site);
      return r instanceof JsObject ? r : inst;
    }
    if (callee instanceof HostValue) {
      const ctor = callee.get('%construct', this);
      if (ctor instanceof HostFunction) return ctor.impl(undefined, args, this);
    }
    if (callee instanceof Unknown) return callee;
    return unknownAt(
      `new ${node && 'callee' in node ? sourceName((node as TSESTree.NewExpression).callee) : describeValue(callee)}: not a constructor`,
      site,
    );
  }

  private initInstance(cls: JsClass, inst: JsObject, args: Value[], site: Site): Value {
    const derived = cls.superClass !== null && cls.superClass !== undefined;
    if (!derived) this.initFields(cls, inst);
    if (cls.ctor) return this.callFunction(cls.ctor, inst, args, site);
    if (cls.superClass instanceof JsClass) this.initInstance(cls.superClass, inst, args, site);
    else if (derived) this.hostSuper(cls.superClass, inst, args);
    if (derived) this.initFields(cls, inst);
    return undefined;
  }

  /** `super(...)` of a class whose base is a host class (tf.layers.Layer): the host sets it up. */
  private hostSuper(base: Value, inst: JsObject, args: Value[]): void {
    if (base instanceof HostValue) {
      const init = base.get('%superInit', this);
      if (init instanceof HostFunction) init.impl(inst, args, this);
    }
  }

  private initFields(cls: JsClass, inst: JsObject): void {
    if (!cls.fields.length) return;
    const scope = new Scope(cls.closure, true);
    scope.vars.set(THIS, inst);
    const prevFile = this.file;
    this.file = cls.file;
    try {
      for (const f of cls.fields) inst.props.set(f.key, f.value ? this.eval(f.value, scope, f.key) : undefined);
    } finally {
      this.file = prevFile;
    }
  }

  private superCall(args: Value[], node: Node): Value {
    const frame = this.frames[this.frames.length - 1];
    const cls = frame?.fn.home;
    if (!frame || !cls) return new Unknown('super() outside a constructor');
    const inst = frame.thisValue;
    if (!(inst instanceof JsObject)) return undefined;
    const site = this.site(node);
    if (cls.superClass instanceof JsClass) this.initInstance(cls.superClass, inst, args, site);
    else this.hostSuper(cls.superClass, inst, args);
    this.initFields(cls, inst);
    return undefined;
  }

  private superTarget(): Value {
    const frame = this.frames[this.frames.length - 1];
    return frame?.fn.home?.superClass ?? new Unknown('super outside a class');
  }

  private bindSuper(superClass: Value, key: string): Value {
    if (superClass instanceof JsClass) return superClass.lookup(key) ?? superClass.statics.get(key);
    if (superClass instanceof HostValue) return superClass.get(`%proto.${key}`, this);
    return superClass instanceof Unknown ? superClass : undefined;
  }

  makeFunction(node: FunctionNode, scope: Scope, name: string, home?: JsClass): JsFunction {
    return new JsFunction(node, scope, this.file, name, home);
  }

  makeClass(node: TSESTree.ClassDeclaration | TSESTree.ClassExpression, scope: Scope, nameHint?: string): JsClass {
    const superClass = node.superClass ? this.eval(node.superClass, scope) : null;
    const cls = new JsClass(node.id?.name ?? nameHint ?? '(anonymous class)', superClass, scope, this.file, node.loc.start.line);
    const inner = new Scope(scope, false);
    if (node.id) inner.vars.set(node.id.name, cls);
    const statics: TSESTree.PropertyDefinition[] = [];
    for (const m of node.body.body) {
      if (m.type === T.MethodDefinition || m.type === T.TSAbstractMethodDefinition) {
        if (!m.value || m.value.type !== T.FunctionExpression) continue;
        const key = m.computed ? toKey(this.eval(m.key as Expr, inner)) : propertyName(m.key);
        if (key instanceof Unknown) continue;
        const f = this.makeFunction(m.value, inner, key, cls);
        if (m.kind === 'constructor') cls.ctor = f;
        else if (m.static) cls.statics.set(key, f);
        else if (m.kind === 'get') cls.getters.set(key, f);
        else if (m.kind === 'method') cls.methods.set(key, f);
      } else if (m.type === T.PropertyDefinition) {
        if (m.static) statics.push(m);
        else {
          const key = m.computed ? toKey(this.eval(m.key as Expr, inner)) : propertyName(m.key);
          if (!(key instanceof Unknown)) cls.fields.push({ key, value: m.value });
        }
      }
    }
    const staticScope = new Scope(inner, true);
    staticScope.vars.set(THIS, cls);
    for (const m of statics) {
      const key = m.computed ? toKey(this.eval(m.key as Expr, inner)) : propertyName(m.key);
      if (!(key instanceof Unknown)) cls.statics.set(key, m.value ? this.eval(m.value, staticScope, key) : undefined);
    }
    return cls;
  }

  private instanceOf(v: Value, cls: Value): Value {
    if (v instanceof Unknown) return v;
    if (cls instanceof JsClass) {
      if (!(v instanceof JsObject)) return false;
      for (let c: Value = v.cls; c instanceof JsClass; c = c.superClass) if (c === cls) return true;
      return false;
    }
    if (cls instanceof HostFunction && cls.name === 'Array') return Array.isArray(v);
    return new Unknown(`instanceof ${describeValue(cls)} is not evaluated`);
  }

  private hasKey(obj: Value, key: Value): Value {
    const k = toKey(key);
    if (k instanceof Unknown) return k;
    if (obj instanceof JsObject) return obj.props.has(k) || (obj.partial ?? false);
    if (Array.isArray(obj)) return k === 'length' || (arrayIndex(k) ?? Infinity) < obj.length;
    if (obj instanceof HostValue) return obj.get(k, this) !== undefined;
    return obj instanceof Unknown ? obj : false;
  }

  // ───────────── properties ─────────────

  getMember(obj: Value, key: string, node?: Node): Value {
    if (obj instanceof Unknown) return obj;
    if (obj === undefined || obj === null) {
      const what = node && node.type === T.MemberExpression ? sourceName(node.object) : 'a value';
      return unknownAt(`${what} is ${obj}, so .${key} cannot be read`, node ? this.site(node) : undefined);
    }
    if (typeof obj === 'string') return stringMember(obj, key);
    if (typeof obj === 'number') return numberMember(key);
    if (typeof obj === 'boolean') return undefined;
    if (Array.isArray(obj)) return arrayMember(obj, key);
    if (obj instanceof JsObject) {
      if (obj.props.has(key)) return obj.props.get(key);
      if (obj.cls) {
        const getter = obj.cls.lookupGetter(key);
        if (getter) return this.callFunction(getter, obj, [], node ? this.site(node) : { file: this.file, line: 0 });
        const m = obj.cls.lookup(key);
        if (m) return m;
        if (key === 'constructor') return obj.cls;
        const hostBase = rootSuperclass(obj.cls);
        if (hostBase instanceof HostValue) {
          const inherited = hostBase.get(`%proto.${key}`, this);
          if (inherited !== undefined) return inherited;
        }
      }
      if (obj.partial) return obj.partial;
      if (key === 'hasOwnProperty')
        return new HostFunction('hasOwnProperty', (_t, [k]) =>
          typeof k === 'string' ? obj.props.has(k) : new Unknown('hasOwnProperty of a computed key'),
        );
      return undefined;
    }
    if (obj instanceof JsFunction) {
      if (obj.props.has(key)) return obj.props.get(key);
      if (key === 'name') return obj.name;
      if (key === 'length') return obj.node.params.length;
      if (key === 'call') return new HostFunction('call', (_t, [self, ...rest], ctx) => ctx.call(obj, self, rest));
      if (key === 'apply')
        return new HostFunction('apply', (_t, [self, list], ctx) => ctx.call(obj, self, Array.isArray(list) ? list : []));
      if (key === 'bind')
        return new HostFunction(
          'bind',
          (_t, [self, ...bound]) => new HostFunction(obj.name, (_t2, rest, ctx) => ctx.call(obj, self, [...bound, ...rest])),
        );
      return undefined;
    }
    if (obj instanceof JsClass) {
      for (let c: Value = obj; c instanceof JsClass; c = c.superClass) if (c.statics.has(key)) return c.statics.get(key);
      if (key === 'name') return obj.name;
      return undefined;
    }
    if (obj instanceof HostFunction) return obj.members?.(key) ?? hostFunctionMember(obj, key);
    if (obj instanceof HostValue) return obj.get(key, this);
    return undefined;
  }

  setMember(obj: Value, key: string, value: Value): void {
    if (obj instanceof JsObject) {
      obj.props.set(key, value);
      return;
    }
    if (Array.isArray(obj)) {
      const i = arrayIndex(key);
      if (i !== undefined && i < MAX_COLLECTION) {
        while (obj.length < i) obj.push(undefined);
        obj[i] = value;
      } else if (key === 'length' && typeof value === 'number' && value >= 0 && value <= obj.length) obj.length = value;
      return;
    }
    if (obj instanceof JsFunction) obj.props.set(key, value);
    else if (obj instanceof JsClass) obj.statics.set(key, value);
    else if (obj instanceof HostValue) obj.set(key, value);
  }
}

// ───────────── helpers ─────────────

function isRecord(v: unknown): v is ModuleRecord {
  return typeof v === 'object' && v !== null && 'exports' in v && 'scope' in v && (v as ModuleRecord).exports instanceof Map;
}

function negate(t: boolean | Unknown): boolean | Unknown {
  return t instanceof Unknown ? t : !t;
}

function rootSuperclass(cls: JsClass): Value {
  let c: Value = cls;
  while (c instanceof JsClass) c = c.superClass;
  return c;
}
