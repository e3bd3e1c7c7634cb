// One JSON answer from a carbon-intensity provider, on terms a hostile or broken endpoint cannot
// stretch: https only (plain http to loopback only, for tests and local proxies), redirects
// followed by hand (at most 3, each checked the same way, and a secret header such as the
// Electricity Maps token is dropped as soon as a hop leaves the first origin), the answer capped
// in size (1 MB) and the whole exchange, body included, limited in time.

export const PROVIDER_MAX_BYTES = 1024 * 1024;
export const PROVIDER_MAX_REDIRECTS = 3;

export interface ProviderResponse {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
  /** Present on real fetch responses: used for redirects, the size limit and a streamed body. */
  headers?: { get(name: string): string | null };
  body?: ReadableStream<Uint8Array> | null;
}

export type FetchLike = (
  url: string,
  init?: { headers?: Record<string, string>; signal?: AbortSignal; redirect?: 'manual' },
) => Promise<ProviderResponse>;

export interface ProviderRequest {
  headers?: Record<string, string>;
  /** Headers sent only to the first origin (credentials). */
  secretHeaders?: Record<string, string>;
  timeoutMs: number;
  maxBytes?: number;
  fetchImpl?: FetchLike;
}

/** A failure in words for the user (never holds a secret header's value). */
export class ProviderFetchError extends Error {}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Why a URL may not be asked (null when it may): https, or plain http to loopback. */
export function providerUrlRefusal(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `"${url}" is not a URL`;
  }
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && LOOPBACK_HOST.test(u.hostname)) return null;
  return `refused to ask ${u.protocol}//${u.host}: providers are asked over https only (plain http to loopback only)`;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The provider's JSON answer to GET `url`; throws ProviderFetchError with the reason. */
export async function fetchProviderJson(url: string, request: ProviderRequest): Promise<unknown> {
  const doFetch: FetchLike = request.fetchImpl ?? (globalThis.fetch as unknown as FetchLike);
  const maxBytes = request.maxBytes ?? PROVIDER_MAX_BYTES;
  const signal = AbortSignal.timeout(request.timeoutMs);
  const origin = safeOrigin(url);
  let current = url;
  let withSecrets = true;
  try {
    for (let hop = 0; ; hop++) {
      const refusal = providerUrlRefusal(current);
      if (refusal) throw new ProviderFetchError(refusal);
      withSecrets &&= safeOrigin(current) === origin;
      const headers = { ...request.headers, ...(withSecrets ? request.secretHeaders : {}) };
      const res = await doFetch(current, { headers, signal, redirect: 'manual' });
      const location = res.headers?.get('location');
      if (REDIRECTS.has(res.status) && location) {
        await res.body?.cancel().catch(() => undefined);
        if (hop >= PROVIDER_MAX_REDIRECTS) throw new ProviderFetchError(`more than ${PROVIDER_MAX_REDIRECTS} redirects`);
        current = new URL(location, current).href;
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        throw new ProviderFetchError(`HTTP ${res.status}${res.status === 401 || res.status === 403 ? ' (check the token)' : ''}`);
      }
      return await readJson(res, maxBytes);
    }
  } catch (err) {
    if (err instanceof ProviderFetchError) throw err;
    const e = err as Error;
    if (signal.aborted || e.name === 'TimeoutError') throw new ProviderFetchError(`no answer within ${request.timeoutMs / 1000} s`);
    throw new ProviderFetchError(`no answer (${describeFetchError(e)})`);
  }
}

async function readJson(res: ProviderResponse, maxBytes: number): Promise<unknown> {
  const tooLarge = () => new ProviderFetchError(`the answer is larger than ${Math.round(maxBytes / 1024)} KB`);
  const declared = Number(res.headers?.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  let text: string;
  if (res.body) {
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
    // TextDecoder rather than Buffer: this module also reaches the webview bundle's type check
    const decoder = new TextDecoder('utf-8');
    text = chunks.map((c) => decoder.decode(c, { stream: true })).join('') + decoder.decode();
  } else {
    // a stand-in fetch (tests) with json() only
    try {
      return await res.json();
    } catch {
      throw new ProviderFetchError('the answer is not JSON');
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ProviderFetchError('the answer is not JSON');
  }
}

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** fetch's "fetch failed" hides the reason in `cause` (ECONNREFUSED, ENOTFOUND, …). */
function describeFetchError(e: Error): string {
  const cause = (e as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return `${e.message}: ${cause.code}`;
  if (cause && typeof cause.message === 'string') return `${e.message}: ${cause.message}`;
  return e.message;
}
