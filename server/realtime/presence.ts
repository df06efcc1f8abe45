import type { PresenceChange } from "../../shared/events.ts";

const NOBODY: ReadonlySet<string> = new Set();

/**
 * Who holds a live connection, per conference: volatile, never stored. Changes are gathered and
 * sent at most every `intervalMs`, so that a hall of delegates connecting at once costs one
 * message per client per interval rather than one per arrival.
 */
export class PresenceTracker {
  readonly #connections = new Map<string, Map<string, number>>();
  readonly #changed = new Map<string, Map<string, boolean>>();
  /** Per conference: who was online as last sent, and how many times that has changed. */
  readonly #sent = new Map<string, { online: Set<string>; version: number }>();
  #versions = 0;
  readonly #intervalMs: number;
  readonly #send: (conferenceId: string, changes: PresenceChange[]) => void;
  #timer: NodeJS.Timeout | null = null;

  constructor(intervalMs: number, send: (conferenceId: string, changes: PresenceChange[]) => void) {
    this.#intervalMs = intervalMs;
    this.#send = send;
  }

  /** The conferences with a live connection here. */
  conferences(): IterableIterator<string> {
    return this.#connections.keys();
  }

  /** The participants of a conference that are online now. */
  online(conferenceId: string): ReadonlySet<string> {
    return new Set(this.#connections.get(conferenceId)?.keys());
  }

  /**
   * Who is online as last sent to the conference's clients, with a number that changes whenever
   * that does: what snapshots show, so that a hall of phones connecting within one interval can
   * share one encoding of the roster (the changes since reach every client with the next send).
   */
  sent(conferenceId: string): { online: ReadonlySet<string>; version: number } {
    return this.#sent.get(conferenceId) ?? { online: NOBODY, version: 0 };
  }

  connect(conferenceId: string, participantId: string): void {
    const counts = this.#connections.get(conferenceId) ?? new Map<string, number>();
    this.#connections.set(conferenceId, counts);
    const before = counts.get(participantId) ?? 0;
    counts.set(participantId, before + 1);
    if (before === 0) this.#note(conferenceId, participantId, true);
  }

  disconnect(conferenceId: string, participantId: string): void {
    const counts = this.#connections.get(conferenceId);
    const before = counts?.get(participantId) ?? 0;
    if (!counts || before === 0) return;
    if (before > 1) {
      counts.set(participantId, before - 1);
      return;
    }
    counts.delete(participantId);
    if (counts.size === 0) this.#connections.delete(conferenceId);
    this.#note(conferenceId, participantId, false);
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #note(conferenceId: string, participantId: string, online: boolean) {
    const changes = this.#changed.get(conferenceId) ?? new Map<string, boolean>();
    this.#changed.set(conferenceId, changes);
    changes.set(participantId, online);
    this.#timer ??= setTimeout(() => this.#flush(), this.#intervalMs);
  }

  #flush() {
    this.#timer = null;
    const all = [...this.#changed];
    this.#changed.clear();
    for (const [conferenceId, changes] of all) {
      const sent = this.#sent.get(conferenceId) ?? { online: new Set<string>(), version: 0 };
      for (const [participantId, online] of changes) {
        if (online) sent.online.add(participantId);
        else sent.online.delete(participantId);
      }
      // Numbered across conferences, never reused: a conference that empties and fills again gets new numbers.
      sent.version = ++this.#versions;
      if (sent.online.size === 0) this.#sent.delete(conferenceId);
      else this.#sent.set(conferenceId, sent);
      this.#send(conferenceId, [...changes].map(([participantId, online]) => ({ participantId, online })));
    }
  }
}
