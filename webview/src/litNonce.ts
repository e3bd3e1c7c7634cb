// Lit adds <style> elements only where constructable stylesheets are missing; those need the
// page's CSP nonce. Imported first by the entry, before any Lit module runs.
const script = document.querySelector('script[nonce]') as HTMLScriptElement | null;
const nonce = script?.nonce || script?.getAttribute('nonce') || undefined;
if (nonce) (globalThis as { litNonce?: string }).litNonce = nonce;
export {};
