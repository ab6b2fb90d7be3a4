import { describe, expect, it } from 'vitest';
import { dailyPolicyJob, followingPolicyJob, nextDailyRun } from './deletion-policies.ts';

describe('the daily deletion-policy run', () => {
  it.each([
    ['2026-12-03T02:59:59.999Z', '03:00', '2026-12-03T03:00:00.000Z'],
    ['2026-12-03T03:00:00.000Z', '03:00', '2026-12-04T03:00:00.000Z'],
    ['2026-12-31T23:30:00.000Z', '00:15', '2027-01-01T00:15:00.000Z'],
  ])('after %s at %s is %s', (now, at, next) => {
    expect(nextDailyRun(new Date(now), at).toISOString()).toBe(next);
  });

  it('is one job per day, by its key, whichever instance queues it', () => {
    const a = dailyPolicyJob(new Date('2026-12-03T01:00:00.000Z'), '03:00');
    const b = dailyPolicyJob(new Date('2026-12-03T02:30:00.000Z'), '03:00');
    expect(a).toEqual(b);
    expect(a).toMatchObject({ kind: 'deletion-policy.daily', dedupeKey: 'deletion-policy.daily:2026-12-03', runAt: '2026-12-03T03:00:00.000Z' });
  });

  it('queues the day after its own, even when it ran early or late, and skips missed days', () => {
    const today = { dedupeKey: 'deletion-policy.daily:2026-12-04' };
    // Run ahead of its time (an admin moved it), or at it: the next is the day after its own.
    expect(followingPolicyJob(today, '03:00', new Date('2026-12-03T10:00:00.000Z')).dedupeKey).toBe('deletion-policy.daily:2026-12-05');
    expect(followingPolicyJob(today, '03:00', new Date('2026-12-04T03:00:01.000Z')).dedupeKey).toBe('deletion-policy.daily:2026-12-05');
    // Run days late: the next one from now.
    expect(followingPolicyJob(today, '03:00', new Date('2026-12-09T12:00:00.000Z')).runAt).toBe('2026-12-10T03:00:00.000Z');
  });
});
