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

/** The evaluation used up its step budget (e.g. `while True:`); not catchable by Python code. */
export class BudgetExceeded {
  constructor(
    readonly file: string | undefined,
    readonly line: number | undefined,
  ) {}

  toString(): string {
    return 'step budget exhausted';
  }
}
