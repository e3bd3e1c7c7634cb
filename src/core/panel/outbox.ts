// Delivery of the host's state to a webview that may be hidden. With retainContextWhenHidden
// off, a hidden webview has no document to receive messages; its state lives on the host. So
// while the view is hidden (or not yet ready) updates are not sent but remembered as "this
// section changed", notices are queued (the last few), and when the webview says `ready` again
// it gets one snapshot of the whole state, which supersedes everything queued. A section's
// stream (a running pilot's live chart points) for a hidden view is dropped: the snapshot
// carries the run's bounded series.
import type { HostMessage, PanelState, SectionUpdate } from './protocol';
import { SECTION_IDS, type SectionId, type SectionStream } from './sections';

type Notice = Extract<HostMessage, { type: 'notice' }>;

const MAX_QUEUED_NOTICES = 5;

export class PanelOutbox {
  private visible = false;
  private ready = false;
  private readonly dirty = new Set<SectionId>();
  private notices: Notice[] = [];
  /** Messages sent (for tests and the trace). */
  sent = 0;

  constructor(
    private readonly send: (message: HostMessage) => boolean | PromiseLike<boolean>,
    private readonly state: () => PanelState,
  ) {}

  /** Whether a message posted now would reach a live webview document. */
  get deliverable(): boolean {
    return this.visible && this.ready;
  }

  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    // hidden: the webview's document goes away; shown again, it reloads and says `ready`
    if (!visible) this.ready = false;
  }

  /** The webview (re)loaded and listens: it gets the whole state and the queued notices. */
  onReady(): void {
    this.ready = true;
    this.visible = true;
    this.dirty.clear();
    this.deliver({ type: 'snapshot', state: this.state() }, [...SECTION_IDS]);
    const notices = this.notices;
    this.notices = [];
    for (const n of notices) this.deliver(n, []);
  }

  /** A section of the state changed. */
  update(section: SectionId): void {
    if (!this.deliverable) {
      this.dirty.add(section);
      return;
    }
    this.deliver({ type: 'update', section, view: this.state()[section] } as SectionUpdate, [section]);
  }

  /** A section's live message (new chart points); for a hidden view the next snapshot carries them. */
  stream(section: SectionId, message: SectionStream): void {
    if (!this.deliverable) {
      this.dirty.add(section);
      return;
    }
    this.deliver(message, [section]);
  }

  notice(level: Notice['level'], text: string): void {
    const n: Notice = { type: 'notice', level, text };
    if (!this.deliverable) {
      this.notices.push(n);
      if (this.notices.length > MAX_QUEUED_NOTICES) this.notices.shift();
      return;
    }
    this.deliver(n, []);
  }

  /** Sections that changed while the view could not receive them. */
  pending(): SectionId[] {
    return [...this.dirty];
  }

  private deliver(message: HostMessage, sections: SectionId[]): void {
    this.sent++;
    const failed = () => {
      // the document went away under us: resend on the next `ready`
      this.ready = false;
      for (const s of sections) this.dirty.add(s);
    };
    try {
      const r = this.send(message);
      if (r === false) failed();
      else if (r !== true) Promise.resolve(r).then((ok) => (ok ? undefined : failed()), failed);
    } catch {
      failed();
    }
  }
}
