import type { RowSelectionState } from '@tanstack/react-table';
import type { DeleteOutcome, TagDeleteResult } from '@berth/api';

/** Most tags one bulk delete takes (the API's `MAX_BULK_TAGS`): more is refused whole. */
export const MAX_BULK_TAGS = 50;

/** The selected tag names, in the order they were selected. */
export function selectedTags(selection: RowSelectionState): string[] {
  return Object.entries(selection)
    .filter(([, on]) => on)
    .map(([name]) => name);
}

/** What the bulk Delete button may do with `count` selected tags: delete them, or not (none, or over the limit). */
export function bulkDeleteState(count: number): { canDelete: boolean; tooMany: boolean } {
  const tooMany = count > MAX_BULK_TAGS;
  return { canDelete: count > 0 && !tooMany, tooMany };
}

/** How many tags each outcome had. */
export function countOutcomes(results: readonly TagDeleteResult[]): Record<DeleteOutcome, number> {
  const counts: Record<DeleteOutcome, number> = { deleted: 0, refused: 0, absent: 0 };
  for (const r of results) counts[r.outcome]++;
  return counts;
}

/** The selection without the tags that are gone (deleted, or not there). */
export function withoutGone(selection: RowSelectionState, results: readonly TagDeleteResult[]): RowSelectionState {
  const gone = new Set(results.filter((r) => r.outcome !== 'refused').map((r) => r.tag));
  return Object.fromEntries(Object.entries(selection).filter(([name, on]) => on && !gone.has(name)));
}
