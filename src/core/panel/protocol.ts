// The energy report panel's message protocol: what the extension host sends the webview (its
// state, one section at a time) and what the webview asks of the host. The messages are built
// from the section registry (sections/index.ts: each section's view and its own messages) and
// the panel's own below; one set of zod schemas, checked on both sides; a message that does not
// fit is dropped and logged, never acted on.
// Pure TypeScript (no vscode, no DOM): the host and the browser bundle both import it.
// zod/mini keeps the webview bundle small and the host's activation quick.
import * as z from 'zod/mini';
import { PANEL_SECTIONS, type PanelState, type SectionId, type SectionRequest, type SectionStream, type ViewOf } from './sections';
import { messageSchemas, type MessagesOf } from './sections/section';
import { pngDataUrl, text } from './views';

export * from './views';
export type { PanelState, SectionId } from './sections';

type Options = [z.ZodMiniObject, ...z.ZodMiniObject[]];

export const panelStateSchema = z.object(
  Object.fromEntries(PANEL_SECTIONS.map((s) => [s.id, s.view])),
) as unknown as z.ZodMiniType<PanelState>;

// ---------------------------------------------------------------------------------------------
// Host → webview
// ---------------------------------------------------------------------------------------------

/** A section's new view. */
export type SectionUpdate = { [Id in SectionId]: { type: 'update'; section: Id; view: ViewOf<Id> } }[SectionId];

const sectionUpdateSchema = z.discriminatedUnion(
  'section',
  PANEL_SECTIONS.map((s) => z.object({ type: z.literal('update'), section: z.literal(s.id), view: s.view })) as unknown as Options,
);

const panelMessages = {
  /** The whole state: the answer to `ready`, and after the view was hidden. */
  snapshot: { state: panelStateSchema },
  /** A short message shown in the panel (an applied fix, a refused one, an export). */
  notice: { level: z.enum(['info', 'warning', 'error']), text },
};

export type HostMessage = MessagesOf<typeof panelMessages> | SectionUpdate | SectionStream;

export const hostMessageSchema = z.discriminatedUnion('type', [
  sectionUpdateSchema,
  ...messageSchemas(panelMessages),
  ...PANEL_SECTIONS.flatMap((s) => messageSchemas(s.streams)),
] as unknown as Options) as unknown as z.ZodMiniType<HostMessage>;

// ---------------------------------------------------------------------------------------------
// Webview → host: what the user asked for
// ---------------------------------------------------------------------------------------------

/** Requests of the panel as a whole; each section's own are in its declaration. */
const panelRequests = {
  ready: {},
  /** Reveal a line of the shown file (a suggestion, an unknown, the model's definition). */
  revealLine: { line: z.int().check(z.positive()) },
  export: { format: z.enum(['markdown', 'json']) },
  savePng: { name: z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,80}$/)), dataUrl: pngDataUrl },
  openInTab: {},
  log: { level: z.enum(['info', 'warning', 'error']), message: z.string().check(z.maxLength(4000)) },
};

export type PanelRequest = MessagesOf<typeof panelRequests>;
export type WebviewMessage = PanelRequest | SectionRequest;

export const webviewMessageSchema = z.discriminatedUnion('type', [
  ...messageSchemas(panelRequests),
  ...PANEL_SECTIONS.flatMap((s) => messageSchemas(s.requests)),
] as unknown as Options) as unknown as z.ZodMiniType<WebviewMessage>;

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

function parseWith<T>(schema: z.ZodMiniType<T>, data: unknown): Parsed<T> {
  const r = schema.safeParse(data);
  if (r.success) return { ok: true, message: r.data };
  const issue = r.error.issues.at(0);
  // a hostile message may carry objects with their own toString: only strings are quoted back
  const field = (k: string) => {
    const given = typeof data === 'object' && data !== null && k in data ? (data as Record<string, unknown>)[k] : undefined;
    return typeof given === 'string' ? given.slice(0, 40) : given === undefined ? undefined : typeof given;
  };
  const type = [field('type') ?? typeof data, field('section')].filter(Boolean).join(' ');
  return { ok: false, error: `${type}: ${issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid'}` };
}

/** Checks a message from the host (in the webview). */
export function parseHostMessage(data: unknown): Parsed<HostMessage> {
  return parseWith(hostMessageSchema, data);
}

/** Checks a message from the webview (in the host). */
export function parseWebviewMessage(data: unknown): Parsed<WebviewMessage> {
  return parseWith(webviewMessageSchema, data);
}

/** Checks a state restored with getState (in the webview): an old or damaged one is ignored. */
export function parsePanelState(data: unknown): PanelState | undefined {
  const r = panelStateSchema.safeParse(data);
  return r.success ? r.data : undefined;
}
