import { useSyncExternalStore } from 'react';
import { useTranslation } from '@/lib/use-translation';
import { dismissToast, getToasts, subscribeToasts } from '@/lib/toast';
import { CloseIcon } from './icons';

/**
 * Renders the toasts of lib/toast in two live regions (errors assertive, the rest polite).
 * The regions carry no role, so the only `alert` on a page is the page's own message.
 */
export function Toaster() {
  const { t } = useTranslation();
  const toasts = useSyncExternalStore(subscribeToasts, getToasts, getToasts);
  const errors = toasts.filter((x) => x.kind === 'error');
  const others = toasts.filter((x) => x.kind !== 'error');
  const render = (list: typeof toasts) =>
    list.map((x) => (
      <div key={x.id} className={`toast toast-${x.kind}`}>
        <span className="toast-message">{x.message}</span>
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => dismissToast(x.id)} aria-label={t('common.dismiss')}>
          <CloseIcon />
        </button>
      </div>
    ));
  return (
    <div className="toaster">
      <div aria-live="assertive">
        {render(errors)}
      </div>
      <div aria-live="polite">
        {render(others)}
      </div>
    </div>
  );
}
