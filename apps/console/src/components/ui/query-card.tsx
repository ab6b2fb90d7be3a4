import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { ErrorState } from './error-state';
import { Spinner } from './spinner';

/**
 * A details card whose body is one query's data: its heading, then a spinner while the
 * query loads, the error with Retry when it fails, else `children(data)`. `intro` sits
 * under the heading whatever the query's state.
 */
export function QueryCard<T>({ id, title, intro, testId, query, children }: { id: string; title: ReactNode; intro?: ReactNode; testId: string; query: UseQueryResult<T>; children: (data: T, updatedAt: number) => ReactNode }) {
  const heading = (
    <h2 id={id} className="section-title">
      {title}
    </h2>
  );
  return (
    <section className="details-card" aria-labelledby={id} data-testid={testId}>
      {intro === undefined ? (
        heading
      ) : (
        <div>
          {heading}
          {intro}
        </div>
      )}
      {query.isPending ? <Spinner block /> : query.isError ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : children(query.data, query.dataUpdatedAt)}
    </section>
  );
}
