import type { PresenceChange } from "../../shared/events.ts";
import type { Presence } from "../realtime/socketServer.ts";
import { PresenceTracker } from "../realtime/presence.ts";

const NOBODY: ReadonlySet<string> = new Set();

/**
 * Presence over a cluster: each server counts its own connections (`PresenceTracker`, gathered
 * per interval) and reports them to the conference's owner, which merges every server's and sends
 * the changes to the clients of all (`ClusterNode`). What snapshots show (`sent`) is what the
 * owner last sent, on every server.
 */
export class ClusterPresence implements Presence {
  readonly #local: PresenceTracker;
  readonly #sent = new Map<string, { online: Set<string>; version: number }>();
  #versions = 0;
  /** Sends changes to a conference's clients (the owner's part). */
  readonly send: (conferenceId: string, changes: PresenceChange[]) => void;

  constructor(
    intervalMs: number,
    send: (conferenceId: string, changes: PresenceChange[]) => void,
    report: (conferenceId: string, online: string[]) => void,
  ) {
    this.send = send;
    this.#local = new PresenceTracker(intervalMs, (conferenceId) => report(conferenceId, this.local(conferenceId)));
  }

  connect(conferenceId: string, participantId: string): void {
    this.#local.connect(conferenceId, participantId);
  }

  disconnect(conferenceId: string, participantId: string): void {
    this.#local.disconnect(conferenceId, participantId);
  }

  /** Who is connected to this server. */
  local(conferenceId: string): string[] {
    return [...this.#local.online(conferenceId)];
  }

  /** The conferences with connections here. */
  conferences(): string[] {
    return [...this.#local.conferences()];
  }

  sent(conferenceId: string): { online: ReadonlySet<string>; version: number } {
    return this.#sent.get(conferenceId) ?? { online: NOBODY, version: 0 };
  }

  /** The owner's changes, as sent to the clients. */
  apply(conferenceId: string, changes: readonly PresenceChange[]): void {
    const sent = this.#sent.get(conferenceId) ?? { online: new Set<string>(), version: 0 };
    for (const { participantId, online } of changes) {
      if (online) sent.online.add(participantId);
      else sent.online.delete(participantId);
    }
    sent.version = ++this.#versions;
    this.#sent.set(conferenceId, sent);
  }

  /** Who is online as of a snapshot from the owner. */
  adopt(conferenceId: string, online: readonly string[]): void {
    this.#sent.set(conferenceId, { online: new Set(online), version: ++this.#versions });
  }

  stop(): void {
    this.#local.stop();
  }
}
