/** What a `GroupCommit` does with its batches. */
export interface GroupCommitSteps<T, R> {
  /**
   * Makes one batch durable (retrying as it must: a rejection stops the loop). Called with
   * everything queued since the previous batch, in arrival order.
   */
  store(batch: T[]): Promise<R>;
  /**
   * Runs synchronously once `store` has resolved, before anything more is taken: where acks are
   * resolved and events handed on, so they follow the write and keep its order.
   */
  stored?(batch: T[], result: R): void;
  /** Work between batches, such as folding a log into its snapshot. */
  maintenance?: {
    /** Asked after each batch while more waits: true stops the batches until `run` has run. */
    due(): boolean;
    /**
     * Called after each run of batches, and in a round started with nothing queued. Answers
     * undefined when it has nothing to do, so such a round does not yield to the event loop.
     */
    run(): Promise<void> | undefined;
  };
}

/**
 * Group commit: what arrives while a batch is being stored waits for the next one, and the first
 * batch waits for the end of the current turn of the event loop (`setImmediate`), so a burst of
 * commands, votes or keystrokes costs a few writes instead of one each. The loop runs while more
 * arrives, then stops until the next `add`.
 *
 * At least one batch is written per round before maintenance is considered, so maintenance that
 * keeps failing never holds what is queued back.
 */
export class GroupCommit<T, R = void> {
  readonly #steps: GroupCommitSteps<T, R>;
  #queue: T[] = [];
  #running: Promise<void> | null = null;

  constructor(steps: GroupCommitSteps<T, R>) {
    this.#steps = steps;
  }

  /** What waits for the next batch, oldest first. */
  get queued(): readonly T[] {
    return this.#queue;
  }

  /** Whether a round is under way (waiting for its turn, storing, or maintaining). */
  get busy(): boolean {
    return this.#running !== null;
  }

  /** Queues one item for the next batch and starts a round unless one is under way. */
  add(item: T): void {
    this.#queue.push(item);
    this.start();
  }

  /** Starts a round unless one is under way: one with nothing queued runs only the maintenance. */
  start(): void {
    this.#running ??= this.#run();
  }

  /** Resolves once no round is under way (a round started meanwhile is waited for too). */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #run(): Promise<void> {
    // Let what arrives in the same turn of the event loop join this batch.
    await new Promise((resolve) => setImmediate(resolve));
    const { store, stored, maintenance } = this.#steps;
    try {
      for (;;) {
        // The queue is checked synchronously after `stored`, without yielding in between: what
        // an ack's continuation adds then waits for the next round's turn, as it always has.
        for (let first = true; this.#queue.length > 0 && (first || !maintenance?.due()); first = false) {
          const batch = this.#queue;
          this.#queue = [];
          const result = await store(batch);
          stored?.(batch, result);
        }
        const work = maintenance?.run();
        if (work) await work;
        if (this.#queue.length === 0) break;
      }
    } finally {
      this.#running = null;
    }
  }
}
