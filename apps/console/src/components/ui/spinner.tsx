import { useTranslation } from '@/lib/use-translation';

/** A busy indicator announced to screen readers as "Loading…" (or `label`). */
export function Spinner({ label, block = false }: { label?: string; block?: boolean }) {
  const { t } = useTranslation();
  const text = label ?? t('common.loading');
  return (
    <div className={block ? 'state state-loading' : 'inline-spinner'} role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span className={block ? undefined : 'visually-hidden'}>{text}</span>
    </div>
  );
}
