import type { PullTally, Store } from '@berth/store';
import type { Logger } from 'pino';

export interface PullEvent {
  repository: string;
  image: string;
  digest: string;
  tag: string | null;
  /** Who pulled (identity and address): an index pull and its child pulls share it. */
  client: string;
  /** Children of the pulled manifest when it is an index. */
  children: string[] | null;
  at: string;
}

const FOLLOW_WINDOW_MS = 60_000;

/**
 * Counts pulls the way Docker Hub does — a manifest GET is a pull; an index GET and the
 * child-manifest GETs that follow from the same client are one pull — and writes them
 * in batches: the hot path only touches memory.
 */
export class PullCounter {
  private pending = new Map<string, PullTally>();
  private recentIndexes = new Map<string, { children: Set<string>; until: number }>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly flushMs: number,
  ) {}

  /** Images whose counts wait for the next flush. */
  pendingImages(): number {
    return this.pending.size;
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.flushMs);
    this.timer.unref();
  }

  record(e: PullEvent): void {
    const now = Date.now();
    const followKey = `${e.client}|${e.repository}/${e.image}`;
    const recent = this.recentIndexes.get(followKey);
    if (recent && recent.until >= now && e.tag === null && recent.children.has(e.digest)) return;
    if (e.children) this.recentIndexes.set(followKey, { children: new Set(e.children), until: now + FOLLOW_WINDOW_MS });
    if (this.recentIndexes.size > 10_000) this.prune(now);

    const key = `${e.repository}/${e.image}`;
    let t = this.pending.get(key);
    if (!t) {
      t = { repository: e.repository, image: e.image, count: 0, lastAt: e.at, artifacts: new Map(), tags: new Map() };
      this.pending.set(key, t);
    }
    t.count += 1;
    if (e.at > t.lastAt) t.lastAt = e.at;
    bump(t.artifacts, e.digest, e.at);
    if (e.tag) bump(t.tags, e.tag, e.at);
  }

  private prune(now: number): void {
    for (const [k, v] of this.recentIndexes) if (v.until < now) this.recentIndexes.delete(k);
  }

  /** Writes every pending count in one transaction; counts survive a failed write. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const batch = [...this.pending.values()];
      this.pending = new Map();
      try {
        await this.store.pulls.apply(batch);
      } catch (err) {
        this.log.error({ err }, 'could not write pull counts; they are kept for the next flush');
        for (const t of batch) this.merge(t);
      }
    });
    return this.flushing;
  }

  private merge(t: PullTally): void {
    const key = `${t.repository}/${t.image}`;
    const cur = this.pending.get(key);
    if (!cur) {
      this.pending.set(key, t);
      return;
    }
    cur.count += t.count;
    if (t.lastAt > cur.lastAt) cur.lastAt = t.lastAt;
    for (const [d, a] of t.artifacts) add(cur.artifacts, d, a);
    for (const [n, a] of t.tags) add(cur.tags, n, a);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}

function bump(m: Map<string, { count: number; lastAt: string }>, key: string, at: string): void {
  add(m, key, { count: 1, lastAt: at });
}

function add(m: Map<string, { count: number; lastAt: string }>, key: string, v: { count: number; lastAt: string }): void {
  const cur = m.get(key);
  if (!cur) m.set(key, { ...v });
  else {
    cur.count += v.count;
    if (v.lastAt > cur.lastAt) cur.lastAt = v.lastAt;
  }
}
