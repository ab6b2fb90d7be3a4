import { useEffect } from 'react';

/** Sets the tab title to "<page> · Berth" while the page is shown (WCAG 2.4.2). */
export function useDocumentTitle(page: string | undefined): void {
  useEffect(() => {
    document.title = page ? `${page} · Berth` : 'Berth';
  }, [page]);
}
