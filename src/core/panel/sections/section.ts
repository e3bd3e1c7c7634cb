// What one tab of the report panel declares, once: its id (the one name used by the protocol, the
// outbox, the webview's store and tabs, and the exports), its label and badge, the schema of its
// view (the state the host sends for it), the messages it adds to the protocol, and its part of
// the Markdown and JSON exports. Pure TypeScript: the host and the webview bundle both read it.
// The host's data source and the webview's view of a section are declared beside their own code
// (src/extension/panel/sections.ts, webview/src/views.ts), keyed by the same id.
import * as z from 'zod/mini';

/** A badge on the tab header: a count, or a dot for something running. */
export interface Badge {
  variant: 'counter' | 'activity';
  text: string;
}

/** What every section's export sees besides its own view. */
export interface ExportContext {
  /** The cost unit the panel shows (`wattlens.costUnit`). */
  costUnit: 'macs' | 'flops';
  /** Layers listed in the Markdown report. */
  topN: number;
}

/** Message fields by message type (the `type` field is added): `{ refreshHistory: {} }`. */
export type MessageShapes = Record<string, z.core.$ZodLooseShape>;

/** The messages of some shapes, e.g. `{ type: 'compareRuns'; a: string; b: string }`. */
export type MessagesOf<M extends MessageShapes> = {
  [K in keyof M & string]: keyof M[K] extends never ? { type: K } : { type: K } & z.infer<z.ZodMiniObject<M[K]>>;
}[keyof M & string];

export interface PanelSection<
  Id extends string = string,
  Schema extends z.ZodMiniType = z.ZodMiniType,
  Requests extends MessageShapes = MessageShapes,
  Streams extends MessageShapes = MessageShapes,
> {
  id: Id;
  /** The tab header's text. */
  label: string;
  /** The section's view, as the host sends it (checked on both sides). */
  view: Schema;
  /** What the webview shows before the host's first snapshot. */
  initial(): z.infer<Schema>;
  badge?(view: z.infer<Schema>): Badge | null;
  /** Webview → host requests handled by this section's host source. */
  requests: Requests;
  /** Host → webview messages besides the view (e.g. a running pilot's live points). */
  streams: Streams;
  /** The section's lines of the Markdown report (each part but the first starts with an empty line). */
  markdown?(view: z.infer<Schema>, context: ExportContext): string[];
  /** The section's fields of the JSON report. */
  json?(view: z.infer<Schema>, context: ExportContext): Record<string, unknown>;
}

/** No messages of that kind. */
// eslint-disable-next-line @typescript-eslint/no-generated-empty-object-type -- an empty map of message shapes is the point
type NoMessages = Record<never, never>;

/** Declares a section, keeping its literal id and message types. */
export function defineSection<
  const Id extends string,
  Schema extends z.ZodMiniType,
  const Requests extends MessageShapes = NoMessages,
  const Streams extends MessageShapes = NoMessages,
>(section: PanelSection<Id, Schema, Requests, Streams>): PanelSection<Id, Schema, Requests, Streams> {
  return section;
}

/** The zod schemas of some message shapes, one per type. */
export function messageSchemas(shapes: MessageShapes): z.ZodMiniObject[] {
  return Object.entries(shapes).map(([type, shape]) => z.object({ type: z.literal(type), ...shape }) as unknown as z.ZodMiniObject);
}
