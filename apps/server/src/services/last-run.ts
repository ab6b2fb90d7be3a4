import type { ZodType } from 'zod';
import type { Store } from '@berth/store';

/**
 * The last run of a registry task (a sync, a garbage collection), kept in the store's
 * settings as JSON so the registry page shows it after a reload, on any instance.
 */
export class LastRun<T> {
  constructor(
    private readonly store: Store,
    private readonly key: string,
    private readonly schema: ZodType<T>,
  ) {}

  /** The record, or null when there is none (or it no longer reads as one: it is replaced by the next run). */
  async get(): Promise<T | null> {
    const raw = await this.store.settings.get(this.key);
    if (raw === null) return null;
    try {
      const parsed = this.schema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  put(record: T): Promise<void> {
    return this.store.settings.put(this.key, JSON.stringify(record));
  }
}
