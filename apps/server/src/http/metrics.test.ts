import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '@berth/store';
import { Metrics } from './metrics.ts';

describe('store call metrics', () => {
  it('times each call as <aggregate>.<method>, inside a transaction too', async () => {
    const metrics = new Metrics();
    const store = metrics.timeStore(createSqliteStore(':memory:'));
    try {
      await store.migrate();
      await store.settings.put('k', 'v');
      expect(await store.transaction(async (tx) => tx.settings.get('k'))).toBe('v');
      const count = async (method: string) =>
        (await metrics.storeDuration.get()).values.find((v) => v.metricName === 'berth_store_duration_seconds_count' && v.labels.method === method)?.value;
      expect(await count('migrate')).toBe(1);
      expect(await count('settings.put')).toBe(1);
      expect(await count('settings.get')).toBe(1);
      expect(await count('transaction')).toBe(1);
    } finally {
      await store.close();
    }
  });
});
