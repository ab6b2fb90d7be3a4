import { describe, expect, it } from 'vitest';
import {
  disabledPolicy,
  effectivePolicy,
  evaluateDeletionPolicy,
  isDeleteReason,
  validateDeletionPolicy,
  type DeletionPolicy,
  type PolicyResult,
  type PolicyVerdict,
} from './deletion-policy.ts';
import { artifact } from './fixtures.ts';
import type { PolicyArtifact } from './references.ts';

const NOW = '2024-03-01T00:00:00.000Z';
const DAY = 86_400_000;
/** `days` days (and `ms` milliseconds more) before NOW. */
const ago = (days: number, ms = 0) => new Date(Date.parse(NOW) - days * DAY - ms).toISOString();
const policy = (p: Partial<DeletionPolicy> = {}): DeletionPolicy => ({ ...disabledPolicy(), enabled: true, ...p });
const run = (p: Partial<DeletionPolicy>, artifacts: PolicyArtifact[], imageLocked = false): PolicyResult =>
  evaluateDeletionPolicy({ now: NOW, policy: policy(p), imageLocked, artifacts });
/** `digest[:tag] reason[ (detail)]`, one string per verdict. */
const show = (verdicts: PolicyVerdict[]) => verdicts.map((v) => `${v.digest}${v.tag === undefined ? '' : `:${v.tag}`} ${v.reason}${v.detail === undefined ? '' : ` (${v.detail})`}`);
const shown = (r: PolicyResult) => ({ delete: show(r.delete), keep: show(r.keep) });

describe('delete rules', () => {
  it.each([
    ['untagged: an untagged artifact goes, a tagged one stays', { untagged: true }, { delete: ['a untagged'], keep: ['b:v1 no-rule-matched'] }],
    ['no rule: both stay', {}, { delete: [], keep: ['a no-rule-matched', 'b:v1 no-rule-matched'] }],
    ['older than 1 day: both go, tags and all', { olderThanDays: 1 }, { delete: ['a older-than', 'b:v1 older-than'], keep: [] }],
    ['untagged is reported before older-than', { untagged: true, olderThanDays: 1 }, { delete: ['a untagged', 'b:v1 older-than'], keep: [] }],
  ])('%s', (_label, p, expected) => {
    const r = run(p, [artifact('a', { pushedAt: ago(10) }), artifact('b', { pushedAt: ago(10), tags: ['v1'] })]);
    expect(shown(r)).toEqual(expected);
  });

  it.each([
    ['one millisecond more than 30 days', ago(30, 1), 'delete'],
    ['exactly 30 days', ago(30), 'keep'],
    ['one millisecond less than 30 days', ago(30, -1), 'keep'],
    ['pushed in the future (clock skew)', ago(-1), 'keep'],
  ])('older than 30 days, pushed %s ago: %s', (_label, pushedAt, side) => {
    const r = run({ olderThanDays: 30 }, [artifact('a', { pushedAt, tags: ['v1'] })]);
    expect(r[side === 'delete' ? 'keep' : 'delete']).toEqual([]);
    expect(r[side as 'delete' | 'keep'][0]!.reason).toBe(side === 'delete' ? 'older-than' : 'no-rule-matched');
  });

  it('ignores enabled: a disabled policy evaluates the same (the caller decides whether a run happens)', () => {
    const artifacts = [artifact('a', { pushedAt: ago(40) }), artifact('b', { pushedAt: ago(1), tags: ['v1'] })];
    const on = evaluateDeletionPolicy({ now: NOW, policy: policy({ untagged: true, olderThanDays: 30 }), imageLocked: false, artifacts });
    const off = evaluateDeletionPolicy({ now: NOW, policy: policy({ enabled: false, untagged: true, olderThanDays: 30 }), imageLocked: false, artifacts });
    expect(off).toEqual(on);
    expect(on.delete).toHaveLength(1);
  });

  it('takes now as a Date as well as a string', () => {
    const artifacts = [artifact('a', { pushedAt: ago(30, 1) })];
    const p = policy({ olderThanDays: 30 });
    expect(evaluateDeletionPolicy({ now: new Date(NOW), policy: p, imageLocked: false, artifacts })).toEqual(
      evaluateDeletionPolicy({ now: NOW, policy: p, imageLocked: false, artifacts }),
    );
  });
});

describe('keep rules win, first that applies reported', () => {
  const old = ago(100);
  it.each([
    ['image lock over a locked tag', true, { tags: ['x'], locked: ['v1'] }, ['a:v1 image-locked', 'a:x image-locked']],
    ['image lock on an untagged artifact', true, {}, ['a image-locked']],
    ['tag lock over a pattern', false, { tags: ['release-1'], locked: ['v1'] }, ['a:release-1 keep-pattern (release-*)', 'a:v1 tag-locked (v1)']],
    ['tag lock, the other tag shares the digest', false, { tags: ['latest'], locked: ['v1'] }, ['a:latest shares-digest (v1)', 'a:v1 tag-locked (v1)']],
    ['two locked tags each report their own lock', false, { locked: ['v1', 'v2'] }, ['a:v1 tag-locked (v1)', 'a:v2 tag-locked (v2)']],
    ['pattern over a recent pull', false, { tags: ['latest', 'release-2'], pulledAt: ago(1) }, ['a:latest shares-digest (release-2)', 'a:release-2 keep-pattern (release-*)']],
    ['recent pull over newest, on every tag', false, { tags: ['latest', 'x'], pulledAt: ago(1) }, ['a:latest pulled-recently', 'a:x pulled-recently']],
    ['newest when nothing else applies', false, { tags: ['latest'] }, ['a:latest newest (1 of 1)']],
  ])('%s', (_label, imageLocked, fields, keep) => {
    const r = run(
      { untagged: true, olderThanDays: 1, keepTagPatterns: ['release-*'], keepPulledWithinDays: 7, keepNewest: 1 },
      [artifact('a', { pushedAt: old, ...fields })],
      imageLocked,
    );
    expect(shown(r)).toEqual({ delete: [], keep });
    expect(r.bytes).toBe(0);
  });

  it('keeps the image whole when locked, references and all', () => {
    const r = run({ untagged: true, olderThanDays: 1 }, [artifact('i', { pushedAt: old, children: ['c'] }), artifact('c', { pushedAt: old }), artifact('s', { subject: 'c', pushedAt: old })], true);
    expect(shown(r)).toEqual({ delete: [], keep: ['c image-locked', 'i image-locked', 's image-locked'] });
  });

  it.each([
    ['exactly 7 days ago', ago(7), 'pulled-recently'],
    ['7 days and 1 ms ago', ago(7, 1), 'older-than'],
    ['never', null, 'older-than'],
  ])('keeps what was pulled in the last 7 days: pulled %s', (_label, pulledAt, reason) => {
    const r = run({ olderThanDays: 30, keepPulledWithinDays: 7 }, [artifact('a', { pushedAt: old, pulledAt })]);
    expect([...r.delete, ...r.keep].map((v) => v.reason)).toEqual([reason]);
  });

  it('ranks the newest K top-level artifacts by first push, ties by digest, and nothing below them', () => {
    const r = run({ olderThanDays: 1, keepNewest: 3 }, [
      artifact('d', { pushedAt: ago(10) }),
      artifact('c', { pushedAt: ago(5) }),
      artifact('b', { pushedAt: ago(5) }),
      artifact('e', { pushedAt: ago(20), tags: ['old'] }),
      artifact('a', { pushedAt: ago(2), children: ['child'] }),
      artifact('child', { pushedAt: ago(1) }), // newest of all, but not top-level
      artifact('x', { pushedAt: ago(10) }),
    ]);
    expect(shown(r)).toEqual({
      delete: ['e:old older-than', 'd older-than', 'x older-than'],
      keep: ['b newest (2 of 3)', 'c newest (3 of 3)', 'a newest (1 of 3)', 'child referenced-by (a)'],
    });
  });
});

describe('references', () => {
  const old = ago(100);
  const index = (digest: string, children: string[], fields: Parameters<typeof artifact>[1] = {}) => artifact(digest, { pushedAt: old, children, ...fields });
  const image = (digest: string, fields: Parameters<typeof artifact>[1] = {}) => artifact(digest, { pushedAt: old, ...fields });

  it.each([
    [
      'a kept index keeps its untagged platform images and their signatures',
      { untagged: true },
      [index('i', ['amd64', 'arm64'], { tags: ['1.0'] }), image('amd64'), image('arm64'), image('sig', { subject: 'amd64' })],
      { delete: [], keep: ['amd64 referenced-by (i)', 'arm64 referenced-by (i)', 'i:1.0 no-rule-matched', 'sig referrer-of-kept (amd64)'] },
    ],
    [
      'a deleted index takes its platform images and their signatures, not one a kept index lists',
      { untagged: true },
      [index('i', ['amd64', 'arm64']), index('j', ['amd64'], { tags: ['2.0'] }), image('amd64'), image('arm64'), image('sig', { subject: 'arm64' })],
      { delete: ['arm64 child-of-deleted (i)', 'i untagged', 'sig subject-deleted (arm64)'], keep: ['amd64 referenced-by (j)', 'j:2.0 no-rule-matched'] },
    ],
    [
      'the untagged rule leaves the untagged signature of a kept image',
      { untagged: true },
      [image('app', { tags: ['v1'] }), image('sig', { subject: 'app' }), image('sbom', { subject: 'sig' })],
      { delete: [], keep: ['app:v1 no-rule-matched', 'sbom referrer-of-kept (sig)', 'sig referrer-of-kept (app)'] },
    ],
    [
      'a deleted image takes its signatures',
      { olderThanDays: 30 },
      [image('app', { tags: ['v1'] }), image('sig', { subject: 'app', pushedAt: ago(1) })],
      { delete: ['app:v1 older-than', 'sig subject-deleted (app)'], keep: [] },
    ],
    [
      'a kept signature keeps its old image, and the image its other signature',
      { olderThanDays: 30 },
      [image('app'), image('sig', { subject: 'app', locked: ['sha256-app.sig'] }), image('att', { subject: 'app' })],
      { delete: [], keep: ['app referenced-by (sig)', 'att referrer-of-kept (app)', 'sig:sha256-app.sig tag-locked (sha256-app.sig)'] },
    ],
    [
      'a kept platform image does not keep its index',
      { olderThanDays: 30, keepPulledWithinDays: 7 },
      [index('i', ['amd64', 'arm64']), image('amd64', { pulledAt: ago(1) }), image('arm64')],
      { delete: ['arm64 child-of-deleted (i)', 'i older-than'], keep: ['amd64 pulled-recently'] },
    ],
    [
      'a tagged platform image of a deleted index is judged on its own: young, it stays',
      { untagged: true, olderThanDays: 30 },
      [index('i', ['amd64', 'arm64']), image('amd64', { tags: ['1.0-amd64'], pushedAt: ago(1) }), image('arm64', { tags: ['1.0-arm64'] })],
      { delete: ['arm64:1.0-arm64 child-of-deleted (i)', 'i untagged'], keep: ['amd64:1.0-amd64 no-rule-matched'] },
    ],
    [
      'a tagged platform image of a deleted index stays when only the untagged rule applies',
      { untagged: true },
      [index('i', ['amd64']), image('amd64', { tags: ['1.0-amd64'] })],
      { delete: ['i untagged'], keep: ['amd64:1.0-amd64 no-rule-matched'] },
    ],
    [
      'an index listing a kept pattern tag keeps its platform images by that pattern',
      { olderThanDays: 30, keepTagPatterns: ['release-*'] },
      [index('i', ['amd64'], { tags: ['release-1', 'latest'] }), image('amd64')],
      { delete: [], keep: ['amd64 referenced-by (i)', 'i:latest shares-digest (release-1)', 'i:release-1 keep-pattern (release-*)'] },
    ],
    [
      'a referrer whose subject is gone, and a child whose index is gone, are top-level',
      { untagged: true },
      [image('sig', { subject: 'elsewhere' }), image('child-of-nothing')],
      { delete: ['child-of-nothing untagged', 'sig untagged'], keep: [] },
    ],
    [
      'an index of indexes takes its whole tree',
      { untagged: true },
      [index('top', ['mid']), index('mid', ['leaf']), image('leaf'), image('leaf-sig', { subject: 'leaf' })],
      { delete: ['leaf child-of-deleted (mid)', 'leaf-sig subject-deleted (leaf)', 'mid child-of-deleted (top)', 'top untagged'], keep: [] },
    ],
  ])('%s', (_label, p, artifacts, expected) => {
    expect(shown(run(p, artifacts))).toEqual(expected);
  });

  it('names the same referrer whatever the input order: the first kept by first push, then digest', () => {
    const artifacts = [index('j', ['p'], { tags: ['2.0'], pushedAt: ago(5) }), index('i', ['p'], { tags: ['1.0'], pushedAt: ago(9) }), image('p')];
    for (const input of [artifacts, [...artifacts].reverse()]) expect(show(run({}, input).keep)).toContain('p referenced-by (i)');
  });
});

describe('the result', () => {
  it('sorts both lists by first push, digest and tag whatever the input order, and counts each deleted digest once whatever its tags', () => {
    const artifacts = [
      artifact('b', { pushedAt: ago(40), tags: ['z', 'a', 'm'], size: 1000 }),
      artifact('a', { pushedAt: ago(40), size: 10 }),
      artifact('c', { pushedAt: ago(50), tags: ['only'], size: 1 }),
      artifact('d', { pushedAt: ago(1), tags: ['y', 'x'] }),
    ];
    const expected = {
      delete: ['c:only older-than', 'a older-than', 'b:a older-than', 'b:m older-than', 'b:z older-than'],
      keep: ['d:x no-rule-matched', 'd:y no-rule-matched'],
    };
    const r = run({ olderThanDays: 30 }, artifacts);
    expect(shown(r)).toEqual(expected);
    expect(r.bytes).toBe(1011);
    expect(shown(run({ olderThanDays: 30 }, [...artifacts].reverse()))).toEqual(expected);
  });

  it.each([
    ['an invalid policy', { olderThanDays: 0 }, NOW, /olderThanDays/],
    ['an invalid now', {}, 'yesterday', /now is not a valid date/],
  ])('refuses %s', (_label, p, now, message) => {
    expect(() => evaluateDeletionPolicy({ now, policy: policy(p), imageLocked: false, artifacts: [] })).toThrow(message);
  });

  it('refuses an artifact with an invalid push time rather than guess its age', () => {
    expect(() => run({}, [artifact('a', { pushedAt: 'soon' })])).toThrow(/pushedAt of a/);
  });

  it.each([
    ['untagged', true],
    ['older-than', true],
    ['child-of-deleted', true],
    ['subject-deleted', true],
    ['shares-digest', false],
    ['no-rule-matched', false],
    ['referenced-by', false],
  ] as const)('%s deletes: %s', (reason, deletes) => {
    expect(isDeleteReason(reason)).toBe(deletes);
  });

  it('evaluates 100,000 tags on 100,000 artifacts', () => {
    const n = 100_000;
    const start = Date.parse('2020-01-01T00:00:00.000Z');
    const artifacts: PolicyArtifact[] = [];
    for (let i = 0; i < n; i++) {
      const tag = i % 10 === 0 ? `release-${i}` : i % 10 === 1 ? `v${i}-rc` : `build-${i}`;
      artifacts.push({
        digest: `sha256:${i.toString(16).padStart(64, '0')}`,
        size: 1000,
        pushedAt: new Date(start + i * 60_000).toISOString(), // one a minute: ~69 days from the first to the last
        pulledAt: i % 100 === 5 ? NOW : null,
        tags: [{ name: tag, locked: i % 1000 === 2 }],
        children: [],
        subject: null,
      });
    }
    const now = new Date(start + n * 60_000).toISOString();
    const p = policy({ untagged: true, olderThanDays: 30, keepNewest: 10, keepPulledWithinDays: 7, keepTagPatterns: ['release-*', 'v*-rc', 'nightly-??'] });
    const t0 = performance.now();
    const r = evaluateDeletionPolicy({ now, policy: p, imageLocked: false, artifacts });
    const ms = performance.now() - t0;
    console.log(`evaluateDeletionPolicy: ${n} artifacts in ${ms.toFixed(0)} ms`);

    // Older than 30 days: the first 100,000 − 43,200 (the last 43,200 minutes are 30 days; the one exactly 30 days old stays).
    const old = n - 30 * 24 * 60;
    const keptOld = (i: number) => i % 10 === 0 || i % 10 === 1 || i % 100 === 5 || i % 1000 === 2;
    let expectedDeleted = 0;
    for (let i = 0; i < old; i++) if (!keptOld(i)) expectedDeleted++;
    expect(r.delete).toHaveLength(expectedDeleted);
    expect(r.keep).toHaveLength(n - expectedDeleted);
    expect(r.bytes).toBe(expectedDeleted * 1000);
    const count = (reason: string) => r.keep.filter((v) => v.reason === reason).length;
    expect(count('tag-locked')).toBe(100);
    // Locked tags (i % 1000 = 2) and recent pulls (i % 100 = 5) are on build-* tags, so each rule counts on its own.
    expect(count('keep-pattern')).toBe(20_000);
    expect(count('pulled-recently')).toBe(1000);
    expect(count('newest')).toBe(8); // the newest 10 less the release-* and v*-rc ones among them
    expect(count('no-rule-matched')).toBe(r.keep.length - 100 - 20_000 - 1000 - 8);
    expect(r.keep.find((v) => v.reason === 'newest')).toMatchObject({ tag: 'build-99992', detail: '8 of 10' });
  });
});

describe('validateDeletionPolicy', () => {
  it.each([
    ['a disabled empty policy', {}, []],
    ['the bounds themselves', { olderThanDays: 3650, keepNewest: 10_000, keepPulledWithinDays: 1, keepTagPatterns: ['v?.*', 'a'.repeat(128)] }, []],
    ['0 days', { olderThanDays: 0 }, ['olderThanDays']],
    ['3651 days', { olderThanDays: 3651 }, ['olderThanDays']],
    ['1.5 days', { olderThanDays: 1.5 }, ['olderThanDays']],
    ['NaN newest', { keepNewest: Number.NaN }, ['keepNewest']],
    ['10,001 newest', { keepNewest: 10_001 }, ['keepNewest']],
    ['0 days since pull', { keepPulledWithinDays: 0 }, ['keepPulledWithinDays']],
    ['21 patterns', { keepTagPatterns: Array.from({ length: 21 }, (_, i) => `p${i}`) }, ['keepTagPatterns']],
    ['an empty pattern', { keepTagPatterns: ['ok', ''] }, ['keepTagPatterns.1']],
    ['a 129-character pattern', { keepTagPatterns: ['a'.repeat(129)] }, ['keepTagPatterns.0']],
    ['a pattern with a slash or a space', { keepTagPatterns: ['a/b', 'a b', 'ok-1.*'] }, ['keepTagPatterns.0', 'keepTagPatterns.1']],
  ])('%s', (_label, p, fields) => {
    expect(validateDeletionPolicy(policy(p)).map((e) => e.field)).toEqual(fields);
  });

  it('words a range problem for the form', () => {
    expect(validateDeletionPolicy(policy({ keepNewest: 0 }))).toEqual([{ field: 'keepNewest', message: 'Newest artifacts to keep must be a whole number from 1 to 10000.' }]);
  });
});

describe('effectivePolicy', () => {
  const own = policy({ untagged: true });
  const repo = policy({ olderThanDays: 90 });
  const optedOut = policy({ enabled: false });
  it.each([
    ['the image’s own', own, repo, own, 'image'],
    ['the image’s own even when disabled (opting out of the default)', optedOut, repo, optedOut, 'image'],
    ['the repository default', null, repo, repo, 'repository'],
    ['a disabled empty policy', null, null, disabledPolicy(), 'none'],
  ] as const)('uses %s', (_label, image, repository, expected, source) => {
    expect(effectivePolicy(image, repository)).toEqual({ policy: expected, source });
  });
});
