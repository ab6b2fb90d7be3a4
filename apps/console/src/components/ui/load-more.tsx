import { useTranslation } from '@/lib/use-translation';
import { Button } from './button';

/** The footer of a cursor-paged list: how many are shown and a "Load more" button. */
export function LoadMore({ shown, hasMore, loading, onLoadMore }: { shown: number; hasMore: boolean; loading: boolean; onLoadMore: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="load-more">
      <span className="muted" aria-live="polite">
        {hasMore ? t('list.shownMore', { count: shown }) : t('list.shownAll', { count: shown })}
      </span>
      {hasMore && (
        <Button onClick={onLoadMore} busy={loading}>
          {t('list.loadMore')}
        </Button>
      )}
    </div>
  );
}
