import { describe, expect, it } from 'vitest';
import { lockVerdict, type LockState, type ManifestChange } from './locks.ts';

const open: LockState = { imageLocked: false, lockedTags: new Set() };
const imageLock: LockState = { imageLocked: true, lockedTags: new Set() };
const tagLock: LockState = { imageLocked: false, lockedTags: new Set(['v1']) };

const pushNew: ManifestChange = { kind: 'push', tag: 'v2', digest: 'sha256:b', currentDigest: null };
const pushMove: ManifestChange = { kind: 'push', tag: 'v1', digest: 'sha256:b', currentDigest: 'sha256:a' };
const pushSame: ManifestChange = { kind: 'push', tag: 'v1', digest: 'sha256:a', currentDigest: 'sha256:a' };
const pushOther: ManifestChange = { kind: 'push', tag: 'latest', digest: 'sha256:b', currentDigest: 'sha256:a' };
const pushDigest: ManifestChange = { kind: 'push', tag: null, digest: 'sha256:b', currentDigest: null };
const deleteV1: ManifestChange = { kind: 'delete-tag', tag: 'v1' };
const deleteLatest: ManifestChange = { kind: 'delete-tag', tag: 'latest' };
const deleteCarrier: ManifestChange = { kind: 'delete-artifact', digest: 'sha256:a', tags: ['latest', 'v1'] };
const deleteOther: ManifestChange = { kind: 'delete-artifact', digest: 'sha256:c', tags: ['old'] };
const deleteUntagged: ManifestChange = { kind: 'delete-artifact', digest: 'sha256:d', tags: [] };
const update: ManifestChange = { kind: 'update-image' };

describe('lockVerdict', () => {
  it.each([
    ['no lock, new tag', open, pushNew, null],
    ['no lock, delete', open, deleteCarrier, null],
    ['image lock, new tag', imageLock, pushNew, 'image'],
    ['image lock, existing tag', imageLock, pushSame, 'image'],
    ['image lock, push by digest', imageLock, pushDigest, 'image'],
    ['image lock, delete tag', imageLock, deleteLatest, 'image'],
    ['image lock, delete untagged artifact', imageLock, deleteUntagged, 'image'],
    ['image lock, settings change', imageLock, update, null],
    ['tag lock, move the tag', tagLock, pushMove, 'tag'],
    ['tag lock, re-push the same digest', tagLock, pushSame, null],
    ['tag lock, another tag moves', tagLock, pushOther, null],
    ['tag lock, new tag', tagLock, pushNew, null],
    ['tag lock, push by digest', tagLock, pushDigest, null],
    ['tag lock, delete the tag', tagLock, deleteV1, 'tag'],
    ['tag lock, delete another tag', tagLock, deleteLatest, null],
    ['tag lock, delete the artifact carrying it', tagLock, deleteCarrier, 'tag'],
    ['tag lock, delete another artifact', tagLock, deleteOther, null],
    ['tag lock, settings change', tagLock, update, null],
  ] as const)('%s', (_label, state, change, locked) => {
    expect(lockVerdict(state, change)?.locked ?? null).toBe(locked);
  });

  it('words the refusal with the image and the tag', () => {
    expect(lockVerdict(imageLock, pushNew, 'team/app')).toEqual({ locked: 'image', message: 'image team/app is locked' });
    expect(lockVerdict(tagLock, pushMove, 'team/app')).toEqual({ locked: 'tag', tag: 'v1', message: 'tag v1 of team/app is locked' });
    expect(lockVerdict(tagLock, deleteCarrier, 'team/app')).toEqual({ locked: 'tag', tag: 'v1', message: 'tag v1 of team/app is locked' });
    expect(lockVerdict(tagLock, deleteV1)?.message).toBe('tag v1 is locked');
    expect(lockVerdict(imageLock, deleteV1)?.message).toBe('the image is locked');
  });

  it('refuses a locked tag the image has lost track of rather than let a push claim it', () => {
    expect(lockVerdict(tagLock, { kind: 'push', tag: 'v1', digest: 'sha256:b', currentDigest: null })?.locked).toBe('tag');
  });
});
