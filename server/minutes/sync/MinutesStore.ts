import { applyAwarenessUpdate, encodeAwarenessUpdate, type Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import { FileMinutesStorage } from "../../storage/FileMinutesStorage.ts";
import { GroupCommit } from "../../storage/GroupCommit.ts";
import type { MinutesStorage } from "../../storage/MinutesStorage.ts";
import { retryForever, within } from "../../storage/retry.ts";
import { newStorageStats, type StorageStats } from "../../storage/stats.ts";

/** File names inside the conference's directory (of the file storage, which is the default). */
export { MINUTES_LOG, MINUTES_SNAPSHOT } from "../../storage/FileMinutesStorage.ts";

export interface CompactionPolicy {
  /** Compact once the log holds this many records... */
  maxRecords: number;
  /** ...or this many bytes. */
  maxBytes: number;
}

export const DEFAULT_COMPACTION: CompactionPolicy = { maxRecords: 2000, maxBytes: 2 * 1024 * 1024 };

const RETRY_MS = [20, 100, 500, 2000];

/**
 * Marks updates the store applies itself, which are stored already (loaded, or stored by another
 * server), so they are not logged again.
 */
const STORED = Symbol("minutes.stored");
/** Marks writers' cursors a peer relayed, so they are not relayed back. */
const RELAYED = Symbol("minutes.relayed");

/**
 * The other servers that hold the same minutes (issue 18), as a store sees them: what they store
 * reaches this store's document, and what this store stores reaches theirs (`MinutesRelay`).
 */
export interface MinutesPeers {
  /**
   * Starts hearing what the others store; resolves once nothing they store from then on can be
   * missed, or sooner while the relay is away or slow (then `missed` follows once it holds).
   */
  join(listener: PeerListener): Promise<void>;
  /** Stops hearing them. */
  leave(): void;
  /** Tells the others of a batch stored here. Best effort: a loss ends in their `missed`. */
  publish(updates: readonly Uint8Array[]): void;
  /** Tells the others of writers' cursors here (awareness): kept nowhere, a loss is renewed within 15 s. */
  publishAwareness(update: Uint8Array): void;
}

/** What a store is told by its peers. */
export interface PeerListener {
  /** An update another server has stored. */
  heard(update: Uint8Array): void;
  /** Updates may have been lost on the way (Redis was away): what is stored must be read again. */
  missed(): void;
  /** Writers' cursors on another server (an awareness update). */
  heardAwareness(update: Uint8Array): void;
}

/** How a store keeps its bytes and who else holds them (default: files, no peers). */
export interface MinutesStoreOptions {
  storage?: MinutesStorage;
  peers?: MinutesPeers;
}

/**
 * Messages held until the log reaches `target` appends. Every message registered before the
 * sealing microtask runs shares one batch, so a broadcast to 300 readers costs one entry, not 300.
 */
interface DurableBatch {
  target: number;
  run: (() => void)[];
}

/**
 * The minutes of one conference, stored as a compacted snapshot and an append-only log of the
 * updates since (`MinutesStorage`; by default the files `minutes.ysnap` and `minutes.yupdates` in
 * the conference's directory). Every update of the live document is appended; appends made in
 * the same turn of the event loop share one write + fdatasync (group commit), and the log is
 * folded into the snapshot by the compaction policy. `afterDurable` lets the socket layer hold
 * outgoing messages until what they carry is on disk, so an update another client has seen
 * survives a kill -9.
 *
 * With peers (issue 18: PostgreSQL shared by several servers), each stored batch is published to
 * them and what they store is applied to the document as stored already; `prepare` loads what is
 * stored before a document is attached, and a loss of the relay makes the document load again.
 */
export class MinutesStore {
  /** The conference's directory (and how the logs name this store). */
  readonly dir: string;
  /** Batches appended and compactions so far, for tests. */
  readonly stats: StorageStats = newStorageStats();
  readonly #policy: CompactionPolicy;
  readonly #storage: MinutesStorage;
  /** Updates waiting for the next write (`#commits.queued`), and those being written now. */
  readonly #commits: GroupCommit<Uint8Array>;
  #inflight: readonly Uint8Array[] = [];
  /** Bytes of the updates in flight and queued: what the disk has yet to take. */
  #backlogBytes = 0;
  /** Updates appended so far / made durable so far (counters, for the barrier). */
  #appended = 0;
  #durable = 0;
  /**
   * Batches waiting for the disk, oldest first from `#head`: a queue with a moving head, because
   * shifting an array of 60,000 waiters once per released waiter was quadratic (issue 12, item 5).
   */
  #batches: (DurableBatch | undefined)[] = [];
  #head = 0;
  /** Messages registered since the last seal; their target is taken when the microtask runs. */
  #unsealed: (() => void)[] | null = null;
  #compactRequested = false;
  #doc: Y.Doc | null = null;
  #unobserve: (() => void) | null = null;
  readonly #peers: MinutesPeers | null;
  readonly #listener: PeerListener = {
    heard: (update) => this.#hear(update),
    missed: () => this.#missed(),
    heardAwareness: (update) => {
      const awareness = awarenessOf(this.#doc);
      if (awareness) applyAwarenessUpdate(awareness, update, RELAYED);
    },
  };
  /** The load under way for a document about to be attached, shared by its first connections. */
  #loading: Promise<void> | null = null;
  /** The load whose lateness has been logged (once per load, however many connections wait). */
  #lateLoad: Promise<void> | null = null;
  /** Callers of `prepare` that have not released yet: the document they wait for is coming. */
  #claims = 0;
  /**
   * What the peers stored since the pending load began (it may have read before they committed),
   * for `attach`; null while no load is pending.
   */
  #heard: Uint8Array[] | null = null;
  /** Peers' updates were lost while a document was coming: it loads again once attached. */
  #reloadOnAttach = false;

  constructor(dir: string, policy: CompactionPolicy = DEFAULT_COMPACTION, options: MinutesStoreOptions = {}) {
    this.dir = dir;
    this.#policy = policy;
    this.#storage = options.storage ?? new FileMinutesStorage(dir);
    this.#peers = options.peers ?? null;
    this.#commits = new GroupCommit<Uint8Array>({
      store: (batch) => this.#writeBatch(batch),
      // Under a steady stream of updates the queue never empties: compact between batches too,
      // so the log stays bounded while a writer is busy.
      maintenance: { due: () => this.#overPolicy(), run: () => this.#compactIfDue() },
    });
  }

  /** Records in the log now (for tests and compaction). */
  get logRecords(): number {
    return this.#storage.logRecords + this.#inflight.length + this.#commits.queued.length;
  }

  /** Bytes of updates not yet on disk: the socket layer stops reading writers past a bound. */
  get backlogBytes(): number {
    return this.#backlogBytes;
  }

  /**
   * Readies the stored minutes for a document about to be attached: joins the peers first (so
   * that nothing they store from then on is missed), then loads what is stored (asynchronously:
   * PostgreSQL). Concurrent callers share one load. Rejects when the load fails or takes longer
   * than `timeoutMs`; else answers a release, to be called once the caller's connection is set up
   * or gone: until every caller has released, the store keeps what it loaded and what the peers
   * relay for `attach`. Files need none of this (`attach` reads them), but it does no harm.
   */
  async prepare(timeoutMs = Infinity): Promise<() => void> {
    this.#claims++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.#claims--;
      this.#closeIfIdle();
    };
    const load = (this.#loading ??= this.#load());
    try {
      await within(load, timeoutMs, () => {
        if (this.#lateLoad === load) return;
        this.#lateLoad = load;
        console.error(`minutes in ${this.dir}: not loaded within ${timeoutMs} ms`);
      });
      return release;
    } catch (error) {
      // A load that is only late still fills the store: the claim lasts until it is over.
      load.then(release, release);
      throw error;
    }
  }

  /**
   * Loads the stored minutes into `doc` and logs its updates from now on. Synchronous, because
   * the websocket server does not wait for `bindState`: with a storage that reads
   * asynchronously, `prepare` has fetched them.
   */
  attach(doc: Y.Doc): void {
    const updates = this.#storage.isOpen ? this.#storage.read() : this.#storage.open();
    updates.push(...this.#inflight, ...this.#commits.queued, ...(this.#heard ?? []));
    this.#heard = null;
    applyAll(doc, updates);
    this.#unobserve?.();
    const onUpdate = (update: Uint8Array, origin: unknown) => {
      if (origin !== STORED) this.append(update);
    };
    doc.on("update", onUpdate);
    // Writers' cursors here reach the writers of the other servers, and theirs come back through
    // `heardAwareness` (the websocket server then sends them to its own writers). Renewals are
    // relayed too, or the others would drop the cursors as outdated after 30 s.
    const awareness = this.#peers ? awarenessOf(doc) : null;
    const onAwareness = ({ added, updated, removed }: Record<"added" | "updated" | "removed", number[]>, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      if (origin !== RELAYED && changed.length > 0) this.#peers?.publishAwareness(encodeAwarenessUpdate(awareness!, changed));
    };
    awareness?.on("update", onAwareness);
    this.#unobserve = () => {
      doc.off("update", onUpdate);
      awareness?.off("update", onAwareness);
    };
    this.#doc = doc;
    if (this.#reloadOnAttach) {
      this.#reloadOnAttach = false;
      void this.#reload(doc);
    }
    if (this.#overPolicy()) this.#requestCompaction();
  }

  /**
   * The document has no more clients: store what is pending, compact, and close the log unless
   * another document has attached meanwhile. Never rejects (the caller does not catch).
   */
  async detach(doc: Y.Doc): Promise<void> {
    if (this.#doc !== doc) return;
    try {
      if (this.logRecords > 0) this.#compactRequested = true;
      await this.flush();
      if (this.#doc !== doc) return;
      this.#unobserve?.();
      this.#unobserve = null;
      this.#doc = null;
      this.#closeIfIdle();
    } catch (error) {
      console.error(`minutes in ${this.dir}: storing on close failed:`, (error as Error).message);
    }
  }

  /** Stores what is pending and closes the log (server shutdown). */
  async close(): Promise<void> {
    await this.flush();
    this.#unobserve?.();
    this.#unobserve = null;
    this.#doc = null;
    this.#closeIfIdle();
  }

  /** Queues one update for the log. */
  append(update: Uint8Array): void {
    if (update.length === 0) return;
    if (!this.#storage.isOpen) this.#storage.open();
    this.#backlogBytes += update.length;
    this.#appended++;
    this.#commits.add(update);
  }

  /**
   * Runs `fn` once everything appended up to the end of the current synchronous turn is on
   * disk. Callbacks run in the order they were registered. The target is taken in a microtask
   * because the websocket library sends an update to every client before our `update` listener
   * has appended it; one microtask seals every callback registered until it runs (O(1) each).
   */
  afterDurable(fn: () => void): void {
    if (this.#unsealed) {
      this.#unsealed.push(fn);
      return;
    }
    this.#unsealed = [fn];
    queueMicrotask(() => this.#seal());
  }

  /** Resolves once everything appended so far (and any requested compaction) is done. */
  async flush(): Promise<void> {
    if (this.#compactRequested && this.#storage.isOpen) this.#commits.start();
    await this.#commits.settled();
  }

  /** The stored minutes as one update, without opening the log for writing (for the export). */
  readState(): Uint8Array {
    const updates = this.#storage.read();
    updates.push(...this.#inflight, ...this.#commits.queued);
    return updates.length === 0 ? Y.encodeStateAsUpdate(new Y.Doc()) : Y.mergeUpdates(updates);
  }

  /** `readState` of what is stored now, read asynchronously where it must be (PostgreSQL: every server's). */
  async storedState(): Promise<Uint8Array> {
    await this.#storage.load();
    const state = this.readState();
    this.#closeIfIdle();
    return state;
  }

  async #load(): Promise<void> {
    try {
      await this.#peers?.join(this.#listener);
      // What the peers stored before this point is stored before the load reads: only what
      // comes from now on may be missing from it.
      this.#heard = [];
      await this.#storage.load();
    } catch (error) {
      console.error(`minutes in ${this.dir}: loading failed:`, (error as Error).message);
      throw error;
    } finally {
      this.#loading = null;
    }
  }

  /** An update a peer stored: into the document, and kept for the one a pending load is for. */
  #hear(update: Uint8Array): void {
    this.#heard?.push(update);
    if (this.#doc) applyAll(this.#doc, [update]);
  }

  /**
   * The peers' updates may have been lost: the document takes everything stored again, and so
   * does one that is coming (its load may have read before what was lost).
   */
  #missed(): void {
    if (this.#claims > 0) this.#reloadOnAttach = true;
    if (this.#doc) void this.#reload(this.#doc);
  }

  /** Applies everything stored to `doc` (Yjs ignores what it has), retrying while it is attached. */
  async #reload(doc: Y.Doc): Promise<void> {
    await retryForever(
      async () => {
        if (this.#doc !== doc) return;
        await this.#storage.load();
        if (this.#doc === doc) applyAll(doc, this.#storage.read());
      },
      {
        delaysMs: RETRY_MS,
        onFailure: (error, attempt) => {
          console.error(`minutes in ${this.dir}: reloading failed (attempt ${attempt}):`, (error as Error).message);
        },
      },
    );
    this.#closeIfIdle();
  }

  #overPolicy(): boolean {
    return this.#storage.logRecords >= this.#policy.maxRecords || this.#storage.logBytes >= this.#policy.maxBytes;
  }

  #requestCompaction(): void {
    this.#compactRequested = true;
    this.#commits.start();
  }

  /** Appends one batch, retrying until it is on disk, then lets out what waited for it. */
  async #writeBatch(batch: Uint8Array[]): Promise<void> {
    this.#inflight = batch;
    await retryForever(() => this.#storage.append(batch), {
      delaysMs: RETRY_MS,
      // Nothing is released to other clients that is not on disk; the storage cuts a partial write.
      onFailure: (error, attempt) => {
        console.error(`minutes in ${this.dir}: write failed (attempt ${attempt}):`, (error as Error).message);
      },
    });
    this.stats.writes++;
    this.#peers?.publish(batch);
    this.#inflight = [];
    for (const update of batch) this.#backlogBytes -= update.length;
    this.#durable += batch.length;
    this.#release();
  }

  /** Compacts when asked to or when the log is over the policy; answers undefined when neither. */
  #compactIfDue(): Promise<void> | undefined {
    if (!this.#compactRequested && !this.#overPolicy()) return undefined;
    this.#compactRequested = false;
    return this.#compact();
  }

  /** Replaces snapshot + log by one snapshot of the whole document; a failure is logged, not thrown. */
  async #compact(): Promise<void> {
    if (!this.#storage.isOpen || this.#storage.logRecords === 0) return;
    const doc = this.#doc;
    const state = () => (doc ? Y.encodeStateAsUpdate(doc) : Y.mergeUpdates(this.#storage.read()));
    try {
      await this.#storage.compact(state);
      this.stats.compactions++;
    } catch (error) {
      console.error(`minutes in ${this.dir}: compaction failed:`, (error as Error).message);
    }
  }

  #seal(): void {
    const run = this.#unsealed!;
    this.#unsealed = null;
    const target = this.#appended;
    if (this.#durable >= target && this.#head === this.#batches.length) return runAll(run);
    this.#batches.push({ target, run });
  }

  #release(): void {
    while (this.#head < this.#batches.length && this.#batches[this.#head]!.target <= this.#durable) {
      const batch = this.#batches[this.#head]!;
      this.#batches[this.#head++] = undefined;
      runAll(batch.run);
    }
    if (this.#head === this.#batches.length) {
      this.#batches = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#batches.length) {
      this.#batches = this.#batches.slice(this.#head);
      this.#head = 0;
    }
  }

  /**
   * No document and none coming: the peers are left, and the log is closed once nothing is
   * being written (what was loaded is forgotten with it).
   */
  #closeIfIdle(): void {
    if (this.#doc || this.#claims > 0) return;
    this.#heard = null;
    this.#reloadOnAttach = false;
    this.#peers?.leave();
    if (this.#commits.busy || this.#commits.queued.length > 0) return;
    this.#storage.close();
  }
}

/** Runs every callback; one that throws costs only its own message. */
function runAll(run: readonly (() => void)[]): void {
  for (const fn of run) {
    try {
      fn();
    } catch (error) {
      console.error("minutes: delivering a message failed:", (error as Error)?.message);
    }
  }
}

/** Applies stored updates; one bad update does not cost the others. */
function applyAll(doc: Y.Doc, updates: Uint8Array[]): void {
  if (updates.length === 0) return;
  try {
    Y.applyUpdate(doc, updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates), STORED);
  } catch {
    for (const update of updates) {
      try {
        Y.applyUpdate(doc, update, STORED);
      } catch (error) {
        console.error("minutes: skipping an unreadable stored update:", (error as Error).message);
      }
    }
  }
}

/** The websocket server's document carries the writers' cursors (`WSSharedDoc.awareness`). */
function awarenessOf(doc: Y.Doc | null): Awareness | null {
  return (doc as (Y.Doc & { awareness?: Awareness }) | null)?.awareness ?? null;
}
