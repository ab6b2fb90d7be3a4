import { useTranslation } from '@/lib/use-translation';
import { isApiError } from '@/lib/api-client';
import { Button } from './button';

/** A failed load: what went wrong, in the server's words when it said, and a Retry. */
export function ErrorState({ error, title, onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  const { t } = useTranslation();
  const message = isApiError(error) || error instanceof Error ? error.message : t('errors.unknown');
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{title ?? t('errors.loadFailed')}</p>
      <p className="state-body">{message}</p>
      {onRetry && (
        <div className="state-action">
          <Button onClick={onRetry}>{t('common.retry')}</Button>
        </div>
      )}
    </div>
  );
}
