// Entry of the panel's browser bundle (webview/dist/main.js): restores the last state at once,
// says `ready` so the host sends a snapshot, then applies the host's validated messages.
import './litNonce';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import './components/app';
import type { PanelApp } from './components/app';
import { Host, vscodeApi } from './host';
import { PanelStore } from './store';
import { adoptPageStyles } from './pageStyles';

adoptPageStyles();

const host = new Host(vscodeApi());
const store = new PanelStore(host.getState());

let persistTimer: ReturnType<typeof setTimeout> | undefined;
store.subscribe((changed) => {
  // live points are not persisted (the host's snapshot carries them); everything else is, lazily
  if (changed === 'progress' || changed === 'notice') return;
  clearTimeout(persistTimer);
  persistTimer = setTimeout(() => host.setState(store.persisted()), 300);
});

window.addEventListener('message', (event: MessageEvent) => {
  const r = store.receive(event.data);
  if (!r.ok) {
    console.warn(`WattLens: dropped a malformed message (${r.error})`);
    host.log('warning', `webview dropped a malformed message: ${r.error}`);
  }
});

// a CSP violation is a bug: report it to the host's log (the e2e test asserts there are none)
document.addEventListener('securitypolicyviolation', (e) => {
  host.log(
    'error',
    `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}${e.sample ? ` (${e.sample.slice(0, 80)})` : ''}`,
  );
});
window.addEventListener('error', (e) => host.log('error', `webview error: ${e.message}`));

const app = document.createElement('wl-app') as PanelApp;
app.store = store;
app.host = host;
document.getElementById('root')?.replaceChildren(app);
host.post({ type: 'ready' });

// for the render bench and debugging: the store and the app element
(globalThis as { wattlensPanel?: unknown }).wattlensPanel = { store, app };
