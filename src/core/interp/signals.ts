// Non-local exits of the interpreter: Python exceptions, and the step budget running out.
// Plain classes, not Errors: model code raises and catches often (hasattr, getattr with a
// default), and an Error would capture a JavaScript stack trace every time.
import type { PyInstance } from './values';

/** A Python exception in flight; `exc` is the exception instance. */
export class PyRaise {
  constructor(
    readonly exc: PyInstance,
    readonly file: string | undefined,
    readonly line: number | undefined,
  ) {}

  toString(): string {
    return `Python ${this.exc.cls.name}: ${String(this.exc.payload ?? '')}`;
  }
}

/**
 * The evaluation used up its step budget (e.g. `while True:`), or its call depth; not catchable
 * by the analysed code. Shared by both front ends (Python here, TF.js in src/core/tfjs).
 */
export class BudgetExceeded {
  constructor(
    readonly file: string | undefined,
    /** 1-based. */
    readonly line: number | undefined,
    readonly message = 'step budget exhausted',
  ) {}

  toString(): string {
    return this.message;
  }
}

/**
 * The Python exception a JavaScript limit stands for: the call stack overflowing (a deeply
 * nested or endlessly recursive value) is a RecursionError, an array or string past V8's
 * bounds a MemoryError. Undefined for any other error, which stays an internal error.
 */
export function jsLimitError(e: unknown): { className: string; message: string } | undefined {
  if (!(e instanceof RangeError)) return undefined;
  if (/call stack/i.test(e.message))
    return { className: 'RecursionError', message: 'maximum recursion depth exceeded (nesting too deep for the analyzer)' };
  if (/invalid (array|string|typed array) length|array buffer allocation|too large/i.test(e.message))
    return { className: 'MemoryError', message: `value too large for the analyzer (${e.message})` };
  return undefined;
}
