import type { ReactNode } from 'react';

/**
 * A short list of what an action concerns (the tags that go, what a run deletes), boxed and
 * scrolling when long; it can be focused, so keyboard users scroll it too, and `label` names it.
 */
export function ItemList({ label, testId, children }: { label: string; testId?: string; children: ReactNode }) {
  return (
    // A scrolling region must be reachable by keyboard (axe: scrollable-region-focusable).
    <ul className="item-list" tabIndex={0} aria-label={label} data-testid={testId}>
      {children}
    </ul>
  );
}
