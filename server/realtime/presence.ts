import type { PresenceChange } from "../../shared/events.ts";

/**
 * Who holds a live connection, per conference: volatile, never stored. Changes are gathered and
 * sent at most every `intervalMs`, so that a hall of delegates connecting at once costs one
 * message per client per interval rather than one per arrival.
 */
export class PresenceTracker {
  readonly #connections = new Map<string, Map<string, number>>();
  readonly #changed = new Map<string, Map<string, boolean>>();
  readonly #intervalMs: number;
  readonly #send: (conferenceId: string, changes: PresenceChange[]) => void;
  #timer: NodeJS.Timeout | null = null;

  constructor(intervalMs: number, send: (conferenceId: string, changes: PresenceChange[]) => void) {
    this.#intervalMs = intervalMs;
    this.#send = send;
  }

  /** The participants of a conference that are online now. */
  online(conferenceId: string): ReadonlySet<string> {
    return new Set(this.#connections.get(conferenceId)?.keys());
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
      this.#send(conferenceId, [...changes].map(([participantId, online]) => ({ participantId, online })));
    }
  }
}
