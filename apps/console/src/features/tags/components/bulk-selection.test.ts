import { describe, expect, it } from 'vitest';
import { MAX_BULK_TAGS as API_MAX_BULK_TAGS, deleteTagsRequest } from '@berth/api';
import { bulkDeleteState, countOutcomes, MAX_BULK_TAGS, selectedTags, withoutGone } from './bulk-selection';

describe('bulk tag selection', () => {
  it('is limited as the API is: 50 tags may go at once, 51 may not', () => {
    expect(MAX_BULK_TAGS).toBe(API_MAX_BULK_TAGS);
    const names = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
    expect(bulkDeleteState(50)).toEqual({ canDelete: true, tooMany: false });
    expect(deleteTagsRequest.safeParse({ tags: names(50) }).success).toBe(true);
    expect(bulkDeleteState(51)).toEqual({ canDelete: false, tooMany: true });
    expect(deleteTagsRequest.safeParse({ tags: names(51) }).success).toBe(false);
    expect(bulkDeleteState(0)).toEqual({ canDelete: false, tooMany: false });
  });

  it('lists the selected tags only, in the order they were chosen', () => {
    expect(selectedTags({ b: true, a: false, c: true })).toEqual(['b', 'c']);
  });

  it('counts outcomes and keeps only the refused tags selected', () => {
    const results = [
      { tag: 'a', outcome: 'deleted' as const },
      { tag: 'b', outcome: 'refused' as const, message: 'locked' },
      { tag: 'c', outcome: 'absent' as const },
    ];
    expect(countOutcomes(results)).toEqual({ deleted: 1, refused: 1, absent: 1 });
    expect(withoutGone({ a: true, b: true, c: true, d: true }, results)).toEqual({ b: true, d: true });
  });
});
