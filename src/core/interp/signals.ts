// Non-local exits of the interpreter: Python exceptions, and the step budget running out.
import type { PyInstance } from './values';

/** A Python exception in flight; `exc` is the exception instance. */
export class PyRaise extends Error {
  constructor(
    readonly exc: PyInstance,
    readonly file: string | undefined,
    readonly line: number | undefined,
  ) {
    super('python exception');
  }
}

/** The evaluation used up its step budget (e.g. `while True:`); not catchable by Python code. */
export class BudgetExceeded extends Error {
  constructor(
    readonly file: string | undefined,
    readonly line: number | undefined,
  ) {
    super('step budget exhausted');
  }
}
