// Symbolic integer dimensions: polynomials with integer coefficients over named symbols
// ("B", "T") and opaque unknowns ("?3", each with a reason). Shapes and costs stay exact
// in the symbols; a report binds them to numbers at the end.

/** A monomial is a sorted product of symbol names, joined by '*'; '' is the constant term. */
type Monomial = string;

const unknownReasons = new Map<string, string>();
let unknownCounter = 0;

/** A fresh opaque symbol standing for a dimension nobody can know, with its reason. */
export function freshUnknownSymbol(reason: string): string {
  const name = `?${++unknownCounter}`;
  unknownReasons.set(name, reason);
  return name;
}

/** Forgets the reasons of earlier analyses' unknown dims (names stay unique). */
export function resetUnknownSymbols(): void {
  unknownReasons.clear();
}

export function isOpaqueSymbol(name: string): boolean {
  return name.startsWith('?');
}

export function unknownSymbolReason(name: string): string {
  return unknownReasons.get(name) ?? 'unknown dimension';
}

function mulMonomials(a: Monomial, b: Monomial): Monomial {
  if (a === '') return b;
  if (b === '') return a;
  return [...a.split('*'), ...b.split('*')].sort().join('*');
}

/** Removes the factors of `divisor` from `m`, or returns null when m does not contain them. */
function divMonomial(m: Monomial, divisor: Monomial): Monomial | null {
  if (divisor === '') return m;
  const factors = m === '' ? [] : m.split('*');
  for (const f of divisor.split('*')) {
    const i = factors.indexOf(f);
    if (i < 0) return null;
    factors.splice(i, 1);
  }
  return factors.join('*');
}

export class Poly {
  private constructor(readonly terms: ReadonlyMap<Monomial, number>) {}

  static constant(n: number): Poly {
    return new Poly(n === 0 ? new Map() : new Map([['', n]]));
  }

  static symbol(name: string): Poly {
    return new Poly(new Map([[name, 1]]));
  }

  static from(x: number | Poly): Poly {
    return typeof x === 'number' ? Poly.constant(x) : x;
  }

  private static build(entries: Iterable<[Monomial, number]>): Poly {
    const m = new Map<Monomial, number>();
    for (const [k, v] of entries) {
      const nv = (m.get(k) ?? 0) + v;
      if (nv === 0) m.delete(k);
      else m.set(k, nv);
    }
    return new Poly(m);
  }

  /** A plain number when no symbol is left, else this polynomial. */
  simplify(): number | this {
    if (this.terms.size === 0) return 0;
    if (this.terms.size === 1 && this.terms.has('')) return this.terms.get('')!;
    return this;
  }

  isConstant(): boolean {
    return this.terms.size === 0 || (this.terms.size === 1 && this.terms.has(''));
  }

  symbols(): string[] {
    const s = new Set<string>();
    for (const k of this.terms.keys()) if (k) for (const f of k.split('*')) s.add(f);
    return [...s].sort();
  }

  /** The first opaque unknown in this polynomial, if any. */
  opaqueSymbol(): string | undefined {
    return this.symbols().find(isOpaqueSymbol);
  }

  add(o: number | Poly): Poly {
    const p = Poly.from(o);
    return Poly.build([...this.terms, ...p.terms]);
  }

  sub(o: number | Poly): Poly {
    return this.add(Poly.from(o).scale(-1));
  }

  scale(k: number): Poly {
    return Poly.build([...this.terms].map(([m, c]) => [m, c * k] as [Monomial, number]));
  }

  mul(o: number | Poly): Poly {
    if (typeof o === 'number') return this.scale(o);
    const out: [Monomial, number][] = [];
    for (const [m1, c1] of this.terms) for (const [m2, c2] of o.terms) out.push([mulMonomials(m1, m2), c1 * c2]);
    return Poly.build(out);
  }

  /** Exact division, or null when the quotient is not a polynomial with integer coefficients. */
  divExact(o: number | Poly): Poly | null {
    const d = Poly.from(o);
    if (d.terms.size !== 1) {
      // (a·X)/(X) style divisions by a multi-term polynomial: only when equal up to a constant
      const ratio = this.ratioTo(d);
      return ratio === null ? null : Poly.constant(ratio);
    }
    const [[dm, dc]] = [...d.terms];
    if (dc === 0) return null;
    const out: [Monomial, number][] = [];
    for (const [m, c] of this.terms) {
      const q = divMonomial(m, dm);
      if (q === null || c % dc !== 0) return null;
      out.push([q, c / dc]);
    }
    return Poly.build(out);
  }

  /** k when this = k·o for an integer k. */
  private ratioTo(o: Poly): number | null {
    if (o.terms.size === 0 || this.terms.size !== o.terms.size) return null;
    let k: number | null = null;
    for (const [m, c] of o.terms) {
      const mine = this.terms.get(m);
      if (mine === undefined || mine % c !== 0) return null;
      const r = mine / c;
      if (k === null) k = r;
      else if (k !== r) return null;
    }
    return k;
  }

  equals(o: number | Poly): boolean {
    const p = Poly.from(o);
    if (p.terms.size !== this.terms.size) return false;
    for (const [m, c] of this.terms) if (p.terms.get(m) !== c) return false;
    return true;
  }

  /** Value with symbols bound; null when a symbol has no binding or is opaque. */
  evaluate(bindings: Readonly<Record<string, number>>): number | null {
    let total = 0;
    for (const [m, c] of this.terms) {
      let v = c;
      if (m)
        for (const f of m.split('*')) {
          const b = bindings[f];
          if (b === undefined) return null;
          v *= b;
        }
      total += v;
    }
    return total;
  }

  /** Highest power of `symbol` in any term (2 for attention's T·T). */
  degreeIn(symbol: string): number {
    let d = 0;
    for (const m of this.terms.keys()) d = Math.max(d, m ? m.split('*').filter((f) => f === symbol).length : 0);
    return d;
  }

  toString(): string {
    if (this.terms.size === 0) return '0';
    const parts = [...this.terms]
      .sort(([a], [b]) => b.length - a.length || a.localeCompare(b))
      .map(([m, c]) => {
        if (m === '') return String(c);
        const factors = compactPowers(m);
        if (c === 1) return factors;
        if (c === -1) return `-${factors}`;
        return `${c}·${factors}`;
      });
    return parts.join(' + ').replace(/\+ -/g, '- ');
  }
}

/** "T*T*B" → "B·T²". */
function compactPowers(m: Monomial): string {
  const counts = new Map<string, number>();
  for (const f of m.split('*')) counts.set(f, (counts.get(f) ?? 0) + 1);
  const sup = ['', '', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
  return [...counts].map(([s, n]) => (n === 1 ? s : n < sup.length ? `${s}${sup[n]}` : `${s}^${n}`)).join('·');
}

/** A dimension or a count: a plain integer, or a polynomial in symbols. */
export type SymNum = number | Poly;

export function symAdd(a: SymNum, b: SymNum): SymNum {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  return Poly.from(a).add(b).simplify();
}

export function symSub(a: SymNum, b: SymNum): SymNum {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return Poly.from(a).sub(b).simplify();
}

export function symMul(a: SymNum, b: SymNum): SymNum {
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  return Poly.from(a).mul(b).simplify();
}

/** Exact integer division; an opaque unknown when it does not divide. */
export function symDivExact(a: SymNum, b: SymNum, reason: string): SymNum {
  if (typeof a === 'number' && typeof b === 'number') {
    if (b !== 0 && a % b === 0) return a / b;
    if (b !== 0) return Math.floor(a / b);
    return Poly.symbol(freshUnknownSymbol(reason));
  }
  const q = Poly.from(a).divExact(b);
  return q ? q.simplify() : Poly.symbol(freshUnknownSymbol(reason));
}

export function symProduct(xs: readonly SymNum[]): SymNum {
  let p: SymNum = 1;
  for (const x of xs) p = symMul(p, x);
  return p;
}

export function symSum(xs: readonly SymNum[]): SymNum {
  let p: SymNum = 0;
  for (const x of xs) p = symAdd(p, x);
  return p;
}

export function symEquals(a: SymNum, b: SymNum): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  return Poly.from(a).equals(b);
}

export function isSymbolic(x: SymNum): x is Poly {
  return typeof x !== 'number';
}

/** Value of x with symbols bound; null and the reason when it stays unknown. */
export function evaluateSym(x: SymNum, bindings: Readonly<Record<string, number>>): { value: number | null; reason?: string } {
  if (typeof x === 'number') return { value: x };
  const opaque = x.opaqueSymbol();
  if (opaque) return { value: null, reason: unknownSymbolReason(opaque) };
  const v = x.evaluate(bindings);
  if (v === null)
    return {
      value: null,
      reason: `no value for ${x
        .symbols()
        .filter((s) => !(s in bindings))
        .join(', ')}`,
    };
  return { value: v };
}

export function symToString(x: SymNum): string {
  return typeof x === 'number' ? String(x) : x.toString();
}
