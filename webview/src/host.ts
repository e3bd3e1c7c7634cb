// The webview's side of the channel: posts typed requests to the extension host (checked
// against the same schema the host checks them with), and keeps the persisted state.
import { webviewMessageSchema, type WebviewMessage } from '../../src/core/panel/protocol';

export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The VS Code API, or a stand-in outside VS Code (the render bench, a plain browser). */
export function vscodeApi(): VsCodeApi {
  if (typeof acquireVsCodeApi === 'function') return acquireVsCodeApi();
  let state: unknown;
  const sink = (globalThis as { __wattlensPosted?: unknown[] }).__wattlensPosted ?? [];
  (globalThis as { __wattlensPosted?: unknown[] }).__wattlensPosted = sink;
  return { postMessage: (m) => void sink.push(m), getState: () => state, setState: (s) => void (state = s) };
}

export class Host {
  constructor(private readonly api: VsCodeApi) {}

  /** Sends a request; one that does not fit the protocol is not sent (and is logged). */
  post(message: WebviewMessage): boolean {
    const r = webviewMessageSchema.safeParse(message);
    if (!r.success) {
      const why = r.error.issues[0]?.message ?? 'invalid';
      console.warn(`WattLens: request not sent (${message.type}: ${why})`);
      if (message.type !== 'log')
        this.api.postMessage({
          type: 'log',
          level: 'warning',
          message: `webview: request ${message.type} not sent: ${why}`.slice(0, 4000),
        });
      return false;
    }
    this.api.postMessage(r.data);
    return true;
  }

  log(level: 'info' | 'warning' | 'error', message: string): void {
    this.post({ type: 'log', level, message: message.slice(0, 4000) });
  }

  getState(): unknown {
    try {
      return this.api.getState();
    } catch {
      return undefined;
    }
  }

  setState(state: unknown): void {
    try {
      this.api.setState(state);
    } catch {
      // a state that cannot be cloned is not kept; the host's snapshot restores the view
    }
  }
}
