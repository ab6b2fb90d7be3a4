import { useTranslation } from '@/lib/use-translation';
import { formatExactUtc, formatRelativeTime } from '@/lib/format';

/** "3 minutes ago", with the exact UTC time on hover; `null` reads as `fallback` ("Never"). */
export function RelativeTime({ value, fallback }: { value: string | null | undefined; fallback?: string }) {
  const { t, i18n } = useTranslation();
  if (!value) return <span className="muted">{fallback ?? t('common.never')}</span>;
  return (
    // The server rendered it a moment earlier: "now" may have become "10 seconds ago".
    <time dateTime={value} title={formatExactUtc(value)} suppressHydrationWarning>
      {formatRelativeTime(value, i18n.language)}
    </time>
  );
}
