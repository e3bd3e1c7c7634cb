// Python's text of floats, where JavaScript's differs: repr (exponent outside [1e-4, 1e16),
// "inf", "nan") and fixed-point rounding (exact ties go to even, as CPython's dtoa does).

/** repr(x) of a Python float. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e16 || a < 1e-4))
    return x.toExponential().replace(/e([+-])(\d)$/, (_, sign: string, digit: string) => `e${sign}0${digit}`);
  const s = String(x);
  return Number.isInteger(x) ? `${Object.is(x, -0) ? '-0' : s}.0` : s;
}

/** `'%.{digits}f' % x`: correctly rounded from the exact binary value; an exact tie goes to the even digit. */
export function pyFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const d = Math.max(0, Math.min(100, Math.trunc(digits)));
  const s = x.toFixed(d);
  if (d + 25 > 100) return s;
  // toFixed takes exact ties away from zero; CPython takes them to the even digit
  const exact = Math.abs(x).toFixed(d + 25);
  if (!/^50*$/.test(exact.slice(exact.length - 25))) return s;
  const digitsOnly = s.replace(/^-/, '').replace('.', '');
  if (Number(digitsOnly[digitsOnly.length - 1]) % 2 === 0) return s;
  const down = (BigInt(digitsOnly) - 1n).toString().padStart(digitsOnly.length, '0');
  const body = d > 0 ? `${down.slice(0, down.length - d)}.${down.slice(down.length - d)}` : down;
  return (x < 0 ? '-' : '') + body;
}
