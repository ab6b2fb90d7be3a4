import { describe, expect, it } from 'vitest';
import { ApiError } from './api-client';
import { deleteErrorMessage, referrerOf } from './delete-error';
import { i18next } from './i18n';

const t = i18next.getFixedT('en');
const vi = i18next.getFixedT('vi');
const child = `sha256:${'ab'.repeat(32)}`;
const index = `sha256:${'cd'.repeat(32)}`;

describe('deleteErrorMessage', () => {
  it('says which index lists a referenced artifact, or which referrer refers to it', () => {
    const error = new ApiError(409, 'REFERENCED', 'referenced', { referrer: index });
    expect(deleteErrorMessage(t, error, { digest: child, referrerKind: () => 'index' })).toBe(
      'sha256:abababababab is listed by index sha256:cdcdcdcdcdcd; delete that first.',
    );
    expect(deleteErrorMessage(t, error, { digest: child, referrerKind: () => 'referrer' })).toMatch(/^sha256:abababababab is referred to by sha256:cdcdcdcdcdcd \(a signature/);
    expect(deleteErrorMessage(t, error, { digest: child })).toBe('sha256:abababababab is referenced by sha256:cdcdcdcdcdcd; delete that first.');
    expect(deleteErrorMessage(t, new ApiError(409, 'REFERENCED', 'x'), { digest: child })).toBe('sha256:abababababab is referenced by another artifact; delete that first.');
    // The server's own word on the kind of reference wins over the list's.
    const kinded = new ApiError(409, 'REFERENCED', 'referenced', { referrer: index, kind: 'index-child' });
    expect(deleteErrorMessage(t, kinded, { digest: child, referrerKind: () => 'referrer' })).toMatch(/is listed by index/);
  });

  it('names the locked tags, or the image lock', () => {
    const locked = new ApiError(409, 'LOCKED', 'tag 1.0 is locked');
    expect(deleteErrorMessage(t, locked, { lockedTags: ['1.0'] })).toBe('Tag 1.0 is locked: unlock it first.');
    expect(deleteErrorMessage(t, locked, { lockedTags: ['1.0', 'stable'] })).toBe('Tags 1.0, stable are locked: unlock them first.');
    expect(deleteErrorMessage(t, locked, { imageLocked: true })).toBe('The image is locked: unlock it on the Details tab first.');
    expect(deleteErrorMessage(vi, locked, { imageLocked: true })).toBe('Image đang bị khóa: hãy mở khóa ở thẻ Chi tiết trước.');
    // What the server names in `details` wins over the list, which may be behind.
    expect(deleteErrorMessage(t, new ApiError(409, 'LOCKED', 'x', { locked: 'tag', tag: 'pinned' }), { lockedTags: ['1.0'] })).toBe('Tag pinned is locked: unlock it first.');
    expect(deleteErrorMessage(t, new ApiError(409, 'LOCKED', 'x', { locked: 'image' }))).toMatch(/^The image is locked/);
  });

  it('says a registry refusal leaves the content Inactive, and that only delete may be retried', () => {
    expect(deleteErrorMessage(t, new ApiError(502, 'UPSTREAM_REFUSED', 'no'))).toMatch(/Inactive\. Only delete may be retried\.$/);
    // A lock change on what is Deleting or Inactive is BUSY: only delete may be retried.
    expect(deleteErrorMessage(t, new ApiError(409, 'BUSY', 'x'), { change: 'lock' })).toBe('It is being deleted, or its delete failed: only delete may be retried.');
    expect(deleteErrorMessage(t, new ApiError(409, 'BUSY', 'x'))).toBe('A delete of it is already under way.');
  });

  it('keeps the server’s words for other errors', () => {
    expect(deleteErrorMessage(t, new ApiError(400, 'VALIDATION_FAILED', 'the request is not valid'))).toBe('the request is not valid');
    expect(deleteErrorMessage(t, new Error('boom'))).toBe('boom');
    expect(deleteErrorMessage(t, 'what')).toBe('Something went wrong.');
  });

  it('reads the referrer from the details of a REFERENCED answer only when it is a string', () => {
    expect(referrerOf({ referrer: index })).toBe(index);
    expect(referrerOf({ referrer: 3 })).toBeUndefined();
    expect(referrerOf(undefined)).toBeUndefined();
  });
});
