// Hands one file's chunks, as the walk reads them, to a streaming analyzer: one chunk in
// flight at a time, so a slow analyzer slows the read instead of piling chunks up.

/**
 * A single-consumer async iterable fed by `push`. `push` resolves once the consumer has
 * taken the chunk — or at once, when the consumer has stopped reading (returned early or
 * was abandoned): then the chunks are dropped.
 */
export class ChunkChannel implements AsyncIterable<Buffer> {
  private pending: Buffer | null = null;
  private taken: (() => void) | null = null;
  private waiting: ((r: IteratorResult<Buffer>) => void) | null = null;
  private ended = false;
  private stopped = false;

  /** Offers a chunk; resolves when the consumer took it (or stopped reading). */
  push(chunk: Buffer): Promise<void> {
    if (this.stopped || this.ended) return Promise.resolve();
    if (this.waiting) {
      const deliver = this.waiting;
      this.waiting = null;
      deliver({ value: chunk, done: false });
      return Promise.resolve();
    }
    this.pending = chunk;
    return new Promise((resolve) => (this.taken = resolve));
  }

  /** No more chunks: the consumer's loop ends after the last one. */
  end(): void {
    this.ended = true;
    if (this.waiting && this.pending === null) {
      const deliver = this.waiting;
      this.waiting = null;
      deliver({ value: undefined, done: true });
    }
  }

  /** The consumer is gone: later pushes resolve at once, the one in flight too. */
  stop(): void {
    this.stopped = true;
    this.pending = null;
    const release = this.taken;
    this.taken = null;
    release?.();
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return {
      next: () => {
        if (this.stopped) return Promise.resolve({ value: undefined, done: true });
        if (this.pending !== null) {
          const value = this.pending;
          const release = this.taken;
          this.pending = null;
          this.taken = null;
          release?.();
          return Promise.resolve({ value, done: false });
        }
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
      return: () => {
        this.stop();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
