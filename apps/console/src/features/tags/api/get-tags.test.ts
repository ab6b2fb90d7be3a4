import { describe, expect, it } from 'vitest';
import type { Page, Tag } from '@berth/api';
import { scanPending } from './get-tags';

const tag = (name: string, status?: NonNullable<Tag['scan']>['status']): Tag => ({
  name,
  digest: `sha256:${'ab'.repeat(32)}`,
  status: 'Active',
  locked: false,
  pushedAt: '2026-12-01T00:00:00Z',
  pulledAt: null,
  pullCount: 0,
  ...(status ? { scan: { status, scannedAt: null, summary: { critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0 }, pullRefusal: null } } : {}),
});
const pages = (...items: Tag[][]): Page<Tag>[] => items.map((i) => ({ items: i, nextCursor: null }));

describe('scanPending', () => {
  it('is true while any shown tag’s scan is queued or running, on any page', () => {
    expect(scanPending(pages([tag('a', 'done')], [tag('b', 'scanning')]))).toBe(true);
    expect(scanPending(pages([tag('a', 'queued')]))).toBe(true);
    expect(scanPending(pages([tag('a', 'done'), tag('b', 'failed'), tag('c')]))).toBe(false);
    expect(scanPending(undefined)).toBe(false);
  });
});
