// vscode's EventEmitter for unit tests of extension code that fires events:
// `vi.mock('vscode', () => import('../../support/vscodeEventEmitter'))`. features.test.ts builds
// its fuller stand-in of the module around it.
export class EventEmitter<T> {
  private listeners = new Set<(e: T) => void>();
  event = (listener: (e: T) => void) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(e: T) {
    for (const l of [...this.listeners]) l(e);
  }
  dispose() {
    this.listeners.clear();
  }
}
